import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import type { TrustedKey } from '../../electron/node/bundles/trusted-publishers';
import { collectFileEntries, writeSignedManifest } from '../../electron/node/bundles/write-manifest';

/**
 * Writes a bundle folder whose manifest header follows the format the app lists; the content files come with the bundle
 * capability.
 */
export async function writeBundleFolder(
  parent: string,
  folderName: string,
  header: { bundleId: string; kubesprayVersion: string; kubernetesVersions: string[] },
  options: { signed?: boolean } = {},
): Promise<string> {
  const folder = join(parent, folderName);
  await mkdir(folder, { recursive: true });
  const manifest = {
    formatVersion: 1,
    bundleId: header.bundleId,
    createdAt: '2026-11-01T12:00:00.000Z',
    kubespray: { version: header.kubesprayVersion },
    kubernetesVersions: header.kubernetesVersions,
  };
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  if (options.signed) await writeFile(join(folder, 'manifest.json.sig'), Buffer.alloc(64));
  return folder;
}

/**
 * A bundle manifest for `dir` as the tests' bundles have it (kubespray 2.23.3, Kubernetes 1.27.10, amd64, no images):
 * `fields` overrides any of them; the files, unless given, are those in the folder now.
 */
export async function testManifest(
  dir: string,
  fields: Partial<BundleManifest> & { bundleId: string },
): Promise<BundleManifest> {
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    kubespray: { version: '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'],
    operatingSystems: [],
    networkPlugins: [],
    images: [],
    ...fields,
    files: fields.files ?? (await collectFileEntries(dir)),
  };
}

/** Writes `dir`'s manifest (see testManifest) signed with a new key, and returns that key. */
export async function signTestBundle(dir: string, fields: Partial<BundleManifest> & { bundleId: string }) {
  const key = generateSigningKey();
  await writeSignedManifest(dir, await testManifest(dir, fields), key.privateKeyPem);
  return key;
}

/**
 * Writes a small kubespray 2.23.3 bundle in `dir` (debian 12, calico, Kubernetes 1.27.10, a cluster.yml and what is
 * there already) signed with `key`; `known` are sha256s already computed for its files.
 */
export async function writeSignedKubesprayBundle(
  dir: string,
  bundleId: string,
  key: ReturnType<typeof generateSigningKey>,
  known: Map<string, { sha256: string }> = new Map(),
): Promise<void> {
  await mkdir(join(dir, 'kubespray'), { recursive: true });
  await writeFile(join(dir, 'kubespray', 'cluster.yml'), '- import_playbook: playbooks/cluster.yml\n');
  const manifest: BundleManifest = {
    formatVersion: 1,
    bundleId,
    createdAt: '2026-11-25T09:30:00.000Z',
    kubespray: { version: '2.23.3' },
    kubernetesVersions: ['1.27.10'],
    architectures: ['amd64'],
    operatingSystems: [{ id: 'debian', version: '12' }],
    networkPlugins: ['calico'],
    files: await collectFileEntries(dir, known),
    images: [],
  };
  await writeSignedManifest(dir, manifest, key.privateKeyPem);
}

/** The URLs a manifest says its files were downloaded from, sorted. */
export function downloadUrls(manifest: BundleManifest): string[] {
  return manifest.files.flatMap((file) => (file.url ? [file.url] : [])).sort();
}

/** A new signing key, and the trusted-keys list that trusts it under `name` as a key given on the command line. */
export function trustedTestKey(name: string): {
  publisher: ReturnType<typeof generateSigningKey>;
  trusted: TrustedKey[];
} {
  const publisher = generateSigningKey();
  return {
    publisher,
    trusted: [{ name, publicKey: publisher.publicKey, fingerprint: publisher.fingerprint, source: 'option' }],
  };
}
