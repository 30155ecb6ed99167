import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  type ScryptOptions,
} from 'node:crypto';
import { z } from 'zod';
import { coreError } from '../i18n/format-core-message';

/**
 * scrypt at 32 MiB and AES-256-GCM: a wrong passphrase or a changed byte fails the tag check, never decrypts to
 * garbage.
 */
const cost = { N: 2 ** 15, r: 8, p: 1 };

export const PassphraseSealedSchema = z.object({
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: z.base64(),
  }),
  cipher: z.literal('aes-256-gcm'),
  iv: z.base64(),
  tag: z.base64(),
  ciphertext: z.base64(),
});
export type PassphraseSealed = z.infer<typeof PassphraseSealedSchema>;

const deriveKey = (passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
    scryptCallback(passphrase, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** Encrypts `text` under `passphrase` for storage; nothing of the text or the passphrase is readable in the result. */
export async function sealWithPassphrase(text: string, passphrase: string): Promise<PassphraseSealed> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt, cost), iv);
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return {
    kdf: { name: 'scrypt', ...cost, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export async function openWithPassphrase(sealed: PassphraseSealed, passphrase: string, field: string): Promise<string> {
  const key = await deriveKey(passphrase, Buffer.from(sealed.kdf.salt, 'base64'), sealed.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw coreError('invalid_params', 'seal.passphrase-wrong', {}, field);
  }
}
