import { describe, expect, it } from 'vitest';
import type { RunOptions, RunRecord } from '../../../electron/common/run';
import { hostsInCluster, hostsOutsideCluster } from '../../../renderer/features/operate/hosts-in-cluster';
import { finishedRun } from '../../support/run-record';

const counts = { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
/** A finished run whose recap names `hosts`. */
const run = (options: RunOptions, hosts: string[], state: RunRecord['state'] = 'succeeded'): RunRecord =>
  finishedRun(options, {
    state,
    digest: {
      tasksStarted: 1,
      hosts: {},
      failures: [],
      recap: Object.fromEntries(hosts.map((host) => [host, counts])),
    },
  });

const removal = (node: string) =>
  run({ playbook: 'remove-node.yml', extraVars: { node, skip_confirmation: true } }, [node]);

describe('hosts in the cluster, from the run history (newest first)', () => {
  it('are the hosts successful build and scale runs named; a failed run adds none', () => {
    expect(
      [
        ...hostsInCluster([
          run({ playbook: 'scale.yml', limit: 'n4' }, ['n4'], 'failed'),
          run({ playbook: 'cluster.yml' }, ['n2', 'n3']),
        ]),
      ].sort(),
    ).toEqual(['n2', 'n3']);
  });

  it('are not the new hosts a successful facts.yml named before their scale.yml failed', () => {
    const history = [
      run({ playbook: 'scale.yml', limit: 'n4' }, ['n4'], 'failed'),
      run({ playbook: 'playbooks/facts.yml' }, ['n2', 'n3', 'n4']),
      run({ playbook: 'cluster.yml' }, ['n2', 'n3']),
    ];
    expect([...hostsInCluster(history)].sort()).toEqual(['n2', 'n3']);
  });

  it('leave out a host a later remove-node.yml took out, and take it back when a later scale.yml adds it again', () => {
    const added = run({ playbook: 'scale.yml', limit: 'n4' }, ['n4']);
    const built = run({ playbook: 'cluster.yml' }, ['n2', 'n3']);
    expect([...hostsInCluster([removal('n4'), added, built])].sort()).toEqual(['n2', 'n3']);
    expect(
      [...hostsInCluster([run({ playbook: 'scale.yml', limit: 'n4' }, ['n4']), removal('n4'), added, built])].sort(),
    ).toEqual(['n2', 'n3', 'n4']);
  });

  it('are none after a reset of the whole cluster, and all but the reset hosts after a limited one', () => {
    const built = run({ playbook: 'cluster.yml' }, ['n2', 'n3']);
    expect([
      ...hostsInCluster([
        run({ playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } }, ['n2', 'n3']),
        built,
      ]),
    ]).toEqual([]);
    expect([
      ...hostsInCluster([
        run({ playbook: 'reset.yml', limit: 'n3', extraVars: { reset_confirmation: 'yes' } }, ['n3']),
        built,
      ]),
    ]).toEqual(['n2']);
  });

  it('leaves out of the hosts that can join or replace a member those already in the cluster', () => {
    const hosts = ['n1', 'n2', 'n3', 'n4'].map((name) => ({ name }));
    const history = [removal('n3'), run({ playbook: 'cluster.yml' }, ['n1', 'n2', 'n3'])];
    expect(hostsOutsideCluster(hosts, history).map((host) => host.name)).toEqual(['n3', 'n4']);
    expect(hostsOutsideCluster(hosts, [])).toEqual(hosts);
  });
});
