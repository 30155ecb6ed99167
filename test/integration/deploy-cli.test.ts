import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../electron/common/api';
import { noRoles } from '../../electron/common/cluster-plan';
import { createAirsprayCore } from '../../electron/node/api/airspray-core';
import { addOperatorKey } from '../../electron/node/bundles/trusted-publishers';
import { VerificationCache } from '../../electron/node/bundles/verification-cache';
import { verifyBundle } from '../../electron/node/bundles/verify-bundle';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot } from '../support/airspray-serve';
import { kubeadmUrlPath, writeDeployBundle } from '../support/deploy-bundle';
import { requireLab } from '../support/lab';

const run = promisify(execFile);
const passphrase = 'cli deploy key passphrase';

let workDir: string;
let dataDir: string;
let bundlesDir: string;
let cli: string;
let projectId: string;
/** The manifest's files, the manifest and its signature. */
let itemCount: number;
let bundleId: string;

async function airspray(args: string[], env: Record<string, string> = { AIRSPRAY_DEPLOY_KEY_PASSPHRASE: passphrase }) {
  return run(process.execPath, [cli, 'deploy', ...args], { env: { ...process.env, ...env, NODE_PATH: join(repoRoot, 'node_modules') }, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const common = () => ['--project', 'lab-cluster', '--user', 'ops', '--password-file', join(workDir, 'password'), '--data-dir', dataDir, '--bundles-dir', bundlesDir];

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-deploy-cli-'));
  dataDir = join(workDir, 'data');
  bundlesDir = join(workDir, 'bundles');
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(workDir, 'password'), `${labAccounts.ops.password}\n`, { mode: 0o600 });
  cli = join(workDir, 'airspray-deploy.cjs');
  await build({ entryPoints: [join(repoRoot, 'test/support/deploy-cli-entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error', external: ['cpu-features', '*.node'] });

  const bundle = await writeDeployBundle(join(bundlesDir, 'lab-bundle'), { largeFiles: 1, largeBytes: 9 * 1024 * 1024, smallFiles: 50, smallBytes: 1024, withServices: true });
  const trusted = await addOperatorKey(dataDir, { name: 'Lab publisher', publicKey: bundle.publisher.publicKey, confirmedFingerprint: bundle.publisher.fingerprint });
  const verified = await verifyBundle(bundle.dir, { mode: 'full', trustedKeys: [trusted], cache: new VerificationCache(dataDir) });
  expect(verified.outcome).toBe('verified');
  itemCount = bundle.manifest.files.length + 2;
  bundleId = bundle.manifest.bundleId;

  const projects = new ProjectStore(dataDir);
  const project = await projects.create('lab-cluster');
  projectId = project.id;
  const manifestSha256 = createHash('sha256').update(await readFile(join(bundle.dir, 'manifest.json'))).digest('hex');
  await projects.update(project.id, project.revision, (current) => ({
    ...current,
    cluster: {
      ...current.cluster,
      hosts: [1, 2, 3].map((index) => ({ name: `lab${index}`, address: hostAddress(index), roles: { ...noRoles, controlPlane: index === 1, etcd: index === 1, worker: true } })),
      deployNode: 'lab1',
      bundle: { bundleId: bundle.manifest.bundleId, kubesprayVersion: '2.23.3', kubernetesVersions: ['1.27.10'], manifestSha256 },
    },
  }));
}, 120_000);

describe('airspray deploy and the deploy API on the lab', () => {
  it('keys, push, services and health from the command line', async () => {
    const noPassphrase = await airspray(['keys', ...common(), '--accept-new'], {});
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toContain('Set AIRSPRAY_DEPLOY_KEY_PASSPHRASE');

    const keys = await airspray(['keys', ...common(), '--accept-new']);
    expect(keys.stderr).toBe('');
    expect(keys.code).toBe(0);
    const [header, ...lines] = keys.stdout.trim().split('\n');
    expect(header).toMatch(/^deploy key SHA256:\S+ \(new, encrypted under AIRSPRAY_DEPLOY_KEY_PASSPHRASE\)$/);
    expect(lines.map((line) => line.split('\t').slice(0, 6))).toEqual([1, 2, 3].map((index) => [`lab${index}`, hostAddress(index), 'ok', 'key added', 'login ok', 'sudo works']));
    // The private key on disk is OpenSSH-encrypted, never plain.
    const stored = await readFile(join(dataDir, 'projects', projectId, 'deploy-key.json'), 'utf8');
    expect(JSON.parse(stored)).toMatchObject({ protection: 'passphrase', encryptedPrivateKey: expect.stringContaining('BEGIN OPENSSH PRIVATE KEY') });
    expect(stored).not.toMatch(/"privateKey"|sealed/);

    const push = await airspray(['push', ...common(), '--json']);
    expect(push.code).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ filesSent: itemCount, filesSkipped: 0 });
    expect(push.stderr).toMatch(/airspray: done 100%/);
    const again = await airspray(['push', ...common(), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ filesSent: 0, filesSkipped: itemCount, bytesSent: 0 });

    const services = await airspray(['services', ...common()]);
    expect(services.stderr).toBe('');
    expect(services.code).toBe(0);
    const rows = services.stdout.trim().split('\n').map((line) => line.split('\t').slice(0, 3));
    expect(rows).toHaveLength(16);
    expect(rows.filter((row) => row[2] !== 'ok')).toEqual([]);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['laptop', 'lab1', 'lab2', 'lab3']));

    const health = await airspray(['health', ...common(), '--json']);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it('the API reuses the key with its passphrase, pushes with progress events, and checks the services', async () => {
    const core = createAirsprayCore({ shell: 'browser', version: 'test', dataDir: { dir: dataDir, source: 'option' }, bundleLocations: [{ path: bundlesDir, source: 'option' }] });
    const events: ApiEventPayload<'deploy.pushProgress'>[] = [];
    core.onEvent((event, payload) => event === 'deploy.pushProgress' && events.push(payload as ApiEventPayload<'deploy.pushProgress'>));
    const { id: credentialId } = await core.handlers['credentials.add']({ credential: { label: 'ops', user: 'ops', auth: { kind: 'password', password: labAccounts.ops.password } }, persist: false });

    await expect(core.handlers['deploy.bootstrapKeys']({ projectId, credentialId })).rejects.toMatchObject({ field: 'keyPassphrase' });
    const keys = await core.handlers['deploy.bootstrapKeys']({ projectId, credentialId, keyPassphrase: passphrase });
    expect(keys).toMatchObject({ protection: 'passphrase', created: false });
    expect(keys.hosts.map((host) => [host.ok, host.authorizedKey])).toEqual([[true, 'present'], [true, 'present'], [true, 'present']]);

    const { pushId } = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect.poll(() => events.find((event) => event.pushId === pushId && event.state !== 'running'), { timeout: 30_000 }).toBeTruthy();
    expect(events.at(-1)).toMatchObject({ pushId, projectId, state: 'finished', result: { filesSent: 0, filesSkipped: itemCount } });

    const health = await core.handlers['deploy.checkServices']({ projectId, credentialId, keyPassphrase: passphrase });
    expect(health.reports.map((report) => [report.from, report.ok])).toEqual([['laptop', true], ['lab1', true], ['lab2', true], ['lab3', true]]);

    // Cancel mid-transfer: the push stops and says so; the next push sends what is still different.
    const remoteKubeadm = `/var/lib/airspray/bundles/${bundleId}/files/${kubeadmUrlPath}`;
    await execOnHost('lab1', `printf 'x' | dd of=${remoteKubeadm} bs=1 seek=100 conv=notrunc status=none`);
    let cancelAsked: Promise<{ cancelled: boolean }> | undefined;
    core.onEvent((event, payload) => {
      const push = payload as ApiEventPayload<'deploy.pushProgress'>;
      if (event === 'deploy.pushProgress' && push.progress?.phase === 'sending' && !cancelAsked) cancelAsked = core.handlers['deploy.cancelPush']({ pushId: push.pushId });
    });
    const cancelled = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect.poll(() => events.find((event) => event.pushId === cancelled.pushId && event.state !== 'running'), { timeout: 30_000 }).toBeTruthy();
    expect(await cancelAsked).toEqual({ cancelled: true });
    expect(events.at(-1)).toMatchObject({ pushId: cancelled.pushId, state: 'cancelled', error: { message: expect.stringContaining('The push was cancelled') } });
    const again = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect.poll(() => events.find((event) => event.pushId === again.pushId && event.state !== 'running'), { timeout: 30_000 }).toBeTruthy();
    expect(events.at(-1)).toMatchObject({ pushId: again.pushId, state: 'finished', result: { filesSent: 1 } });
  }, 60_000);
});
