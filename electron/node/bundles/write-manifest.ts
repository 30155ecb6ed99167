import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bundleFileKindOf,
  BundleManifestSchema,
  bundlePartBytes,
  type BundleFileEntry,
  type BundleManifest,
} from '../../common/bundle-manifest';
import { describeFirstIssue } from '../../common/describe-issue';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { readSigningKey, signManifest, type BundleSignature } from './bundle-signing';
import { splitFile } from './bundle-parts';
import { manifestFileName, readBundleTree, signatureFileName } from './bundle-tree';
import { sha256OfFile } from './file-digest';
import { coreError } from '../i18n/format-core-message';

export type FileFacts = Pick<BundleFileEntry, 'url' | 'kubesprayVariable'> & { sha256?: string };

/**
 * Lists every file under the bundle folder as a manifest entry, splitting files over `partBytes` into parts.
 * `known` supplies hashes already computed (downloads) and the URL/variable of files/ entries.
 */
export async function collectFileEntries(
  bundleDir: string,
  known: ReadonlyMap<string, FileFacts> = new Map(),
  partBytes = bundlePartBytes,
): Promise<BundleFileEntry[]> {
  const tree = await readBundleTree(bundleDir);
  const entries: BundleFileEntry[] = [];
  for (const file of [...tree.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!file.regular) throw coreError('invalid_params', 'bundleBuild.not-regular-file', { path: file.path }, 'path');
    const facts = known.get(file.path);
    const sha256 = facts?.sha256 ?? (await sha256OfFile(join(bundleDir, file.path)));
    const entry: BundleFileEntry = { path: file.path, size: file.size, sha256, kind: bundleFileKindOf(file.path) };
    if (facts?.url) entry.url = facts.url;
    if (facts?.kubesprayVariable) entry.kubesprayVariable = facts.kubesprayVariable;
    if (file.size > partBytes) entry.parts = await splitFile(bundleDir, file.path, file.size, partBytes);
    entries.push(entry);
  }
  return entries;
}

/** Writes manifest.json (checked against the schema) and signs its exact bytes. */
export async function writeSignedManifest(
  bundleDir: string,
  manifest: BundleManifest,
  privateKeyPem: string,
  passphrase?: string,
): Promise<BundleSignature> {
  const checked = BundleManifestSchema.safeParse(manifest);
  if (!checked.success)
    throw coreError(
      'invalid_params',
      'bundle.manifest-to-sign-invalid',
      { problem: describeFirstIssue(checked.error).text },
      describeFirstIssue(checked.error).field,
    );
  const bytes = Buffer.from(`${JSON.stringify(checked.data, null, 2)}\n`);
  // Check the key before writing, so a wrong passphrase leaves no unsigned manifest behind.
  readSigningKey(privateKeyPem, passphrase);
  await writeFileAtomic(join(bundleDir, manifestFileName), bytes, 0o644);
  return signManifestFile(bundleDir, privateKeyPem, passphrase);
}

/** Signs the manifest.json already in the folder (`airspray bundle sign`). */
export async function signManifestFile(
  bundleDir: string,
  privateKeyPem: string,
  passphrase?: string,
): Promise<BundleSignature> {
  const key = readSigningKey(privateKeyPem, passphrase);
  const manifestPath = join(bundleDir, manifestFileName);
  if (!(await stat(manifestPath).catch(() => undefined))?.isFile()) {
    throw coreError('not_found', 'bundleBuild.manifest-missing', { path: manifestPath }, 'dir');
  }
  const signature = signManifest(await readFile(manifestPath), key);
  await writeFileAtomic(join(bundleDir, signatureFileName), `${JSON.stringify(signature, null, 2)}\n`, 0o644);
  return signature;
}
