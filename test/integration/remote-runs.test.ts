import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'ssh2';
import { DeployKeyStore } from '../../electron/node/deploy/deploy-key-store';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { AnsibleOutputParser, failureReason } from '../../electron/node/runs/ansible-output-parser';
import { listPlannedTasks, prepareAnsibleRuntime } from '../../electron/node/runs/ansible-runtime';
import { remoteRuntimesRoot } from '../../electron/node/deploy/remote-layout';
import {
  cancelRemoteRun,
  followRemoteRun,
  remoteRunDir,
  startRemoteRun,
  type RunKey,
} from '../../electron/node/runs/remote-run';
import type { RunInvocation } from '../../electron/common/run';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh, execCommand } from '../../electron/node/ssh/ssh-connection';
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
const invocation = (playbook: string, extraVars?: Record<string, unknown>): RunInvocation => ({
  kubesprayDir: fixtureKubesprayDir,
  inventory: 'inventory/fixture/hosts.yaml',
  playbook,
  ...(extraVars ? { extraVars } : {}),
});
let knownHosts = '';
/** The project's deploy key, passphrase-protected, installed on the cluster hosts: Ansible's only way in. */
let key: RunKey;
const keyPassphrase = 'remote-runs-key-passphrase';
const start = (
  runId: string,
  playbook: string,
  extraVars?: Record<string, unknown>,
  overrides: { key?: RunKey; ansiblePlaybook?: string[] } = {},
) =>
  startRemoteRun(client, {
    runId,
    cluster: 'fixture',
    user: 'ops',
    sudoPassword: labAccounts.ops.password,
    key: overrides.key ?? key,
    invocation: {
      ...invocation(playbook, extraVars),
      ...(overrides.ansiblePlaybook ? { ansiblePlaybook: overrides.ansiblePlaybook } : {}),
    },
    knownHosts,
  });
const controllerPython = '/var/tmp/airspray-fixture-controller-python';

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
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-remote-runs-'));
  const hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  const deployKey = (
    await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('fixture', 'fixture', keyPassphrase)
  ).key;
  const ops = { user: 'ops', auth: { kind: 'password' as const, password: labAccounts.ops.password } };
  const outcomes = await bootstrapDeployKey(
    cluster.map((host) => ({ name: host.name, address: hostAddress(host.index) })),
    { credential: { label: 'ops', ...ops }, key: deployKey, hostKeys, acceptNewHostKeys: true },
  );
  expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  key = { privateKey: deployKey.credential.privateKey, passphrase: keyPassphrase, publicKey: deployKey.publicKey };
  ({ client } = await connectSsh(
    { host: hostAddress(1), port: 22 },
    { credential: ops, hostKeys, acceptNewHostKeys: true },
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
    // No runtime given: the node's own ansible-playbook (Debian's, on /usr/bin/python3) ran it.
    expect(await execOnHost('lab2', `cat ${controllerPython}`)).toBe('/usr/bin/python3\n');
    expect((await execOnHost('lab1', `cat ${remoteRunDir(runId)}/log`)).length).toBe(log.length);
    // Neither the password nor the deploy key (or its passphrase) outlives the start of the run on the node.
    const left = (await execOnHost('lab1', `ls ${remoteRunDir(runId)}`)).split('\n');
    expect(left.filter((name) => ['become', 'deploy_key', 'key_passphrase'].includes(name))).toEqual([]);
    expect(left).toContain('deploy_key.pub');
    expect(
      await execOnHost(
        'lab1',
        `grep -rlF -e '${labAccounts.ops.password}' -e '${keyPassphrase}' -e 'OPENSSH PRIVATE KEY' /var/lib/airspray /home/ops || true`,
      ),
    ).toBe('');
    expect(log.toString()).not.toContain(labAccounts.ops.password);
  });

  it('logs in to the hosts with the deploy key alone: a key the hosts do not know leaves them unreachable', async () => {
    const stranger = (await new DeployKeyStore(() => '/nonexistent').getOrCreate('stranger', 'stranger')).key;
    const runId = nextRunId();
    await start(runId, 'cluster.yml', undefined, {
      key: { privateKey: stranger.credential.privateKey, publicKey: stranger.publicKey },
    });
    const { status, log } = await followToEnd(runId);
    expect(status.exitCode).not.toBe(0);
    const parser = new AnsibleOutputParser();
    parser.push(log.toString());
    const digest = parser.end();
    expect(digest.recap).toMatchObject({ lab2: { unreachable: 1 }, lab3: { unreachable: 1 } });
    expect(failureReason(digest.failures[0]!.message)).toMatch(/Permission denied \(publickey/);
  });

  it('estimates the tasks of a run from ansible-playbook --list-hosts --list-tasks on the deploy node', async () => {
    const runId = nextRunId();
    await start(runId, 'scale.yml', undefined);
    const [planned, { log }] = await Promise.all([
      listPlannedTasks(client, { ...invocation('scale.yml') }),
      followToEnd(runId),
    ]);
    const parser = new AnsibleOutputParser();
    parser.push(log.toString());
    const started = parser.end().tasksStarted;
    // include_tasks adds the included tasks' headers at run time: the listing counts the include once.
    expect(planned).toBeGreaterThan(0);
    expect(planned).toBeLessThanOrEqual(started);
    expect(await listPlannedTasks(client, { ...invocation('remove-node.yml', { node: 'lab9' }) })).toBe(0);
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
    await expect
      .poll(() => execOnHost('lab1', `cat ${remoteRunDir(slow)}/log`), { timeout: 20_000, interval: 250 })
      .toContain('TASK [');
    const second = nextRunId();
    await start(second, 'cluster.yml');
    const refused = await followToEnd(second);
    // The logs travel with the assertions: it failed once under load, too fast for a timeout, without saying why.
    expect(refused.status.exitCode, refused.log.toString()).toBe(75);
    expect(refused.log.toString()).toContain('another run of this cluster holds');

    expect(await cancelRemoteRun(client, slow, labAccounts.ops.password)).toBe(true);
    const cancelled = await followToEnd(slow);
    expect(cancelled.status.cancelled, cancelled.log.toString()).toBe(true);
    expect(cancelled.status.exitCode, cancelled.log.toString()).not.toBe(0);
    expect(await execOnHost('lab1', `ls ${remoteRunDir(slow)}`)).not.toContain('become');
  });

  it("refuses a host whose key is not among the project's, even though kubespray turns host-key checking off", async () => {
    const runId = nextRunId();
    await startRemoteRun(client, {
      runId,
      cluster: 'fixture',
      user: 'ops',
      sudoPassword: labAccounts.ops.password,
      key,
      invocation: invocation('cluster.yml'),
      knownHosts: knownHosts
        .split('\n')
        .filter((line) => !line.startsWith(hostAddress(3)))
        .join('\n'),
    });
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
    await start(runId, 'cluster.yml', { airspray_fixture_sleep: 8 });
    // Mid-task: the fixture's sleep runs on lab3 (its SSH session is up) when the plug is pulled.
    await expect
      .poll(() => execOnHost('lab3', "pgrep -fx 'sleep 8' || true"), { timeout: 30_000, interval: 200 })
      .not.toBe('');
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
      expect(failureReason(digest.failures[0]!.message)).toMatch(
        /Failed to connect to the host via ssh.*(No route to host|timed out)/,
      );
    } finally {
      await powerOn('lab3');
    }
  });
});

/** A wheel this test owns, built here from nothing (zip layout per the wheel spec, RECORD with sha256s). */
async function buildProbeWheel(dir: string): Promise<string> {
  const script = `
import base64, hashlib, sys, zipfile
files = {
  "airspray_probe/__init__.py": b"ORIGIN = 'built by remote-runs.test.ts'\\n",
  "airspray_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: airspray-probe\\nVersion: 1.0\\n",
  "airspray_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: remote-runs.test.ts\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = "".join(f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\\n" for name, data in files.items())
with zipfile.ZipFile(sys.argv[1], "w") as wheel:
  for name, data in files.items(): wheel.writestr(name, data)
  wheel.writestr("airspray_probe-1.0.dist-info/RECORD", record + "airspray_probe-1.0.dist-info/RECORD,,\\n")
`;
  const path = join(dir, 'airspray_probe-1.0-py3-none-any.whl');
  await promisify(execFile)('/usr/bin/python3', ['-c', script, path]);
  return path;
}

function upload(local: string, remote: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return reject(error);
      sftp.fastPut(local, remote, (putError) => {
        sftp.end();
        if (putError) reject(putError);
        else resolve();
      });
    });
  });
}

describe("the Ansible runtime from the bundle's wheels", () => {
  it(
    "makes a venv offline once per bundle, with the bundle's pip, and the run's Ansible runs on its python",
    { timeout: 120_000 },
    async () => {
      // Debian's pip wheel stands in for the bundle's (the lab hosts have no python3-pip, as an air-gapped node may
      // not).
      const pipWheels = (await readdir('/usr/share/python-wheels')).filter((name) => /^pip-.*\.whl$/.test(name));
      expect(pipWheels, 'install python3-pip-whl on this machine').toHaveLength(1);
      const local = await mkdtemp(join(tmpdir(), 'airspray-wheels-'));
      const probe = await buildProbeWheel(local);
      const wheelsDir = `/home/ops/bundle-${Date.now().toString(36)}/python`;
      await execCommand(client, `mkdir -p ${wheelsDir}`);
      await upload(probe, `${wheelsDir}/airspray_probe-1.0-py3-none-any.whl`);
      await upload(`/usr/share/python-wheels/${pipWheels[0]}`, `${wheelsDir}/${pipWheels[0]}`);
      expect(await execOnHost('lab1', 'python3 -m pip --version 2>&1 || true')).toContain('No module named pip');

      const runtimeId = `test-${Date.now().toString(36)}`;
      const request = { wheelsDir, runtimeId, user: 'ops', sudoPassword: labAccounts.ops.password };
      const runtime = await prepareAnsibleRuntime(client, request);
      const python = `${remoteRuntimesRoot}/${runtimeId}/venv/bin/python3`;
      expect(runtime).toEqual({ kind: 'venv', ansiblePlaybook: [python, '-m', 'ansible.cli.playbook'], created: true });
      // The wheel went into the venv (not the system), from the folder alone.
      expect(
        await execOnHost(
          'lab1',
          `${python} -c 'import airspray_probe; print(airspray_probe.__file__, airspray_probe.ORIGIN)'`,
        ),
      ).toBe(
        `${remoteRuntimesRoot}/${runtimeId}/venv/lib/python3.11/site-packages/airspray_probe/__init__.py built by remote-runs.test.ts\n`,
      );
      expect(await execOnHost('lab1', "python3 -c 'import airspray_probe' 2>&1 || true")).toContain('No module named');
      const madeAt = await execOnHost('lab1', `stat -c %Y ${python}`);
      expect(await prepareAnsibleRuntime(client, request)).toMatchObject({ kind: 'venv', created: false });
      expect(await execOnHost('lab1', `stat -c %Y ${python}`)).toBe(madeAt);

      const runId = nextRunId();
      await start(runId, 'cluster.yml', undefined, { ansiblePlaybook: runtime.ansiblePlaybook });
      const { status } = await followToEnd(runId);
      expect(status.exitCode).toBe(0);
      // ansible_playbook_python, as Ansible itself reports it to the hosts.
      expect(await execOnHost('lab2', `cat ${controllerPython}`)).toBe(`${python}\n`);
      expect(await execOnHost('lab3', `cat ${controllerPython}`)).toBe(`${python}\n`);

      // A wheel folder that cannot make a venv is refused by name, before any run.
      await execCommand(client, `rm ${wheelsDir}/${pipWheels[0]}`);
      await expect(
        prepareAnsibleRuntime(client, { ...request, runtimeId: `${runtimeId}-nopip` }),
      ).rejects.toMatchObject({ field: 'bundle' });
    },
  );
});
