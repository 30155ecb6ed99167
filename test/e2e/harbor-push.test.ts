import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleFileEntry, BundleImageEntry } from '../../electron/common/bundle-manifest';
import type { ImagePushEvent } from '../../electron/common/deploy-api';
import type { ImagePushProgress } from '../../electron/common/deploy-api';
import { pushImages, type ImagePushOptions } from '../../electron/node/deploy/harbor/push-images';
import { airsprayRefusal } from '../support/airspray-refusal';
import { startServe } from '../support/airspray-serve';
import { openApiClient } from '../support/api-client';
import { buildDeployCli } from '../support/bundle-cli';
import { makeTestCa, startHarborStandIns, type HarborStandIns, type TestCa } from '../support/auth-registry';
import { createHarborProject, writeImageBundle } from '../support/harbor-bundle';

const run = promisify(execFile);
const login = { user: 'pusher', password: 'harbor push password' };
const project = 'k8s';

let workDir: string;
let bundleDir: string;
let files: BundleFileEntry[];
let images: BundleImageEntry[];
let ca: TestCa;
let certDir: string;
let otherCa: TestCa;
let harbor: HarborStandIns;

/** skopeo, the real OCI client, with the test CA in its cert dir and the pusher's login. */
async function skopeo(args: string[]) {
  return run('skopeo', args, { maxBuffer: 16 * 1024 * 1024 });
}

/** The sha256 digest of the manifest `reference` serves, as skopeo reads it with the pusher's login. */
async function servedDigest(reference: string): Promise<string> {
  const creds = `${login.user}:${login.password}`;
  const raw = (await skopeo(['inspect', '--raw', '--cert-dir', certDir, '--creds', creds, `docker://${reference}`]))
    .stdout;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** skopeo copies `reference` with the pusher's login into a dir: folder, checking every blob's digest. */
async function pull(reference: string, folder: string, ...extra: string[]) {
  const creds = `${login.user}:${login.password}`;
  await skopeo([
    'copy',
    '--src-cert-dir',
    certDir,
    '--src-creds',
    creds,
    ...extra,
    `docker://${reference}`,
    `dir:${folder}`,
  ]);
}

const push = (address: string, extra: Partial<ImagePushOptions> = {}) =>
  pushImages({
    bundleDir,
    files,
    images,
    target: { address, project, caCertificate: ca.caPem, username: login.user, password: login.password },
    ...extra,
  });

const harborPlan = (address: string, harborProject: string) => ({
  address,
  project: harborProject,
  caCertificate: ca.caPem,
  username: login.user,
});

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'airspray-harbor-'));
  ({ bundleDir, files, images } = await writeImageBundle(workDir));

  ca = await makeTestCa(join(workDir, 'ca'), 'Harbor');
  otherCa = await makeTestCa(join(workDir, 'other-ca'), 'Someone else');
  // skopeo reads every *.crt of its cert dir as a CA (and a *.key as a client key, so the CA's own folder won't do).
  certDir = join(workDir, 'skopeo-certs');
  await mkdir(certDir);
  await writeFile(join(certDir, 'ca.crt'), ca.caPem);
  harbor = await startHarborStandIns(workDir, ca, login);
}, 120_000);

afterAll(async () => {
  await harbor?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('pushing bundle images into a registry with a login (docker-registry standing in for Harbor)', () => {
  it('pushes every image over TLS with Basic auth, skopeo pulls them, and a second push sends no blob', async () => {
    const progress: ImagePushProgress[] = [];
    // 1 MiB chunks: the 3 MiB nginx layer goes up in PATCH chunks, the rest in one PUT each.
    const first = await push(harbor.basicRegistry.address, {
      chunkBytes: 1024 * 1024,
      onProgress: (event) => progress.push(event),
    });
    expect(first.registry).toBe(`${harbor.basicRegistry.address}/${project}`);
    expect(first.images.map((image) => image.target)).toEqual([
      `${harbor.basicRegistry.address}/k8s/calico/node:v3.25.2`,
      `${harbor.basicRegistry.address}/k8s/library/nginx:1.25.2-alpine`,
      `${harbor.basicRegistry.address}/k8s/kube-apiserver:v1.27.10`,
      `${harbor.basicRegistry.address}/k8s/mirror/kube-apiserver:v1.27.10`,
    ]);
    // Each image is a config and two layers. The test images' amd64 configs are the same bytes, so after calico's
    // the others are mounted from it, as are the mirror's three blobs from kube-apiserver.
    expect(first.blobsTotal).toBe(12);
    expect(first.blobsSent).toBe(7);
    expect(first.blobsMounted).toBe(5);
    expect(first.blobsSkipped).toBe(0);
    expect(first.anonymousPull).toBe(false);
    // The bundle keeps amd64 of calico's index only: the index pushed lists that platform, so its digest differs.
    expect(first.images[0]!.digest).not.toBe(first.images[0]!.bundleDigest);
    expect(first.images.slice(1).every((image) => image.digest === image.bundleDigest)).toBe(true);

    const last = progress.at(-1)!;
    expect(last.phase).toBe('done');
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.blobsDone).toBe(12);
    expect(last.blobsSkipped).toBe(5);
    expect(last.imagesDone).toBe(4);
    expect(
      progress.some((event) => event.phase === 'pushing' && event.bytesDone > 0 && event.bytesDone < event.bytesTotal),
    ).toBe(true);
    expect(first.bytesSent).toBeLessThan(last.bytesTotal);

    for (const image of first.images) {
      expect(await servedDigest(image.target)).toBe(image.digest);
    }
    // A real pull: every blob is fetched and its digest checked by skopeo.
    await pull(first.images[1]!.target, join(workDir, 'pulled-nginx'));
    await pull(first.images[0]!.target, join(workDir, 'pulled-calico'), '--override-arch', 'amd64');

    const second = await push(harbor.basicRegistry.address);
    expect(second.blobsSent).toBe(0);
    expect(second.blobsMounted).toBe(0);
    expect(second.blobsSkipped).toBe(second.blobsTotal);
    expect(second.manifestsSent).toBe(0);
    expect(second.manifestsSkipped).toBe(first.manifestsSent);
    expect(second.bytesSent).toBe(0);
  });

  it('pushes through a bearer token service and only asks it for the repositories it writes', async () => {
    const result = await push(harbor.tokenRegistry.address);
    expect(result.blobsSent).toBe(7);
    expect(result.blobsMounted).toBe(5);
    expect(result.anonymousPull).toBe(false);
    const scopes = harbor.tokenService.requests
      .filter((request) => request.user === login.user)
      .flatMap((request) => request.scopes);
    expect(scopes).toContain('repository:k8s/calico/node:pull,push');
    expect(scopes.every((scope) => scope.startsWith('repository:k8s/'))).toBe(true);
    expect(await servedDigest(result.images[2]!.target)).toBe(result.images[2]!.digest);
  });

  it('names the password when the login is refused, by Basic auth and by the token service', async () => {
    for (const address of [harbor.basicRegistry.address, harbor.tokenRegistry.address]) {
      const error = await airsprayRefusal(
        pushImages({
          bundleDir,
          files,
          images,
          target: { address, project, caCertificate: ca.caPem, username: login.user, password: 'wrong password' },
        }),
      );
      expect(error.field).toBe('harborPassword');
      expect(error.message).toContain(`refused the login of ${login.user}`);
      expect(error.message).not.toContain('wrong password');
    }
    const missing = await airsprayRefusal(
      pushImages({
        bundleDir,
        files,
        images,
        target: { address: harbor.basicRegistry.address, project, caCertificate: ca.caPem, username: login.user },
      }),
    );
    expect(missing.field).toBe('harborPassword');
  });

  it('refuses a registry whose certificate no trusted CA signed', async () => {
    for (const caCertificate of [undefined, otherCa.caPem]) {
      const error = await airsprayRefusal(
        pushImages({
          bundleDir,
          files,
          images,
          target: {
            address: harbor.basicRegistry.address,
            project,
            caCertificate,
            ...{ username: login.user, password: login.password },
          },
        }),
      );
      expect(error.field).toBe('settings.registry.caCertificate');
      expect(error.message).toMatch(/certificate no trusted CA signed/);
    }
  });

  it("airspray deploy images pushes a project's verified bundle into the plan's Harbor, with progress, and names a wrong password", async () => {
    const dataDir = join(workDir, 'cli-data');
    await createHarborProject({
      dataDir,
      bundlesDir: join(workDir, 'cli-bundles'),
      imageBundle: { bundleDir, images },
      name: 'harbor-cluster',
      harbor: harborPlan(harbor.basicRegistry.address, 'cli'),
    });
    const cli = await buildDeployCli(workDir);
    const airspray = (passwordFile: string) =>
      cli(
        'deploy',
        'images',
        '--project',
        'harbor-cluster',
        '--harbor-password-file',
        passwordFile,
        '--data-dir',
        dataDir,
        '--bundles-dir',
        join(workDir, 'cli-bundles'),
      );
    await writeFile(join(workDir, 'wrong-password'), 'not it\n', { mode: 0o600 });
    const refused = await airspray(join(workDir, 'wrong-password'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refused the login of ${login.user}: check the Harbor password`);
    expect(refused.stderr).not.toContain('not it');

    await writeFile(join(workDir, 'password'), `${login.password}\n`, { mode: 0o600 });
    const pushed = await airspray(join(workDir, 'password'));
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain(`${harbor.basicRegistry.address}/cli/calico/node:v3.25.2\tsha256:`);
    expect(pushed.stdout).toMatch(/4 image\(s\), 7 blob\(s\) sent .* 0 already there, 5 mounted/);
    expect(pushed.stderr).toMatch(/airspray: done 100% .* images 4\/4, blobs 12\/12/);
    expect(pushed.stderr).toContain('refuses pulls without a login');
    expect(pushed.stderr).not.toContain(login.password);
    expect(await servedDigest(`${harbor.basicRegistry.address}/cli/library/nginx:1.25.2-alpine`)).toBe(
      images[1]!.digest,
    );
  });

  it('deploy.pushImages over the API: refuses bad params by field, reports a wrong password on harborPassword, then pushes with progress events', async () => {
    const dataDir = join(workDir, 'api-data');
    const bundlesDir = join(workDir, 'api-bundles');
    const { projectId } = await createHarborProject({
      dataDir,
      bundlesDir,
      imageBundle: { bundleDir, images },
      name: 'harbor-api',
      harbor: harborPlan(harbor.basicRegistry.address, 'api'),
    });
    const serve = await startServe(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
    const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
    try {
      // The schema refuses before anything runs: an empty password, and a field the method does not take.
      await expect(api.call('deploy.pushImages', { projectId, harborPassword: '' })).rejects.toMatchObject({
        code: 'invalid_params',
        field: 'harborPassword',
        message: expect.stringContaining('Harbor password is empty'),
      });
      await expect(
        api.call('deploy.pushImages', { projectId, harborPassword: 'x', username: 'root' } as never),
      ).rejects.toMatchObject({ code: 'invalid_params' });

      const ended = (pushId: string) => (event: string, payload: unknown) =>
        event === 'deploy.imagePushProgress' &&
        (payload as ImagePushEvent).pushId === pushId &&
        (payload as ImagePushEvent).state !== 'running';
      const wrong = await api.call('deploy.pushImages', { projectId, harborPassword: 'not the password' });
      const refused = (await api.waitForEvent(ended(wrong.pushId))) as ImagePushEvent;
      expect(refused.state).toBe('failed');
      expect(refused.error?.field).toBe('harborPassword');
      expect(refused.error?.message).toContain(`refused the login of ${login.user}`);
      expect(JSON.stringify(api.events)).not.toContain('not the password');

      const { pushId } = await api.call('deploy.pushImages', { projectId, harborPassword: login.password });
      const finished = (await api.waitForEvent(ended(pushId))) as ImagePushEvent;
      expect(finished.state, JSON.stringify(finished.error)).toBe('finished');
      expect(finished.result).toMatchObject({
        registry: `${harbor.basicRegistry.address}/api`,
        blobsTotal: 12,
        blobsMounted: 5,
        anonymousPull: false,
      });
      expect(finished.result!.images.map((image) => image.target)).toContain(
        `${harbor.basicRegistry.address}/api/library/nginx:1.25.2-alpine`,
      );
      const progress = api.events
        .filter(
          (entry) =>
            entry.event === 'deploy.imagePushProgress' &&
            (entry.payload as ImagePushEvent).pushId === pushId &&
            (entry.payload as ImagePushEvent).state === 'running',
        )
        .map((entry) => (entry.payload as ImagePushEvent).progress!);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ phase: 'done', blobsDone: 12, imagesDone: 4, imagesTotal: 4 });
      expect(progress.at(-1)!.bytesDone).toBe(progress.at(-1)!.bytesTotal);
      expect(serve.output()).not.toContain(login.password);

      // A plan without Harbor has nothing to push, and says where to choose one.
      const project = await api.call('projects.open', { id: projectId });
      await api.call('projects.savePlan', {
        id: projectId,
        revision: project.revision,
        hosts: project.cluster.hosts,
        deployNode: 'node1',
        settings: { ...project.cluster.settings, registry: { kind: 'bundle', registryPort: 5000, filesPort: 8080 } },
      });
      await expect(api.call('deploy.pushImages', { projectId, harborPassword: login.password })).rejects.toMatchObject({
        code: 'conflict',
        field: 'settings.registry',
      });
    } finally {
      api.close();
      await serve.stop();
    }
  });

  it('stops when cancelled and says so', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await airsprayRefusal(push(harbor.basicRegistry.address, { signal: controller.signal }));
    expect(error.message).toContain('cancelled');
  });
});
