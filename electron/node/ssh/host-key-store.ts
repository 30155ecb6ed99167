import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic';
import {
  formatKnownHostLine,
  judgeHostKey,
  readKnownHostsFile,
  type HostKeyVerdict,
  type KnownHostEntry,
} from './known-hosts';

/** The host keys a project trusts: its own known_hosts, beside project.json. */
export const projectKnownHostsFile = (dataDir: string, projectId: string) =>
  join(dataDir, 'projects', projectId, 'known_hosts');

/**
 * Host keys on record: the project's own known_hosts (where accepted keys go) and, read-only, the operator's
 * ~/.ssh/known_hosts, so keys they already trust are honoured and a key that changed there is caught too.
 */
export class HostKeyStore {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ownFile: string,
    private readonly honouredFiles: readonly string[] = [],
  ) {}

  async entries(): Promise<KnownHostEntry[]> {
    const files = [this.ownFile, ...this.honouredFiles];
    return (await Promise.all(files.map((file) => readKnownHostsFile(file)))).flat();
  }

  /** The keys this project accepted, as OpenSSH known_hosts text (empty when none yet). */
  ownKnownHosts(): Promise<string> {
    return readFile(this.ownFile, 'utf8').catch(() => '');
  }

  async judge(host: string, port: number, blob: Buffer): Promise<HostKeyVerdict> {
    return judgeHostKey(await this.entries(), host, port, blob);
  }

  /**
   * Records a key the operator accepted. Refuses a host whose key on record differs: that is never overwritten here.
   */
  accept(host: string, port: number, blob: Buffer): Promise<void> {
    const work = this.writing.then(async () => {
      const verdict = await this.judge(host, port, blob);
      if (verdict.verdict === 'known') return;
      if (verdict.verdict !== 'unknown')
        throw new Error(`refusing to record a ${verdict.verdict} host key for ${host}`);
      const current = await readFile(this.ownFile, 'utf8').catch(() => '');
      await mkdir(dirname(this.ownFile), { recursive: true });
      const separator = current === '' || current.endsWith('\n') ? '' : '\n';
      await writeFileAtomic(this.ownFile, `${current}${separator}${formatKnownHostLine(host, port, blob)}\n`);
    });
    // The caller of a failed write has its error; the queue only orders the writes, so the next one still runs.
    this.writing = work.catch(() => undefined);
    return work;
  }
}
