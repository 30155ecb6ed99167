import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { coreError } from '../i18n/format-core-message';
import type { SecretSealer } from '../access/credential-vault';
import type { DeployKeyProtection } from '../deploy/deploy-key-store';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { openWithPassphrase, PassphraseSealedSchema, sealWithPassphrase } from './passphrase-seal';

const StoredSchema = z.discriminatedUnion('protection', [
  z.object({ formatVersion: z.literal(1), protection: z.literal('keychain'), sealed: z.base64() }),
  z.object({ formatVersion: z.literal(1), protection: z.literal('passphrase'), sealed: PassphraseSealedSchema }),
]);

export const kubeconfigFileName = 'kubeconfig.sealed.json';

/**
 * The project's kubeconfig, protected as the deploy key is: sealed by the OS keychain where one works, else encrypted
 * under the operator's passphrase, else held in this process's memory only. Never written in plain text.
 */
export class KubeconfigStore {
  /** Plain copies this process holds: memory-only ones, and ones already opened with their passphrase. */
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly projectFolder: (projectId: string) => string,
    private readonly sealer?: SecretSealer,
  ) {}

  private fileOf(projectId: string): string {
    return join(this.projectFolder(projectId), kubeconfigFileName);
  }

  private workingSealer(): SecretSealer | undefined {
    return this.sealer && !this.sealer.unavailableReason() ? this.sealer : undefined;
  }

  /** Saves `text`, replacing any earlier copy; says how it is protected. */
  async save(projectId: string, text: string, passphrase?: string): Promise<DeployKeyProtection> {
    const sealer = this.workingSealer();
    let protection: DeployKeyProtection;
    if (sealer) {
      await this.write(projectId, {
        formatVersion: 1,
        protection: 'keychain',
        sealed: sealer.seal(text).toString('base64'),
      });
      protection = 'keychain';
    } else if (passphrase) {
      await this.write(projectId, {
        formatVersion: 1,
        protection: 'passphrase',
        sealed: await sealWithPassphrase(text, passphrase),
      });
      protection = 'passphrase';
    } else {
      // An older sealed copy would outlive the newer one held in memory: drop it.
      await rm(this.fileOf(projectId), { force: true });
      protection = 'memory';
    }
    this.opened.set(projectId, text);
    return protection;
  }

  /** Whether `open` would succeed without a passphrase. */
  async openableNow(projectId: string, protection: DeployKeyProtection): Promise<boolean> {
    if (this.opened.has(projectId)) return true;
    return (
      protection === 'keychain' && this.workingSealer() !== undefined && (await this.read(projectId)) !== undefined
    );
  }

  async open(projectId: string, protection: DeployKeyProtection, passphrase?: string): Promise<string> {
    const cached = this.opened.get(projectId);
    if (cached !== undefined) return cached;
    const stored = await this.read(projectId);
    if (protection === 'memory' || !stored) {
      throw coreError('not_found', 'cluster.kubeconfig-memory-only', {}, 'projectId');
    }
    let text: string;
    if (stored.protection === 'keychain') {
      const sealer = this.workingSealer();
      const reason = this.sealer?.unavailableReason() ?? 'this shell has no OS keychain';
      if (!sealer) throw coreError('unsupported', 'cluster.kubeconfig-keychain-only', { reason }, 'projectId');
      text = sealer.unseal(Buffer.from(stored.sealed, 'base64'));
    } else {
      if (!passphrase) throw coreError('invalid_params', 'cluster.kubeconfig-passphrase-required', {}, 'passphrase');
      text = await openWithPassphrase(stored.sealed, passphrase, 'passphrase');
    }
    this.opened.set(projectId, text);
    return text;
  }

  private async read(projectId: string): Promise<z.infer<typeof StoredSchema> | undefined> {
    const text = await readFile(this.fileOf(projectId), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = StoredSchema.safeParse(json);
    if (!parsed.success)
      throw coreError('conflict', 'cluster.kubeconfig-damaged', { file: kubeconfigFileName }, 'projectId');
    return parsed.data;
  }

  private async write(projectId: string, stored: z.infer<typeof StoredSchema>): Promise<void> {
    await writeFileAtomic(this.fileOf(projectId), `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  }
}
