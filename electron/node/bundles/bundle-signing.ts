import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { coreError } from '../i18n/format-core-message';

/** manifest.json.sig: a detached ed25519 signature over the exact manifest bytes, naming the key that made it. */
export const BundleSignatureSchema = z.object({
  formatVersion: z.literal(1),
  algorithm: z.literal('ed25519'),
  keyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 ed25519 signature (64 bytes)'),
});
export type BundleSignature = z.infer<typeof BundleSignatureSchema>;

/** A public key as the app stores it: the raw 32 bytes in base64. */
export const PublisherKeySchema = z.object({
  name: z.string().min(1).max(100),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 ed25519 public key (32 bytes)'),
});
export type PublisherKey = z.infer<typeof PublisherKeySchema>;

const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** OpenSSH-style fingerprint of the raw public key: SHA256:<base64 without padding>. */
export function fingerprintOf(publicKeyBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export function publicKeyObject(publicKeyBase64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ed25519SpkiPrefix, Buffer.from(publicKeyBase64, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}

export function rawPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(ed25519SpkiPrefix.length).toString('base64');
}

export interface GeneratedKeyPair {
  /** PKCS#8 PEM, encrypted with the passphrase when one is given. */
  privateKeyPem: string;
  /** SPKI PEM: what `--trust` and the publisher list read. */
  publicKeyPem: string;
  publicKey: string;
  fingerprint: string;
}

export function generateSigningKey(passphrase?: string): GeneratedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({
    format: 'pem',
    type: 'pkcs8',
    ...(passphrase ? { cipher: 'aes-256-cbc', passphrase } : {}),
  }) as string;
  const raw = rawPublicKey(publicKey);
  return {
    privateKeyPem,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    publicKey: raw,
    fingerprint: fingerprintOf(raw),
  };
}

/** Reads a private key PEM; a wrong or missing passphrase is a clear error, never a stack trace. */
export function readSigningKey(pem: string, passphrase?: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase ? { key: pem, passphrase } : { key: pem });
  } catch (error) {
    const encrypted = pem.includes('ENCRYPTED');
    throw encrypted
      ? coreError('invalid_params', 'bundle.signing-key-passphrase', {}, 'key')
      : coreError('invalid_params', 'bundle.signing-key-not-pem', { detail: (error as Error).message }, 'key');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw coreError(
      'invalid_params',
      'bundle.signing-key-not-ed25519',
      { keyType: key.asymmetricKeyType ?? '?' },
      'key',
    );
  }
  return key;
}

/** Reads a public key given as SPKI PEM or as the raw base64 form. */
export function readPublicKey(text: string): string {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return trimmed;
  let key: KeyObject;
  try {
    key = createPublicKey(trimmed);
  } catch {
    throw coreError('invalid_params', 'bundle.public-key-unreadable', {}, 'publicKey');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    const keyType = key.asymmetricKeyType ?? 'unknown';
    throw coreError('invalid_params', 'bundle.public-key-not-ed25519', { keyType }, 'publicKey');
  }
  return rawPublicKey(key);
}

export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject): BundleSignature {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    formatVersion: 1,
    algorithm: 'ed25519',
    keyFingerprint: fingerprintOf(publicKey),
    signature: sign(null, manifestBytes, privateKey).toString('base64'),
  };
}

export function signatureMatches(
  manifestBytes: Uint8Array,
  signature: BundleSignature,
  publicKeyBase64: string,
): boolean {
  return verify(null, manifestBytes, publicKeyObject(publicKeyBase64), Buffer.from(signature.signature, 'base64'));
}
