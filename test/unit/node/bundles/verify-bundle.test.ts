import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleManifestHeaderSchema } from '../../../../electron/common/bundle';
import { BundleManifestSchema } from '../../../../electron/common/bundle-manifest';
import type { BundleVerificationProgress } from '../../../../electron/common/bundle-verification';
import { fingerprintOf, generateSigningKey } from '../../../../electron/node/bundles/bundle-signing';
import { openBundleFile } from '../../../../electron/node/bundles/bundle-parts';
import { addOperatorKey, readOperatorKeys } from '../../../../electron/node/bundles/trusted-publishers';
import { VerificationCache } from '../../../../electron/node/bundles/verification-cache';
import { isBundleVerified, verifyBundle } from '../../../../electron/node/bundles/verify-bundle';
import { collectFileEntries, writeSignedManifest } from '../../../../electron/node/bundles/write-manifest';
import { testManifest, trustedTestKey } from '../../../support/bundle-fixtures';

const { publisher, trusted } = trustedTestKey('Test publisher');

async function makeBundle(partBytes = 64 * 1024, largeBytes = 0): Promise<{ dir: string; big: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'airspray-verify-'));
  const big = randomBytes(150 * 1024);
  await mkdir(join(dir, 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64'), { recursive: true });
  await mkdir(join(dir, 'kubespray'), { recursive: true });
  await writeFile(join(dir, 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm'), big);
  await writeFile(join(dir, 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubectl'), randomBytes(5000));
  await writeFile(join(dir, 'kubespray/cluster.yml'), '- hosts: all\n');
  if (largeBytes > 0) await writeFile(join(dir, 'files/large.bin'), Buffer.alloc(largeBytes));
  const files = await collectFileEntries(
    dir,
    new Map([
      [
        'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm',
        {
          url: 'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm',
          kubesprayVariable: 'kubeadm_download_url',
        },
      ],
    ]),
    partBytes,
  );
  const manifest = await testManifest(dir, {
    bundleId: 'unit-bundle',
    operatingSystems: [{ id: 'debian', version: '12' }],
    networkPlugins: ['calico'],
    files,
  });

  await writeSignedManifest(dir, manifest, publisher.privateKeyPem);
  return { dir, big };
}

const kubeadmPart1 = 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm.part001';
const kubectl = 'files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubectl';

describe('bundle verification', () => {
  it('verifies a signed bundle in full and quick mode, with split parts joined when read', async () => {
    const { dir, big } = await makeBundle();
    const manifest = BundleManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    expect(BundleManifestHeaderSchema.safeParse(manifest).success).toBe(true);
    const kubeadm = manifest.files.find((file) => file.kubesprayVariable === 'kubeadm_download_url')!;
    expect(kubeadm.parts).toHaveLength(3);
    const chunks: Buffer[] = [];
    for await (const chunk of openBundleFile(dir, kubeadm)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);

    const progress: BundleVerificationProgress[] = [];
    const full = await verifyBundle(dir, {
      mode: 'full',
      trustedKeys: trusted,
      workers: 2,
      onProgress: (event) => progress.push(event),
    });
    expect(full.refusals).toEqual([]);
    expect(full.outcome).toBe('verified');
    expect(full.publisher?.fingerprint).toBe(publisher.fingerprint);
    expect(full.bytesHashed).toBe(big.length + 5000 + '- hosts: all\n'.length);
    expect(progress.some((event) => event.phase === 'hashing')).toBe(true);
    expect(progress.at(-1)?.phase).toBe('done');
    expect((await verifyBundle(dir, { mode: 'quick', trustedKeys: trusted })).outcome).toBe('verified');
  });

  /** A refusal's message by id, with (at least) these values. */
  const byId = (id: string, params: Record<string, unknown>) => ({ id, params: expect.objectContaining(params) });

  it.each([
    [
      'flipped byte',
      async (dir: string) => {
        const path = join(dir, kubectl);
        const bytes = await readFile(path);
        bytes[100] = bytes[100]! ^ 0xff;
        await writeFile(path, bytes);
      },
      { path: kubectl, reason: 'altered', i18n: byId('bundle.digest-differs', { path: kubectl }) },
      'verified',
    ],
    [
      'truncated part',
      (dir: string) => truncate(join(dir, kubeadmPart1), 10),
      { path: kubeadmPart1, reason: 'truncated', i18n: byId('bundle.size-differs', { size: 10 }) },
      'refused',
    ],
    [
      'grown file',
      (dir: string) => appendFile(join(dir, kubectl), 'x'),
      { path: kubectl, reason: 'altered', i18n: byId('bundle.size-differs', { path: kubectl }) },
      'refused',
    ],
    [
      'extra file',
      (dir: string) => writeFile(join(dir, 'files/extra.bin'), 'x'),
      { path: 'files/extra.bin', reason: 'extra', i18n: byId('bundle.file-extra', { path: 'files/extra.bin' }) },
      'refused',
    ],
    [
      'removed file',
      (dir: string) => rm(join(dir, 'kubespray/cluster.yml')),
      { path: 'kubespray/cluster.yml', reason: 'missing', i18n: byId('bundle.file-missing', {}) },
      'refused',
    ],
    [
      'edited manifest',
      async (dir: string) => {
        const text = await readFile(join(dir, 'manifest.json'), 'utf8');
        await writeFile(join(dir, 'manifest.json'), text.replace('unit-bundle', 'unit-bundlf'));
      },
      { path: 'manifest.json', reason: 'bad-signature', i18n: byId('bundle.signature-mismatch', {}) },
      'refused',
    ],
    [
      'missing signature',
      (dir: string) => rm(join(dir, 'manifest.json.sig')),
      { path: 'manifest.json.sig', reason: 'bad-signature', i18n: byId('bundle.unsigned', {}) },
      'refused',
    ],
  ] as const)(
    'refuses a %s, naming the file and reason (quick mode: %s)',
    async (_name, tamper, refusal, quickOutcome) => {
      const { dir } = await makeBundle();
      await tamper(dir);
      const full = await verifyBundle(dir, { mode: 'full', trustedKeys: trusted });
      expect(full.outcome).toBe('refused');
      expect(full.refusals).toEqual([expect.objectContaining(refusal)]);
      expect((await verifyBundle(dir, { mode: 'quick', trustedKeys: trusted })).outcome).toBe(quickOutcome);
    },
  );

  it('refuses a bundle re-signed with a key the app does not trust', async () => {
    const { dir } = await makeBundle();
    const stranger = generateSigningKey();
    const manifest = BundleManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    await writeSignedManifest(dir, manifest, stranger.privateKeyPem);
    const result = await verifyBundle(dir, { mode: 'quick', trustedKeys: trusted });
    expect(result.refusals).toEqual([
      expect.objectContaining({ path: 'manifest.json.sig', reason: 'unknown-publisher' }),
    ]);
    expect(result.refusals[0]?.i18n).toEqual({
      id: 'bundle.unknown-publisher',
      params: { fingerprint: stranger.fingerprint },
    });
  });

  it('caches a result by manifest digest and file mtimes, and re-verifies after a change', async () => {
    const { dir } = await makeBundle();
    const dataDir = await mkdtemp(join(tmpdir(), 'airspray-cache-'));
    const cache = new VerificationCache(dataDir);
    expect(await isBundleVerified(dir, trusted, cache)).toBe(false);
    const first = await verifyBundle(dir, { mode: 'full', trustedKeys: trusted, cache });
    expect(first.fromCache).toBe(false);
    const second = await verifyBundle(dir, {
      mode: 'full',
      trustedKeys: trusted,
      cache: new VerificationCache(dataDir),
    });
    expect(second).toMatchObject({ fromCache: true, outcome: 'verified', manifestDigest: first.manifestDigest });
    expect(await isBundleVerified(dir, trusted, cache)).toBe(true);
    // Same size, new content and mtime: the cache must not answer.
    const path = join(dir, kubectl);
    const bytes = await readFile(path);
    bytes[0] = bytes[0]! ^ 1;
    await writeFile(path, bytes);
    const third = await verifyBundle(dir, { mode: 'full', trustedKeys: trusted, cache });
    expect(third).toMatchObject({ fromCache: false, outcome: 'refused' });
    expect(await isBundleVerified(dir, trusted, cache)).toBe(false);
  });

  it('cancels a running verification', async () => {
    const { dir } = await makeBundle(512 * 1024 * 1024, 256 * 1024 * 1024);
    const controller = new AbortController();
    const result = await verifyBundle(dir, {
      mode: 'full',
      trustedKeys: trusted,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'hashing' && event.bytesDone > 0) controller.abort();
      },
    });
    expect(result.outcome).toBe('cancelled');
    expect(result.bytesHashed).toBeGreaterThan(0);
    expect(result.bytesHashed).toBeLessThan(256 * 1024 * 1024);
  });

  it('adds an operator key only when the confirmed fingerprint matches', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'airspray-keys-'));
    const other = generateSigningKey();
    await expect(
      addOperatorKey(dataDir, {
        name: 'Ops',
        publicKey: other.publicKeyPem,
        confirmedFingerprint: publisher.fingerprint,
      }),
    ).rejects.toMatchObject({
      field: 'confirmedFingerprint',
      i18n: { id: 'bundle.publisher-fingerprint-mismatch', params: { fingerprint: other.fingerprint } },
    });
    expect(await readOperatorKeys(dataDir)).toEqual([]);
    const added = await addOperatorKey(dataDir, {
      name: 'Ops',
      publicKey: other.publicKeyPem,
      confirmedFingerprint: other.fingerprint,
    });
    expect(added.fingerprint).toBe(fingerprintOf(other.publicKey));
    expect((await readOperatorKeys(dataDir)).map((key) => key.fingerprint)).toEqual([other.fingerprint]);
  });
});
