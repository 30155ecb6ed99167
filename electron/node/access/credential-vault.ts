import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CredentialSummarySchema, type CredentialInput, type CredentialSummary } from '../../common/credentials';
import { coreError } from '../i18n/format-core-message';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { assertUsablePrivateKey } from '../ssh/ssh-connection';

/** Encrypts secrets with the OS keychain (Electron safeStorage); only the desktop shell has one. */
export interface SecretSealer {
  /**
   * Why sealing is impossible here (e.g. Linux without a keyring would store plain text), or undefined when it works.
   */
  unavailableReason(): string | undefined;
  seal(text: string): Buffer;
  unseal(data: Buffer): string;
}

const SealedProfileSchema = CredentialSummarySchema.omit({ persisted: true }).extend({ sealed: z.string() });
const SealedFileSchema = z.object({ formatVersion: z.literal(1), profiles: z.array(SealedProfileSchema) });
const SecretsSchema = z.object({ auth: z.unknown(), sudoPassword: z.string().optional() });

interface Profile {
  summary: CredentialSummary;
  credential: CredentialInput;
}

/**
 * Credential profiles. Held in memory; persisted only sealed by the OS keychain, never in plain text: where no
 * sealer works (browser mode, CLI, Linux with basic_text), asking to persist is refused and nothing is written.
 */
export class CredentialVault {
  private readonly profiles = new Map<string, Profile>();
  private loaded: Promise<void> | undefined;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly sealer?: SecretSealer,
  ) {
    this.file = join(dataDir, 'credentials.sealed.json');
  }

  async list(): Promise<CredentialSummary[]> {
    await this.load();
    return [...this.profiles.values()].map((profile) => profile.summary);
  }

  async get(id: string): Promise<CredentialInput> {
    await this.load();
    const profile = this.profiles.get(id);
    if (!profile) throw coreError('not_found', 'access.profile-missing', {}, 'credentialId');
    return profile.credential;
  }

  /** The secret texts of the profiles held now, for the core's log to keep out. */
  secretsHeld(): string[] {
    return [...this.profiles.values()]
      .flatMap(({ credential }) => [
        ...(credential.auth.kind === 'password'
          ? [credential.auth.password]
          : [credential.auth.privateKey, credential.auth.passphrase ?? '']),
        credential.sudoPassword ?? '',
      ])
      .filter((secret) => secret !== '');
  }

  async add(credential: CredentialInput, persist: boolean): Promise<CredentialSummary> {
    await this.load();
    const keyType =
      credential.auth.kind === 'key'
        ? assertUsablePrivateKey(credential.auth.privateKey, credential.auth.passphrase)
        : undefined;
    if (persist) {
      const reason = this.sealer ? this.sealer.unavailableReason() : 'this shell has no OS keychain to encrypt it';
      if (reason) {
        throw coreError('unsupported', 'access.profile-not-sealable', { reason }, 'persist');
      }
    }
    const summary: CredentialSummary = {
      id: randomUUID(),
      label: credential.label,
      user: credential.user,
      kind: credential.auth.kind,
      ...(keyType ? { keyType } : {}),
      hasSudoPassword: credential.sudoPassword !== undefined && credential.sudoPassword !== '',
      persisted: persist,
    };
    this.profiles.set(summary.id, { summary, credential });
    if (persist) await this.save();
    return summary;
  }

  async remove(id: string): Promise<boolean> {
    await this.load();
    const profile = this.profiles.get(id);
    if (!profile) return false;
    this.profiles.delete(id);
    if (profile.summary.persisted) await this.save();
    return true;
  }

  private load(): Promise<void> {
    this.loaded ??= this.readSealed();
    return this.loaded;
  }

  private async readSealed(): Promise<void> {
    if (!this.sealer || this.sealer.unavailableReason()) return;
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (!text) return;
    const parsed = SealedFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return;
    for (const sealed of parsed.data.profiles) {
      const secrets = SecretsSchema.parse(JSON.parse(this.sealer.unseal(Buffer.from(sealed.sealed, 'base64'))));
      const { sealed: _sealedSecrets, ...summary } = sealed;
      this.profiles.set(sealed.id, {
        summary: { ...summary, persisted: true },
        credential: {
          label: sealed.label,
          user: sealed.user,
          auth: secrets.auth as CredentialInput['auth'],
          ...(secrets.sudoPassword !== undefined ? { sudoPassword: secrets.sudoPassword } : {}),
        },
      });
    }
  }

  private async save(): Promise<void> {
    const sealer = this.sealer!;
    const profiles = [...this.profiles.values()]
      .filter((profile) => profile.summary.persisted)
      .map(({ summary, credential }) => ({
        id: summary.id,
        label: summary.label,
        user: summary.user,
        kind: summary.kind,
        ...(summary.keyType ? { keyType: summary.keyType } : {}),
        hasSudoPassword: summary.hasSudoPassword,
        sealed: sealer
          .seal(JSON.stringify({ auth: credential.auth, sudoPassword: credential.sudoPassword }))
          .toString('base64'),
      }));
    await writeFileAtomic(this.file, `${JSON.stringify({ formatVersion: 1, profiles }, null, 2)}\n`);
  }
}
