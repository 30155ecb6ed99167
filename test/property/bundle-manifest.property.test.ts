import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleManifestSchema } from '../../electron/common/bundle-manifest';
import { generateSigningKey, readSigningKey, signManifest } from '../../electron/node/bundles/bundle-signing';
import { findBundles } from '../../electron/node/bundles/find-bundles';
import type { TrustedKey } from '../../electron/node/bundles/trusted-publishers';
import { readSignedManifest } from '../../electron/node/bundles/verify-bundle';
import { propertyRuns } from './only-airspray-errors';

const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
const hostilePath = fc.oneof(
  fc.constantFrom(
    'files/a.tar.gz',
    'kubespray/x',
    'manifest.json',
    'manifest.json.sig',
    '../etc/passwd',
    '/etc/shadow',
    'a/../../b',
    'a\\b',
    'a//b',
    './a',
    '.',
    '',
    'images/docker/registry/v2/blobs/x',
    '\u0000',
    'a\nb',
  ),
  fc.string({ maxLength: 20 }),
);
const anyJson = fc.jsonValue({ maxDepth: 2 });
// Each field is mostly well formed and sometimes any JSON at all, so cases reach every check after the schema's first.
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, anyJson);
const fileEntry = fc.record(
  {
    path: field(hostilePath),
    size: field(fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 2))),
    sha256: field(sha),
    kind: field(fc.constantFrom('kubespray', 'file', 'image', 'repo', 'python', 'tool', 'other', 'evil')),
    url: field(
      fc.constantFrom('https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm', 'javascript:alert(1)', 'not a url'),
    ),
    parts: field(
      fc.array(fc.record({ path: field(hostilePath), size: field(fc.nat()), sha256: field(sha) }), { maxLength: 3 }),
    ),
  },
  { requiredKeys: ['path', 'size', 'sha256', 'kind'] },
);
const manifestObject = fc.record(
  {
    formatVersion: field(fc.constantFrom(1, 2, 0, 1.5)),
    bundleId: field(fc.string({ maxLength: 210 })),
    createdAt: field(fc.constantFrom('2026-11-01T12:00:00.000Z', '2026-13-01T00:00:00Z', 'yesterday')),
    kubespray: field(
      fc.record(
        { version: field(fc.string({ maxLength: 55 })), commit: field(fc.constantFrom('abcdef1', 'xyz')) },
        { requiredKeys: ['version'] },
      ),
    ),
    kubernetesVersions: field(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
    architectures: field(fc.array(fc.constantFrom('amd64', 'arm64', 's390x'), { maxLength: 2 })),
    operatingSystems: field(
      fc.array(
        fc.record({
          id: field(fc.constantFrom('debian', 'ubuntu', 'Bad OS')),
          version: field(fc.string({ maxLength: 4 })),
        }),
        { maxLength: 2 },
      ),
    ),
    networkPlugins: field(fc.array(fc.constantFrom('calico', 'cilium', 'evil'), { maxLength: 2 })),
    files: field(fc.array(fileEntry, { maxLength: 4 })),
    images: field(fc.array(anyJson, { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const manifestBytes = fc.oneof(
  { weight: 6, arbitrary: manifestObject.map((manifest) => Buffer.from(JSON.stringify(manifest))) },
  fc.string({ maxLength: 200 }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc
    .constantFrom('null', '[]', '"x"', '{"formatVersion":99}', '{"__proto__":{"polluted":1}}')
    .map((text) => Buffer.from(text)),
);

describe('bundle manifest parsing on hostile input', () => {
  const publisher = generateSigningKey();
  const privateKey = readSigningKey(publisher.privateKeyPem);
  const trusted: TrustedKey[] = [
    { name: 'Fuzz publisher', publicKey: publisher.publicKey, fingerprint: publisher.fingerprint, source: 'operator' },
  ];
  let root: string;
  let bundle: string;
  beforeAll(async () => {
    // Memory-backed where it exists: 40,000 small writes, and the disk is not under test here.
    root = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'airspray-manifest-fuzz-'));
    bundle = join(root, 'bundles', 'fuzz');
    await mkdir(bundle, { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a signed manifest of any content is accepted only when the schema holds, else refused by name; never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(manifestBytes, async (bytes) => {
        await writeFile(join(bundle, 'manifest.json'), bytes);
        await writeFile(join(bundle, 'manifest.json.sig'), JSON.stringify(signManifest(bytes, privateKey)));
        const read = await readSignedManifest(bundle, trusted);
        if (read.ok) {
          expect(BundleManifestSchema.safeParse(read.manifest).success).toBe(true);
          for (const file of read.manifest.files) expect(file.path).not.toMatch(/^\/|(^|\/)\.\.(\/|$)|\\/);
        } else {
          expect(read.refusal.path).toBe('manifest.json');
          expect(read.refusal.detail).toMatch(/manifest\.json|format version/);
        }
      }),
      { numRuns: propertyRuns },
    );
  }, 120_000);

  it('the bundle list reads any manifest header before its signature: listed readable, or with its problem named', async () => {
    await fc.assert(
      fc.asyncProperty(manifestBytes, async (bytes) => {
        await writeFile(join(bundle, 'manifest.json'), bytes);
        const listed = await findBundles([{ path: join(root, 'bundles'), source: 'option' }]);
        expect(listed.bundles).toHaveLength(1);
        const header = listed.bundles[0]!.manifest;
        if (header.state === 'unreadable') expect(header.problem.length).toBeGreaterThan(10);
      }),
      { numRuns: propertyRuns },
    );
  }, 120_000);

  it('a signature file of any content is refused naming manifest.json.sig; never a throw', async () => {
    await writeFile(join(bundle, 'manifest.json'), '{}');
    const signatureText = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 120 }),
      fc
        .record({
          algorithm: fc.constantFrom('ed25519', 'rsa'),
          keyFingerprint: fc.constantFrom(publisher.fingerprint, 'SHA256:x'),
          signature: fc.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(signatureText, async (text) => {
        await writeFile(join(bundle, 'manifest.json.sig'), text);
        const read = await readSignedManifest(bundle, trusted);
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.refusal.detail.length).toBeGreaterThan(10);
      }),
      { numRuns: propertyRuns },
    );
  }, 120_000);
});
