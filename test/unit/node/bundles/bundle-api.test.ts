import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../../../electron/common/api';
import { createAirsprayCore } from '../../../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../../../electron/node/api/dispatch-api-call';
import { signTestBundle } from '../../../support/bundle-fixtures';

async function setUp() {
  const root = await mkdtemp(join(tmpdir(), 'airspray-bundle-api-'));
  const bundles = join(root, 'bundles');
  const dir = join(bundles, 'ks-2.23.3');
  await mkdir(join(dir, 'files', 'dl.k8s.io'), { recursive: true });
  await writeFile(join(dir, 'files', 'dl.k8s.io', 'kubeadm'), randomBytes(100_000));
  const key = await signTestBundle(dir, { bundleId: 'api-bundle' });
  const core = createAirsprayCore({
    shell: 'browser',
    version: 'test',
    dataDir: { dir: join(root, 'data'), source: 'option' },
    bundleLocations: [{ path: bundles, source: 'option' }],
  });
  const call = (method: string, params: unknown) => dispatchApiCall(core.handlers, method, params, () => undefined);
  return { core, call, dir, key };
}

describe('bundle API', () => {
  it('refuses an unknown publisher, trusts a key only with its fingerprint, then verifies with progress events and lists the result', async () => {
    const { core, call, dir, key } = await setUp();
    const refused = await call('bundles.verify', { path: dir, mode: 'full' });
    expect(refused).toMatchObject({
      ok: true,
      result: { outcome: 'refused', refusals: [{ path: 'manifest.json.sig', reason: 'unknown-publisher' }] },
    });

    expect(await call('bundles.describePublisherKey', { publicKey: key.publicKeyPem })).toEqual({
      ok: true,
      result: { fingerprint: key.fingerprint },
    });
    expect(
      await call('bundles.trustPublisher', {
        name: 'Ops',
        publicKey: key.publicKeyPem,
        confirmedFingerprint: 'SHA256:other',
      }),
    ).toMatchObject({ ok: false, error: { field: 'confirmedFingerprint' } });
    expect(
      await call('bundles.trustPublisher', {
        name: 'Ops',
        publicKey: key.publicKeyPem,
        confirmedFingerprint: key.fingerprint,
      }),
    ).toMatchObject({ ok: true });

    const events: ApiEventPayload<'bundles.verifyProgress'>[] = [];
    core.onEvent((event, payload) => {
      if (event === 'bundles.verifyProgress') events.push(payload as ApiEventPayload<'bundles.verifyProgress'>);
    });
    const verified = await call('bundles.verify', { path: dir, mode: 'full' });
    expect(verified).toMatchObject({
      ok: true,
      result: { outcome: 'verified', publisher: { name: 'Ops', source: 'operator' } },
    });
    expect(events.map((event) => event.phase)).toContain('hashing');
    expect(events.at(-1)).toMatchObject({ phase: 'done', bundlePath: dir });

    expect(await call('bundles.verifications', {})).toMatchObject({
      ok: true,
      result: [{ bundlePath: dir, running: false, result: { outcome: 'verified', fromCache: true } }],
    });
  });

  it('verifies only bundles the search lists, and cancelling nothing says so', async () => {
    const { call } = await setUp();
    expect(await call('bundles.verify', { path: '/etc', mode: 'quick' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'path' },
    });
    expect(await call('bundles.cancelVerification', { path: '/etc' })).toEqual({
      ok: true,
      result: { cancelled: false },
    });
  });
});
