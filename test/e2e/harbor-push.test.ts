import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleFileEntry, BundleImageEntry } from '../../electron/common/bundle-manifest';
import { AirsprayError } from '../../electron/common/errors';
import { pullImage, RegistryStorage } from '../../electron/node/bundles/build/oci-pull';
import { collectFileEntries } from '../../electron/node/bundles/write-manifest';
import { pushImages, type ImagePushOptions, type ImagePushProgress } from '../../electron/node/deploy/harbor/push-images';
import { makeTestCa, startAuthRegistry, startTokenService, type TestCa, type TokenService } from '../support/auth-registry';
import { pushTestImage, startDockerRegistry, type RunningRegistry } from '../support/bundle-lab';

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
let basicRegistry: RunningRegistry & { address: string };
let tokenService: TokenService;
let tokenRegistry: RunningRegistry & { address: string };

/** skopeo, the real OCI client, with the test CA in its cert dir and the pusher's login. */
async function skopeo(args: string[]) {
  return run('skopeo', args, { maxBuffer: 16 * 1024 * 1024 });
}

const push = (address: string, extra: Partial<ImagePushOptions> = {}) =>
  pushImages({ bundleDir, files, images, target: { address, project, caCertificate: ca.caPem, username: login.user, password: login.password }, ...extra });

async function rejection(promise: Promise<unknown>): Promise<AirsprayError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AirsprayError);
  return error as AirsprayError;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'airspray-harbor-'));
  bundleDir = join(workDir, 'bundle');
  // The bundle's images as the builder makes them: pulled from a source registry, keeping amd64 of a two-platform index.
  const source = await startDockerRegistry(join(workDir, 'source'), { readOnly: false, configDir: join(workDir, 'source-config') });
  const storage = new RegistryStorage(join(bundleDir, 'images'));
  try {
    await pushTestImage(source.url, 'calico/node', 'v3.25.2', ['amd64', 'arm64'], 'oci', 8 * 1024);
    await pushTestImage(source.url, 'library/nginx', '1.25.2-alpine', ['amd64'], 'docker', 3 * 1024 * 1024);
    await pushTestImage(source.url, 'kube-apiserver', 'v1.27.10', ['amd64'], 'oci', 4096);
    images = [];
    for (const [host, repository, tag] of [['quay.io', 'calico/node', 'v3.25.2'], ['docker.io', 'library/nginx', '1.25.2-alpine'], ['registry.k8s.io', 'kube-apiserver', 'v1.27.10']] as const) {
      images.push(await pullImage({ image: { reference: `${host}/${repository}:${tag}`, repository, tag }, baseUrl: source.url, storage, architectures: ['amd64'] }));
    }
  } finally {
    await source.stop();
  }
  // The same image under a second name: its blobs are in the registry already under the first, so they are mounted.
  const apiserver = images[2]!;
  await storage.linkManifest('mirror/kube-apiserver', apiserver.digest);
  await storage.tag('mirror/kube-apiserver', apiserver.tag, apiserver.digest);
  images.push({ ...apiserver, reference: `example.org/mirror/kube-apiserver:${apiserver.tag}`, repository: 'mirror/kube-apiserver' });
  files = await collectFileEntries(bundleDir, new Map());

  ca = await makeTestCa(join(workDir, 'ca'), 'Harbor');
  otherCa = await makeTestCa(join(workDir, 'other-ca'), 'Someone else');
  // skopeo reads every *.crt of its cert dir as a CA (and a *.key as a client key, so the CA's own folder won't do).
  certDir = join(workDir, 'skopeo-certs');
  await mkdir(certDir);
  await writeFile(join(certDir, 'ca.crt'), ca.caPem);
  basicRegistry = await startAuthRegistry(join(workDir, 'basic-store'), ca, { kind: 'htpasswd', ...login });
  tokenService = await startTokenService(ca, login);
  tokenRegistry = await startAuthRegistry(join(workDir, 'token-store'), ca, { kind: 'token', service: tokenService });
}, 120_000);

afterAll(async () => {
  await basicRegistry?.stop();
  await tokenRegistry?.stop();
  await tokenService?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('pushing bundle images into a registry with a login (docker-registry standing in for Harbor)', () => {
  it('pushes every image over TLS with Basic auth, skopeo pulls them, and a second push sends no blob', async () => {
    const progress: ImagePushProgress[] = [];
    // 1 MiB chunks: the 3 MiB nginx layer goes up in PATCH chunks, the rest in one PUT each.
    const first = await push(basicRegistry.address, { chunkBytes: 1024 * 1024, onProgress: (event) => progress.push(event) });
    expect(first.registry).toBe(`${basicRegistry.address}/${project}`);
    expect(first.images.map((image) => image.target)).toEqual([
      `${basicRegistry.address}/k8s/calico/node:v3.25.2`,
      `${basicRegistry.address}/k8s/library/nginx:1.25.2-alpine`,
      `${basicRegistry.address}/k8s/kube-apiserver:v1.27.10`,
      `${basicRegistry.address}/k8s/mirror/kube-apiserver:v1.27.10`,
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
    expect(progress.some((event) => event.phase === 'pushing' && event.bytesDone > 0 && event.bytesDone < event.bytesTotal)).toBe(true);
    expect(first.bytesSent).toBeLessThan(last.bytesTotal);

    for (const image of first.images) {
      const raw = (await skopeo(['inspect', '--raw', '--cert-dir', certDir, '--creds', `${login.user}:${login.password}`, `docker://${image.target}`])).stdout;
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(image.digest);
    }
    // A real pull: every blob is fetched and its digest checked by skopeo.
    await skopeo(['copy', '--src-cert-dir', certDir, '--src-creds', `${login.user}:${login.password}`, `docker://${first.images[1]!.target}`, `dir:${join(workDir, 'pulled-nginx')}`]);
    await skopeo(['copy', '--src-cert-dir', certDir, '--src-creds', `${login.user}:${login.password}`, '--override-arch', 'amd64', `docker://${first.images[0]!.target}`, `dir:${join(workDir, 'pulled-calico')}`]);

    const second = await push(basicRegistry.address);
    expect(second.blobsSent).toBe(0);
    expect(second.blobsMounted).toBe(0);
    expect(second.blobsSkipped).toBe(second.blobsTotal);
    expect(second.manifestsSent).toBe(0);
    expect(second.manifestsSkipped).toBe(first.manifestsSent);
    expect(second.bytesSent).toBe(0);
  });

  it('pushes through a bearer token service and only asks it for the repositories it writes', async () => {
    const result = await push(tokenRegistry.address);
    expect(result.blobsSent).toBe(7);
    expect(result.blobsMounted).toBe(5);
    expect(result.anonymousPull).toBe(false);
    const scopes = tokenService.requests.filter((request) => request.user === login.user).flatMap((request) => request.scopes);
    expect(scopes).toContain('repository:k8s/calico/node:pull,push');
    expect(scopes.every((scope) => scope.startsWith('repository:k8s/'))).toBe(true);
    const raw = (await skopeo(['inspect', '--raw', '--cert-dir', certDir, '--creds', `${login.user}:${login.password}`, `docker://${result.images[2]!.target}`])).stdout;
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(result.images[2]!.digest);
  });

  it('names the password when the login is refused, by Basic auth and by the token service', async () => {
    for (const address of [basicRegistry.address, tokenRegistry.address]) {
      const error = await rejection(pushImages({ bundleDir, files, images, target: { address, project, caCertificate: ca.caPem, username: login.user, password: 'wrong password' } }));
      expect(error.field).toBe('harborPassword');
      expect(error.message).toContain(`refused the login of ${login.user}`);
      expect(error.message).not.toContain('wrong password');
    }
    const missing = await rejection(pushImages({ bundleDir, files, images, target: { address: basicRegistry.address, project, caCertificate: ca.caPem, username: login.user } }));
    expect(missing.field).toBe('harborPassword');
  });

  it('refuses a registry whose certificate no trusted CA signed', async () => {
    for (const caCertificate of [undefined, otherCa.caPem]) {
      const error = await rejection(pushImages({ bundleDir, files, images, target: { address: basicRegistry.address, project, caCertificate, ...{ username: login.user, password: login.password } } }));
      expect(error.field).toBe('settings.registry.caCertificate');
      expect(error.message).toMatch(/certificate no trusted CA signed/);
    }
  });

  it('stops when cancelled and says so', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(push(basicRegistry.address, { signal: controller.signal }));
    expect(error.message).toContain('cancelled');
  });
});
