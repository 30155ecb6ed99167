import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { z } from 'zod';
import type { CredentialInput } from '../../common/credentials';
import type { SecretSealer } from '../access/credential-vault';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { fingerprintOf } from '../ssh/known-hosts';
import { coreError } from '../i18n/format-core-message';

/**
 * Where the private half lives: sealed by the OS keychain (desktop), encrypted by OpenSSH's own format under the
 * operator's passphrase (bcrypt KDF + aes256-ctr; browser mode and CLI), or only in this process's memory.
 */
export type DeployKeyProtection = 'keychain' | 'passphrase' | 'memory';

export interface DeployKey {
  /** `ssh-ed25519 AAAA… airspray-<project>`, the authorized_keys line. */
  publicKey: string;
  fingerprint: string;
  protection: DeployKeyProtection;
  /** Ready for connectSsh: the private key (encrypted when protected by a passphrase) and its passphrase. */
  credential: Extract<CredentialInput['auth'], { kind: 'key' }>;
}

const StoredKeySchema = z.discriminatedUnion('protection', [
  z.object({
    formatVersion: z.literal(1),
    protection: z.literal('keychain'),
    publicKey: z.string(),
    sealed: z.string(),
  }),
  z.object({
    formatVersion: z.literal(1),
    protection: z.literal('passphrase'),
    publicKey: z.string(),
    encryptedPrivateKey: z.string(),
  }),
]);

export const deployKeyFileName = 'deploy-key.json';

const fingerprintOfLine = (publicKey: string) => fingerprintOf(Buffer.from(publicKey.split(' ')[1] ?? '', 'base64'));

/** One ed25519 key pair per project; the private key never touches disk in plain text. */
/**
 * ssh2's generator strips the leading zero bytes of the public key's bit string, so the 1 key in 256 whose public
 * key starts with a zero byte comes out malformed (ssh2 and ssh-keygen both refuse it): make another.
 */
function generateEd25519Pair(options: { comment: string; passphrase?: string; cipher?: string; rounds?: number }): {
  public: string;
  private: string;
} {
  const attempts = 16;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519', options);
    if (!(utils.parseKey(pair.private, options.passphrase) instanceof Error)) return pair;
  }
  throw coreError('internal', 'deploy.key-generation-failed', { attempts });
}

export class DeployKeyStore {
  private readonly unlocked = new Map<string, DeployKey>();

  constructor(
    private readonly projectFolder: (projectId: string) => string,
    private readonly sealer?: SecretSealer,
  ) {}

  /**
   * The project's key, unlocked with `passphrase` when it is stored under one; undefined when the project has none yet.
   */
  async get(projectId: string, passphrase?: string): Promise<DeployKey | undefined> {
    const cached = this.unlocked.get(projectId);
    if (cached) return cached;
    const text = await readFile(this.fileOf(projectId), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const stored = StoredKeySchema.parse(JSON.parse(text));
    let key: DeployKey;
    if (stored.protection === 'keychain') {
      const reason = this.sealer ? this.sealer.unavailableReason() : 'this shell has no OS keychain';
      if (reason) throw coreError('unsupported', 'deploy.key-sealed', { reason }, 'projectId');
      key = this.keyFrom(stored.publicKey, 'keychain', {
        kind: 'key',
        privateKey: this.sealer!.unseal(Buffer.from(stored.sealed, 'base64')),
      });
    } else {
      if (!passphrase) throw coreError('invalid_params', 'deploy.key-passphrase-missing', {}, 'keyPassphrase');
      if (utils.parseKey(stored.encryptedPrivateKey, passphrase) instanceof Error) {
        throw coreError('invalid_params', 'deploy.key-passphrase-wrong', {}, 'keyPassphrase');
      }
      key = this.keyFrom(stored.publicKey, 'passphrase', {
        kind: 'key',
        privateKey: stored.encryptedPrivateKey,
        passphrase,
      });
    }
    this.unlocked.set(projectId, key);
    return key;
  }

  /**
   * The project's key, made on first use. Sealed when a keychain works; else encrypted under `passphrase`; else
   * kept in memory only (and `protection` says so, so the caller can tell the operator it ends with this process).
   */
  async getOrCreate(
    projectId: string,
    label: string,
    passphrase?: string,
  ): Promise<{ key: DeployKey; created: boolean }> {
    const existing = await this.get(projectId, passphrase);
    if (existing) return { key: existing, created: false };
    const comment = `airspray-${label.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
    const sealer = this.sealer && !this.sealer.unavailableReason() ? this.sealer : undefined;
    let key: DeployKey;
    if (sealer) {
      const pair = generateEd25519Pair({ comment });
      key = this.keyFrom(pair.public, 'keychain', { kind: 'key', privateKey: pair.private });
      await this.write(projectId, {
        formatVersion: 1,
        protection: 'keychain',
        publicKey: pair.public,
        sealed: sealer.seal(pair.private).toString('base64'),
      });
    } else if (passphrase) {
      const pair = generateEd25519Pair({ comment, passphrase, cipher: 'aes256-ctr', rounds: 16 });
      key = this.keyFrom(pair.public, 'passphrase', { kind: 'key', privateKey: pair.private, passphrase });
      await this.write(projectId, {
        formatVersion: 1,
        protection: 'passphrase',
        publicKey: pair.public,
        encryptedPrivateKey: pair.private,
      });
    } else {
      const pair = generateEd25519Pair({ comment });
      key = this.keyFrom(pair.public, 'memory', { kind: 'key', privateKey: pair.private });
    }
    this.unlocked.set(projectId, key);
    return { key, created: true };
  }

  private keyFrom(publicKey: string, protection: DeployKeyProtection, credential: DeployKey['credential']): DeployKey {
    return { publicKey: publicKey.trim(), fingerprint: fingerprintOfLine(publicKey), protection, credential };
  }

  private fileOf(projectId: string): string {
    return join(this.projectFolder(projectId), deployKeyFileName);
  }

  private async write(projectId: string, stored: z.infer<typeof StoredKeySchema>): Promise<void> {
    await mkdir(this.projectFolder(projectId), { recursive: true });
    await writeFileAtomic(this.fileOf(projectId), `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  }
}
