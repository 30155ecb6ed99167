import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePushEvent } from '../../electron/common/deploy-api';
import { serveWithApi, type ServedApi } from '../support/airspray-serve';
import type { ApiClient } from '../support/api-client';
import { makeTestCa, startHarborStandIns, type HarborStandIns, type TestCa } from '../support/auth-registry';
import { createHarborProject, writeImageBundle } from '../support/harbor-bundle';
import { filesUnder, markerHits, needlesOf, type SearchedFile } from '../support/marker-search';

// The Harbor image push through a real `airspray serve`, with a marker Harbor password, against Debian's
// docker-registry over TLS on loopback (Harbor's stand-in, as in test/e2e/harbor-push.test.ts), by Basic auth and by a
// bearer token service: a wrong marker password, a refused payload holding one, then the push. Every file the app
// wrote, the inventory export, the server's output and every API message are then searched for the markers (plain and
// base64, which covers the Basic header): zero hits.
const tag = randomBytes(6).toString('hex');
const markers = {
  password: `MARKER-HARBOR-${tag}`,
  wrongPassword: `MARKER-HARBOR-WRONG-${tag}`,
  refusedPayload: `MARKER-HARBOR-REFUSED-${tag}`,
};
const needles = Object.values(markers).flatMap(needlesOf);
const user = 'pusher';

let workDir: string;
let dataDir: string;
let bundlesDir: string;
let ca: TestCa;
let harbor: HarborStandIns;
let served: ServedApi;
let api: ApiClient;
let projectId: string;
/** Every reply and event the page got, as sent. */
const messages: unknown[] = [];
const written: SearchedFile[] = [];

const ended = (pushId: string) => (event: string, payload: unknown) =>
  event === 'deploy.imagePushProgress' &&
  (payload as ImagePushEvent).pushId === pushId &&
  (payload as ImagePushEvent).state !== 'running';

async function pushWith(harborPassword: string): Promise<ImagePushEvent> {
  const started = await api.call('deploy.pushImages', { projectId, harborPassword });
  messages.push(started);
  return (await api.waitForEvent(ended(started.pushId))) as ImagePushEvent;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'airspray-secrets-harbor-'));
  dataDir = join(workDir, 'data');
  bundlesDir = join(workDir, 'bundles');
  const imageBundle = await writeImageBundle(workDir);
  ca = await makeTestCa(join(workDir, 'ca'), 'Harbor');
  const login = { user, password: markers.password };
  harbor = await startHarborStandIns(workDir, ca, login);
  ({ projectId } = await createHarborProject({
    dataDir,
    bundlesDir,
    imageBundle,
    name: 'harbor-secrets',
    harbor: { address: harbor.basicRegistry.address, project: 'k8s', caCertificate: ca.caPem, username: user },
  }));
  served = await serveWithApi(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
  api = served.api;
}, 120_000);

afterAll(async () => {
  await served?.close();
  await harbor?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a marker Harbor password never reaches the disk, the exports, the log or the page', () => {
  it('pushes with the marker password by Basic auth and through a token service, after a wrong one and a refused payload', async () => {
    for (const registry of [harbor.basicRegistry, harbor.tokenRegistry]) {
      const project = await api.call('projects.open', { id: projectId });
      const settings = { ...project.cluster.settings.registry, address: registry.address };
      messages.push(
        await api.call('projects.savePlan', {
          id: projectId,
          revision: project.revision,
          hosts: project.cluster.hosts,
          deployNode: project.cluster.deployNode,
          settings: { ...project.cluster.settings, kubernetesVersion: '1.27.10', registry: settings },
        }),
      );

      const wrong = await pushWith(markers.wrongPassword);
      expect(wrong).toMatchObject({
        state: 'failed',
        error: { field: 'harborPassword', message: expect.stringContaining(`refused the login of ${user}`) },
      });
      // A payload the schema refuses: its error names the problem, never echoes the password.
      const refused = await api
        .call('deploy.pushImages', { projectId, harborPassword: markers.refusedPayload, username: 'root' } as never)
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'invalid_params' });
      messages.push({ ...(refused as object), message: (refused as Error).message });

      const pushed = await pushWith(markers.password);
      expect(pushed.state, JSON.stringify(pushed.error)).toBe('finished');
      expect(pushed.result).toMatchObject({ registry: `${registry.address}/k8s`, blobsTotal: 12 });
    }
    // The token service got the marker (the push logged in there) and asked only for our project's repositories.
    expect(
      harbor.tokenService.requests.some(
        (request) => request.user === user && request.scopes.some((scope) => scope.startsWith('repository:k8s/')),
      ),
    ).toBe(true);

    const archive = await api.call('inventory.exportArchive', { id: projectId, format: 'tar.gz' });
    written.push({
      path: 'exported inventory archive (tar)',
      bytes: gunzipSync(Buffer.from(archive.base64, 'base64')),
    });
    messages.push(...api.events);
  }, 240_000);

  it('finds no marker in the data folder, the bundles folder, the export, the server output or any API message', async () => {
    await served.close();
    const searched = [
      ...(await filesUnder(dataDir)),
      ...(await filesUnder(bundlesDir)),
      ...written,
      { path: 'server output', bytes: Buffer.from(served.serve.output()) },
      { path: 'API messages', bytes: Buffer.from(JSON.stringify(messages)) },
    ];
    expect(markerHits(searched, needles)).toEqual([]);
    // The search is not vacuous: it finds what the flow did write and send ...
    const found = markerHits(searched, ['harbor-secrets', `${harbor.tokenRegistry.address}/k8s`]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/project\.json: harbor-secrets$/),
        'exported inventory archive (tar): harbor-secrets',
        `API messages: ${harbor.tokenRegistry.address}/k8s`,
      ]),
    );
    // ... and each form of a marker, as a Basic header or a stored password would carry it.
    const planted = [
      { path: 'planted plain', bytes: Buffer.from(`{"harborPassword":"${markers.password}"}`) },
      {
        path: 'planted basic',
        bytes: Buffer.from(
          `Authorization: Basic ${Buffer.from(`${user}:${markers.wrongPassword}`).toString('base64')}`,
        ),
      },
      { path: 'planted base64', bytes: Buffer.from(Buffer.from(`"${markers.refusedPayload}"`).toString('base64')) },
    ];
    expect(markerHits(planted, needles).map((hit) => hit.split(':')[0])).toEqual(
      expect.arrayContaining(['planted plain', 'planted basic', 'planted base64']),
    );
  });
});
