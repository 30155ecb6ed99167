import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Publisher } from '../../common/bundle-verification';
import { coreError } from '../i18n/format-core-message';
import { describeFirstIssue } from '../../common/describe-issue';
import { writeFileAtomic } from '../fs/write-file-atomic';
import packagedIndex from '../../../resources/bundles/index.json';
import { fingerprintOf, PublisherKeySchema, readPublicKey, type PublisherKey } from './bundle-signing';

export type TrustedKey = PublisherKey & { fingerprint: string; source: Publisher['source'] };

const PackagedIndexSchema = z.object({ formatVersion: z.literal(1), publishers: z.array(PublisherKeySchema) });
const OperatorKeysSchema = z.object({ formatVersion: z.literal(1), publishers: z.array(PublisherKeySchema) });

export const operatorKeysFileName = 'trusted-publishers.json';

/** The publisher keys built into this app build (resources/bundles/index.json, bundled at build time). */
export function builtInPublisherKeys(): TrustedKey[] {
  return PackagedIndexSchema.parse(packagedIndex).publishers.map((key) => ({
    ...key,
    fingerprint: fingerprintOf(key.publicKey),
    source: 'built-in',
  }));
}

export async function readOperatorKeys(dataDir: string): Promise<TrustedKey[]> {
  const path = join(dataDir, operatorKeysFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = OperatorKeysSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw coreError(
      'conflict',
      'bundle.publishers-file-invalid',
      { path, problem: describeFirstIssue(parsed.error).text },
      'publishers',
    );
  }
  return parsed.data.publishers.map((key) => ({
    ...key,
    fingerprint: fingerprintOf(key.publicKey),
    source: 'operator',
  }));
}

/** Describes a public key before the operator confirms it: the fingerprint is what they compare out of band. */
export function describePublisherKey(publicKeyText: string): { publicKey: string; fingerprint: string } {
  const publicKey = readPublicKey(publicKeyText);
  return { publicKey, fingerprint: fingerprintOf(publicKey) };
}

/**
 * Adds an operator key. The caller must pass back the fingerprint it showed the operator; a mismatch means the
 * operator confirmed a different key and nothing is stored.
 */
export async function addOperatorKey(
  dataDir: string,
  request: { name: string; publicKey: string; confirmedFingerprint: string },
): Promise<TrustedKey> {
  const { publicKey, fingerprint } = describePublisherKey(request.publicKey);
  if (request.confirmedFingerprint !== fingerprint) {
    throw coreError('invalid_params', 'bundle.publisher-fingerprint-mismatch', { fingerprint }, 'confirmedFingerprint');
  }
  const name = PublisherKeySchema.shape.name.safeParse(request.name);
  if (!name.success) throw coreError('invalid_params', 'bundle.publisher-name-length', {}, 'name');
  const existing = await readOperatorKeys(dataDir);
  const kept = existing
    .filter((key) => key.fingerprint !== fingerprint)
    .map(({ name: keyName, publicKey: key }) => ({ name: keyName, publicKey: key }));
  const document = { formatVersion: 1, publishers: [...kept, { name: name.data, publicKey }] };
  await mkdir(dataDir, { recursive: true });
  await writeFileAtomic(join(dataDir, operatorKeysFileName), `${JSON.stringify(document, null, 2)}\n`, 0o644);
  return { name: name.data, publicKey, fingerprint, source: 'operator' };
}
