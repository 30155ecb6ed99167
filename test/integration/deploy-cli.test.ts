import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../electron/common/api';
import { createAirsprayCore } from '../../electron/node/api/airspray-core';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { kubeadmUrlPath } from '../support/deploy-bundle';
import {
  createDeployCliProject,
  deployCliPassphrase as passphrase,
  runDeployCli,
  type DeployCliProject,
} from '../support/deploy-cli-project';
import { requireLab } from '../support/lab';

let project: DeployCliProject;
let dataDir: string;
let bundlesDir: string;
let projectId: string;
/** The manifest's files, the manifest and its signature. */
let itemCount: number;
let bundleId: string;

function airspray(args: string[], env?: NodeJS.ProcessEnv) {
  return runDeployCli(project, args, env);
}

const common = () => project.common;

beforeAll(async () => {
  await requireLab();
  project = await createDeployCliProject(
    'airspray-deploy-cli-',
    { largeFiles: 1, largeBytes: 9 * 1024 * 1024, smallFiles: 50, smallBytes: 1024, withServices: true },
    [1, 2, 3],
  );
  ({ dataDir, bundlesDir, projectId } = project);
  itemCount = project.bundle.manifest.files.length + 2;
  bundleId = project.bundle.manifest.bundleId;
}, 120_000);

describe('airspray deploy and the deploy API on the lab', () => {
  it('keys, push, services and health from the command line', async () => {
    const { AIRSPRAY_DEPLOY_KEY_PASSPHRASE: _omitted, ...withoutPassphrase } = project.env;
    const noPassphrase = await airspray(['keys', ...common(), '--accept-new'], withoutPassphrase);
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toContain('Set AIRSPRAY_DEPLOY_KEY_PASSPHRASE');

    const keys = await airspray(['keys', ...common(), '--accept-new']);
    expect(keys.stderr).toBe('');
    expect(keys.code).toBe(0);
    const [header, ...lines] = keys.stdout.trim().split('\n');
    expect(header).toMatch(/^deploy key SHA256:\S+ \(new, encrypted under AIRSPRAY_DEPLOY_KEY_PASSPHRASE\)$/);
    expect(lines.map((line) => line.split('\t').slice(0, 6))).toEqual(
      [1, 2, 3].map((index) => [`lab${index}`, hostAddress(index), 'ok', 'key added', 'login ok', 'sudo works']),
    );
    // The private key on disk is OpenSSH-encrypted, never plain.
    const stored = await readFile(join(dataDir, 'projects', projectId, 'deploy-key.json'), 'utf8');
    expect(JSON.parse(stored)).toMatchObject({
      protection: 'passphrase',
      encryptedPrivateKey: expect.stringContaining('BEGIN OPENSSH PRIVATE KEY'),
    });
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
    const rows = services.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t').slice(0, 3));
    expect(rows).toHaveLength(16);
    expect(rows.filter((row) => row[2] !== 'ok')).toEqual([]);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['laptop', 'lab1', 'lab2', 'lab3']));

    const health = await airspray(['health', ...common(), '--json']);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it('the API reuses the key with its passphrase, pushes with progress events, and checks the services', async () => {
    const core = createAirsprayCore({
      shell: 'browser',
      version: 'test',
      dataDir: { dir: dataDir, source: 'option' },
      bundleLocations: [{ path: bundlesDir, source: 'option' }],
    });
    const events: ApiEventPayload<'deploy.pushProgress'>[] = [];
    core.onEvent(
      (event, payload) =>
        event === 'deploy.pushProgress' && events.push(payload as ApiEventPayload<'deploy.pushProgress'>),
    );
    const { id: credentialId } = await core.handlers['credentials.add']({
      credential: { label: 'ops', user: 'ops', auth: { kind: 'password', password: labAccounts.ops.password } },
      persist: false,
    });

    await expect(core.handlers['deploy.bootstrapKeys']({ projectId, credentialId })).rejects.toMatchObject({
      field: 'keyPassphrase',
    });
    const keys = await core.handlers['deploy.bootstrapKeys']({ projectId, credentialId, keyPassphrase: passphrase });
    expect(keys).toMatchObject({ protection: 'passphrase', created: false });
    expect(keys.hosts.map((host) => [host.ok, host.authorizedKey])).toEqual([
      [true, 'present'],
      [true, 'present'],
      [true, 'present'],
    ]);

    const { pushId } = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect
      .poll(() => events.find((event) => event.pushId === pushId && event.state !== 'running'), { timeout: 30_000 })
      .toBeTruthy();
    expect(events.at(-1)).toMatchObject({
      pushId,
      projectId,
      state: 'finished',
      result: { filesSent: 0, filesSkipped: itemCount },
    });

    const health = await core.handlers['deploy.checkServices']({ projectId, credentialId, keyPassphrase: passphrase });
    expect(health.reports.map((report) => [report.from, report.ok])).toEqual([
      ['laptop', true],
      ['lab1', true],
      ['lab2', true],
      ['lab3', true],
    ]);

    // Cancel mid-transfer: the push stops and says so; the next push sends what is still different.
    const remoteKubeadm = `/var/lib/airspray/bundles/${bundleId}/files/${kubeadmUrlPath}`;
    await execOnHost('lab1', `printf 'x' | dd of=${remoteKubeadm} bs=1 seek=100 conv=notrunc status=none`);
    let cancelAsked: Promise<{ cancelled: boolean }> | undefined;
    core.onEvent((event, payload) => {
      const push = payload as ApiEventPayload<'deploy.pushProgress'>;
      if (event === 'deploy.pushProgress' && push.progress?.phase === 'sending' && !cancelAsked)
        cancelAsked = core.handlers['deploy.cancelPush']({ pushId: push.pushId });
    });
    const cancelled = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect
      .poll(() => events.find((event) => event.pushId === cancelled.pushId && event.state !== 'running'), {
        timeout: 30_000,
      })
      .toBeTruthy();
    expect(await cancelAsked).toEqual({ cancelled: true });
    expect(events.at(-1)).toMatchObject({
      pushId: cancelled.pushId,
      state: 'cancelled',
      error: { message: expect.stringContaining('The push was cancelled') },
    });
    const again = await core.handlers['deploy.pushBundle']({ projectId, credentialId, keyPassphrase: passphrase });
    await expect
      .poll(() => events.find((event) => event.pushId === again.pushId && event.state !== 'running'), {
        timeout: 30_000,
      })
      .toBeTruthy();
    expect(events.at(-1)).toMatchObject({ pushId: again.pushId, state: 'finished', result: { filesSent: 1 } });
  }, 60_000);
});
