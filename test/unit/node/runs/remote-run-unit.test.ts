import { describe, expect, it } from 'vitest';
import { playbookCommand, runUnitWords } from '../../../../electron/node/runs/remote-run';

const setenv = (words: string[]) =>
  Object.fromEntries(
    words
      .filter((word) => word.startsWith('--setenv='))
      .map((word) => word.slice('--setenv='.length).split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

describe("a run's systemd unit on the deploy node", () => {
  const env = setenv(runUnitWords({ runId: 'r-1', cluster: 'prod-a', user: 'ops' }));

  it("caches facts as jsonfile in the cluster's folder under /var/lib/airspray, for kubespray's day", () => {
    expect(env).toMatchObject({
      ANSIBLE_GATHERING: 'smart',
      ANSIBLE_CACHE_PLUGIN: 'jsonfile',
      ANSIBLE_CACHE_PLUGIN_CONNECTION: '/var/lib/airspray/facts/prod-a',
      ANSIBLE_CACHE_PLUGIN_TIMEOUT: '86400',
    });
  });

  it('keeps each cluster its own cache (the same host name in two clusters is two hosts)', () => {
    const other = setenv(runUnitWords({ runId: 'r-2', cluster: 'prod-b', user: 'ops' }));
    expect(other.ANSIBLE_CACHE_PLUGIN_CONNECTION).toBe('/var/lib/airspray/facts/prod-b');
  });

  it('runs as the run user', () => {
    expect(runUnitWords({ runId: 'r-1', cluster: 'prod-a', user: 'ops' })).toContain('--uid=ops');
  });
});

describe('the recorded command line', () => {
  const invocation = { kubesprayDir: '/k', inventory: 'inventory/a/hosts.yaml', playbook: 'scale.yml' };

  it('shows the forks the run uses', () => {
    expect(playbookCommand({ ...invocation, forks: 12, limit: 'w4' }, '/b')).toContain(
      "'scale.yml' '--forks' '12' '--limit' 'w4'",
    );
  });

  it('leaves the forks to Ansible when none were chosen (a record from before)', () => {
    expect(playbookCommand(invocation, '/b')).not.toMatch(/--forks/);
  });
});
