import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { openApiClient, type ApiClient } from '../support/api-client';
import { writeDeployBundle } from '../support/deploy-bundle';
import { requireLab } from '../support/lab';

// Issue 16: from an empty data folder to a finished deploy with CLI commands and one plan file; `airspray up` is
// SIGKILLed mid-push and mid-run, and the next `up` finishes the deploy, following the run the killed one started.
const cli = join(repoRoot, 'bin', 'airspray.cjs');
const env = {
  ...process.env,
  LAB_OPS_PASSWORD: labAccounts.ops.password,
  AIRSPRAY_DEPLOY_KEY_PASSPHRASE: 'up lab deploy key passphrase',
};

let workDir: string;
let dataDir: string;
let bundlesDir: string;
let bundleId: string;
let fingerprint: string;
let serve: ServeProcess | undefined;
let api: ApiClient | undefined;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; with `killWhen`, SIGKILLs it as soon as its stderr matches (a crash at that point). */
function airspray(args: string[], killWhen?: RegExp): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const stageLines = (stdout: string) =>
  stdout.split('\n').filter((line) => /^[a-z. ]+: (skip|done|failed|interrupted)/.test(line));
/** Each stage line's stage and status, without the details. */
const stagesOf = (stdout: string) => stageLines(stdout).map((line) => line.split(' (')[0]);
const statusOf = (stdout: string, stage: string) =>
  stageLines(stdout)
    .find((line) => line.startsWith(`${stage}: `))
    ?.slice(stage.length + 2)
    .split(' ')[0];

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-up-'));
  dataDir = join(workDir, 'data');
  bundlesDir = join(workDir, 'bundles');
  // Large enough that the push is still sending when its first progress line shows.
  const bundle = await writeDeployBundle(join(bundlesDir, 'kubespray-fixture'), {
    largeFiles: 2,
    largeBytes: 64 * 1024 * 1024,
    smallFiles: 200,
    smallBytes: 2048,
    withServices: true,
    kubesprayFrom: join(repoRoot, 'test', 'fixtures', 'kubespray-shaped'),
  });
  bundleId = bundle.manifest.bundleId;
  fingerprint = bundle.publisher.fingerprint;
  await writeFile(join(workDir, 'publisher.pub'), bundle.publisher.publicKeyPem);
  const manifestSha256 = createHash('sha256')
    .update(await readFile(join(bundle.dir, 'manifest.json')))
    .digest('hex');
  // One plan file; the secrets it names are in the environment (LAB_OPS_PASSWORD), never in it.
  await writeFile(
    join(workDir, 'plan.yaml'),
    [
      'planFileVersion: 1',
      'project: up-lab',
      `bundle: { id: ${bundleId}, manifestSha256: ${manifestSha256} }`,
      'deployNode: lab1',
      'login: { user: ops, passwordEnv: LAB_OPS_PASSWORD, sudoPasswordEnv: LAB_OPS_PASSWORD }',
      'hosts:',
      ...[1, 2, 3].map((index) => `  - { name: lab${index}, address: ${hostAddress(index)} }`),
      'roles: { controlPlane: [lab2], etcd: [lab2], worker: [lab2, lab3] }',
      'settings: { kubernetesVersion: 1.27.10 }',
      '',
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  api?.close();
  await serve?.stop();
});

describe('airspray up on the lab', () => {
  it('deploys from an empty data folder with one plan file, killed mid-push and mid-run, finished by the next up', async () => {
    const data = ['--data-dir', dataDir];
    // The operator compared the publisher's fingerprint: the test knows it.
    const trusted = await airspray([
      'bundle',
      'trust',
      join(workDir, 'publisher.pub'),
      '--name',
      'Lab publisher',
      '--fingerprint',
      fingerprint,
      ...data,
    ]);
    expect(trusted.code, trusted.stderr).toBe(0);
    const verified = await airspray(['bundle', 'verify', join(bundlesDir, 'kubespray-fixture'), ...data]);
    expect(verified.code, verified.stderr).toBe(0);
    const up = [
      'up',
      join(workDir, 'plan.yaml'),
      '--accept-new',
      '--despite-checks',
      '-e',
      'airspray_fixture_sleep=6',
      '--bundles-dir',
      bundlesDir,
      ...data,
    ];

    // Without --accept-new the keys the file does not pin are refused as input, after the apply.
    const refused = await airspray(up.filter((arg) => arg !== '--accept-new'));
    expect(refused.code).toBe(2);
    expect(stageLines(refused.stdout)).toEqual([
      expect.stringMatching(/^apply: done \(\d+ change\(s\) to project up-lab, saved at revision 1\)$/),
      expect.stringMatching(/^host keys: failed: no host key on record for lab1 .*--accept-new\.$/),
    ]);

    // Killed on the push's first progress line while it sends.
    const killedInPush = await airspray(up, /airspray: sending \d+%/);
    expect(killedInPush.signal, killedInPush.stdout + killedInPush.stderr).toBe('SIGKILL');
    expect(stagesOf(killedInPush.stdout)).toEqual([
      'apply: skip',
      'host keys: done',
      'facts: done',
      'deploy key: done',
    ]);

    // Killed once cluster.yml started on the deploy node: the run goes on there.
    const killedInRun = await airspray(up, /cluster\.yml: run (r-\S+) started/);
    expect(killedInRun.signal, killedInRun.stdout + killedInRun.stderr).toBe('SIGKILL');
    expect(stagesOf(killedInRun.stdout)).toEqual([
      ...['apply', 'host keys', 'facts', 'deploy key'].map((stage) => `${stage}: skip`),
      'push: done',
      'services: done',
    ]);
    // The push went on from what the killed one left: not every byte again.
    expect(killedInRun.stdout).toMatch(/^push: done \(\d+ file\(s\) sent/m);
    const runId = /cluster\.yml: run (r-\S+) started/.exec(killedInRun.stderr)![1]!;

    // The next up follows that very run to its end (never a second one), then fetches the kubeconfig.
    const finished = await airspray([...up, '--follow']);
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
    expect(finished.stderr).toContain(`cluster.yml: run ${runId} is running on ${hostAddress(1)}: following it again`);
    expect(stageLines(finished.stdout)).toEqual([
      'apply: skip (project up-lab matches ' + join(workDir, 'plan.yaml') + ')',
      'host keys: skip (3 host(s) with a key on record)',
      'facts: skip (facts of 3 host(s) on record)',
      'deploy key: skip (key login works on 3 host(s))',
      expect.stringMatching(/^push: skip \(lab1 holds all \d+ file\(s\) of /),
      'services: skip (registry and file server answer from here and 3 host(s))',
      `cluster.yml: done (run ${runId} succeeded (exit 0))`,
      expect.stringMatching(/^kubeconfig: done \(fetched from lab2;/),
    ]);
    // --follow: the run's terminal output, from where the local copy ended.
    expect(finished.stdout).toContain('PLAY RECAP');
    for (const host of ['lab2', 'lab3'])
      expect(await execOnHost(host, 'cat /var/tmp/airspray-fixture-node')).toContain(
        `${host} installed by cluster.yml`,
      );

    // Done is done: every stage skips, nothing is run again.
    const again = await airspray(up);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(stagesOf(again.stdout)).toEqual(
      ['apply', 'host keys', 'facts', 'deploy key', 'push', 'services', 'cluster.yml', 'kubeconfig'].map(
        (stage) => `${stage}: skip`,
      ),
    );
    expect(statusOf(again.stdout, 'cluster.yml')).toBe('skip');

    // The UI's server reads the same project, with its one run and the kubeconfig.
    serve = await startServe(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
    api = await openApiClient(Number(new URL(serve.url).port), serve.token);
    const project = (await api.call('projects.list', {})).find((entry) => entry.name === 'up-lab');
    expect(project).toBeDefined();
    const opened = await api.call('projects.open', { id: project!.id });
    expect(opened.cluster.hosts.map((host) => [host.name, host.facts?.os.id])).toEqual([
      ['lab1', 'debian'],
      ['lab2', 'debian'],
      ['lab3', 'debian'],
    ]);
    const runs = await api.call('runs.list', { projectId: project!.id });
    expect(runs.map((run) => [run.id, run.playbook, run.state])).toEqual([[runId, 'cluster.yml', 'succeeded']]);
    expect((await api.call('cluster.access', { projectId: project!.id })).kubeconfig).toMatchObject({
      fromHost: { name: 'lab2' },
    });
    // No secret of the plan's login reached the project's files or the output.
    expect(JSON.stringify(opened)).not.toContain(labAccounts.ops.password);
    expect(finished.stdout + finished.stderr).not.toContain(labAccounts.ops.password);
  }, 600_000);
});
