import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'ssh2';
import { AnsibleOutputParser, failureReason } from '../../electron/node/runs/ansible-output-parser';
import { cancelRemoteRun, followRemoteRun, remoteRunDir, startRemoteRun, type PlaybookInvocation } from '../../electron/node/runs/remote-run';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../electron/node/ssh/ssh-connection';
import { cutLink, execOnHost, powerOff, powerOn } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { fixtureKubesprayDir, prepareDeployNode } from '../support/deploy-node';
import { requireLab } from '../support/lab';

const cluster = [
  { name: 'lab2', index: 2, controlPlane: true },
  { name: 'lab3', index: 3 },
];
let client: Client;
let runCount = 0;
const nextRunId = () => `test-${Date.now().toString(36)}-${(runCount += 1)}`;
const invocation = (playbook: string, extraVars?: Record<string, unknown>): PlaybookInvocation => ({
  kubesprayDir: fixtureKubesprayDir,
  inventory: 'inventory/fixture/hosts.yaml',
  playbook,
  ...(extraVars ? { extraVars } : {}),
});
let knownHosts = '';
const start = (runId: string, playbook: string, extraVars?: Record<string, unknown>) =>
  startRemoteRun(client, { runId, cluster: 'fixture', user: 'ops', sudoPassword: labAccounts.ops.password, invocation: invocation(playbook, extraVars), knownHosts });

/** Follows a run to its end and returns everything it printed. */
async function followToEnd(runId: string, offset = 0) {
  const chunks: Buffer[] = [];
  const status = await followRemoteRun(client, runId, offset, (chunk) => chunks.push(chunk)).done;
  return { status, log: Buffer.concat(chunks) };
}

beforeAll(async () => {
  await requireLab();
  await prepareDeployNode({ name: 'lab1' }, cluster);
  knownHosts = await execOnHost('lab1', 'cat /home/ops/.ssh/known_hosts');
  ({ client } = await connectSsh(
    { host: hostAddress(1), port: 22 },
    { credential: { user: 'ops', auth: { kind: 'password', password: labAccounts.ops.password } }, hostKeys: new HostKeyStore(`/tmp/airspray-runs-known-hosts-${Date.now()}`), acceptNewHostKeys: true },
  ));
}, 60_000);

describe('kubespray-style runs on the deploy node (real ansible-playbook, detached systemd units)', () => {
  it('runs cluster.yml on every host, streams the whole log, and keeps no password anywhere', async () => {
    const runId = nextRunId();
    await start(runId, 'cluster.yml');
    const { status, log } = await followToEnd(runId);
    expect(status).toMatchObject({ exitCode: 0, cancelled: false });
    const parser = new AnsibleOutputParser();
    parser.push(log.toString());
    const digest = parser.end();
    expect(Object.keys(digest.recap ?? {}).sort()).toEqual(['lab2', 'lab3']);
    expect(digest.recap?.lab2).toMatchObject({ failed: 0, unreachable: 0 });
    expect(await execOnHost('lab3', 'cat /var/tmp/airspray-fixture-node')).toBe('lab3 installed by cluster.yml\n');
    expect((await execOnHost('lab1', `cat ${remoteRunDir(runId)}/log`)).length).toBe(log.length);
    expect(await execOnHost('lab1', `ls ${remoteRunDir(runId)}`)).not.toContain('become');
    expect(await execOnHost('lab1', `grep -rl '${labAccounts.ops.password}' /var/lib/airspray /home/ops/kubespray || true`)).toBe('');
    expect(log.toString()).not.toContain(labAccounts.ops.password);
  });

  it('goes on without the laptop: detach mid-run, attach again from the byte reached, and lose nothing', async () => {
    const runId = nextRunId();
    await start(runId, 'cluster.yml', { airspray_fixture_sleep: 3 });
    const first: Buffer[] = [];
    const handle = followRemoteRun(client, runId, 0, (chunk) => first.push(chunk));
    handle.done.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    handle.detach();
    const received = Buffer.concat(first);
    const rest = await followToEnd(runId, received.length);
    const whole = Buffer.concat([received, rest.log]).toString();
    expect(whole).toBe(await execOnHost('lab1', `cat ${remoteRunDir(runId)}/log`));
    expect(whole).toContain('PLAY RECAP');
    expect(rest.status.exitCode).toBe(0);
  });

  it('shows which host failed and why, and passes booleans to Ansible as JSON', async () => {
    const runId = nextRunId();
    await start(runId, 'remove-node.yml', { node: 'lab3', skip_confirmation: true, reset_nodes: false });
    expect((await followToEnd(runId)).status.exitCode).toBe(0);
    // reset_nodes=false arrived as a boolean: the marker was kept.
    expect(await execOnHost('lab3', 'cat /var/tmp/airspray-fixture-node')).toContain('lab3');

    const failing = nextRunId();
    await start(failing, 'cluster.yml', { airspray_fixture_fail_host: 'lab3' });
    const { status, log } = await followToEnd(failing);
    expect(status.exitCode).not.toBe(0);
    const parser = new AnsibleOutputParser();
    parser.push(log.toString());
    const digest = parser.end();
    expect(digest.failures.map((failure) => [failure.host, failure.task, failureReason(failure.message)])).toEqual([
      ['lab3', 'Fail on purpose on the chosen host', 'lab3 fails on purpose (airspray_fixture_fail_host)'],
    ]);
    expect(digest.recap?.lab2?.failed).toBe(0);
  });

  it('runs one playbook at a time per cluster, and cancels cleanly', async () => {
    const slow = nextRunId();
    await start(slow, 'cluster.yml', { airspray_fixture_sleep: 20 });
    // Once the playbook prints its first task, it holds the cluster's lock.
    await expect.poll(() => execOnHost('lab1', `cat ${remoteRunDir(slow)}/log`), { timeout: 20_000, interval: 250 }).toContain('TASK [');
    const second = nextRunId();
    await start(second, 'cluster.yml');
    const refused = await followToEnd(second);
    expect(refused.status.exitCode).toBe(75);
    expect(refused.log.toString()).toContain('another run of this cluster holds');

    expect(await cancelRemoteRun(client, slow, labAccounts.ops.password)).toBe(true);
    const cancelled = await followToEnd(slow);
    expect(cancelled.status.cancelled).toBe(true);
    expect(cancelled.status.exitCode).not.toBe(0);
    expect(await execOnHost('lab1', `ls ${remoteRunDir(slow)}`)).not.toContain('become');
  });

  it('refuses a host whose key is not among the project\'s, even though kubespray turns host-key checking off', async () => {
    const runId = nextRunId();
    await startRemoteRun(client, { runId, cluster: 'fixture', user: 'ops', sudoPassword: labAccounts.ops.password, invocation: invocation('cluster.yml'), knownHosts: knownHosts.split('\n').filter((line) => !line.startsWith(hostAddress(3))).join('\n') });
    const { log } = await followToEnd(runId);
    const parser = new AnsibleOutputParser();
    parser.push(log.toString());
    const digest = parser.end();
    expect(digest.recap?.lab3).toMatchObject({ unreachable: 1 });
    expect(failureReason(digest.failures[0]!.message)).toMatch(/Host key verification failed/);
    expect(digest.recap?.lab2).toMatchObject({ unreachable: 0, failed: 0 });
  });

  it('shows a host powered off mid-run as unreachable, and the others finish', { timeout: 120_000 }, async () => {
    const runId = nextRunId();
    await start(runId, 'cluster.yml', { airspray_fixture_sleep: 4 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Pulling the plug: the host falls silent at once (no sshd saying goodbye with resets), then goes down.
    await cutLink('lab3');
    await powerOff('lab3');
    try {
      const { status, log } = await followToEnd(runId);
      const parser = new AnsibleOutputParser();
      parser.push(log.toString());
      const digest = parser.end();
      expect(status.exitCode).not.toBe(0);
      // Ansible's recap counts a host lost mid-task as failed; the failure list says it became unreachable.
      expect(digest.recap?.lab3).toMatchObject({ failed: 1 });
      expect(digest.recap?.lab2).toMatchObject({ unreachable: 0, failed: 0 });
      expect(digest.failures).toEqual([expect.objectContaining({ host: 'lab3', kind: 'unreachable' })]);
      expect(failureReason(digest.failures[0]!.message)).toMatch(/Failed to connect to the host via ssh.*(No route to host|timed out)/);
    } finally {
      await powerOn('lab3');
    }
  });
});
