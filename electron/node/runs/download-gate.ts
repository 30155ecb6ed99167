import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Client } from 'ssh2';
import { downloadingPlaybooks, type DownloadCheck } from '../../common/download-check';
import type { ProjectDocument } from '../../common/project';
import type { RunOptions } from '../../common/run';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { missingDownloadsError } from '../inventory/download-check-service';
import { checkDownloadsOnNode } from '../inventory/download-set-on-node';

/** What kubespray would download for the plan with the run's own variables, checked against the bundle here. */
export type CheckDownloads = (project: ProjectDocument, extraVars: Record<string, unknown>) => Promise<DownloadCheck>;

/** Where the run will be: for a check this machine could not make (no ansible-playbook, the stick not plugged in). */
export interface RunPlace {
  client: Client;
  kubesprayDir: string;
  bundleDir: string;
  ansiblePlaybook: readonly string[];
}

/** A check passed before for the same plan, bundle and variables: the set is theirs alone, so it passes again. */
const passedBefore: DownloadCheck = { checked: true, items: [], findings: [] };

/**
 * kubespray's download set for a run, checked against the bundle before the run starts, so a missing file or image
 * stops it before kubespray reaches for the internet halfway through. The check here starts at once, beside the
 * login; when this machine cannot render the set it is made on the deploy node with the run's own Ansible. A pass is
 * remembered in `passedFile` (the plan, with its bundle's manifest digest, and the variables): the next run of the
 * same plan does not render it again.
 */
export class DownloadGate {
  private readonly here: Promise<DownloadCheck> | undefined;
  private readonly key: string;

  constructor(
    check: CheckDownloads | undefined,
    private readonly project: ProjectDocument,
    private readonly options: RunOptions,
    private readonly passedFile: string,
  ) {
    const extraVars = options.extraVars ?? {};
    this.key = createHash('sha256')
      .update(JSON.stringify({ cluster: project.cluster, extraVars }))
      .digest('hex');
    if (!check || !downloadingPlaybooks.includes(options.playbook)) return;
    this.here = this.passedBefore().then((passed) => (passed ? passedBefore : check(project, extraVars)));
  }

  /** Waits for the login and the check here; a refusal ends the login (and wins over its failure). */
  async passHere<T extends { client: Client }>(connecting: Promise<T>): Promise<T> {
    connecting.catch(() => undefined);
    const hangUp = () =>
      void connecting.then(
        (connection) => connection.client.end(),
        () => undefined,
      );
    const here = await this.here?.catch((error: unknown) => {
      hangUp();
      throw error;
    });
    if (here && here.findings.length > 0) {
      hangUp();
      throw missingDownloadsError(here.findings, this.options.playbook);
    }
    if (here?.checked && here !== passedBefore) await this.remember();
    return connecting;
  }

  /**
   * Checks on the deploy node what could not be checked here; the reason when nothing could check it (no download
   * role).
   */
  async passOnNode(place: RunPlace): Promise<string | undefined> {
    const here = await this.here;
    if (!here || here.checked) return undefined;
    const check = here.unreadable
      ? here
      : await checkDownloadsOnNode(place.client, this.project, place, this.options.extraVars);
    if (check.findings.length > 0) throw missingDownloadsError(check.findings, this.options.playbook);
    if (!check.checked) return check.reason;
    await this.remember();
    return undefined;
  }

  private async passedBefore(): Promise<boolean> {
    const text = await readFile(this.passedFile, 'utf8').catch(() => '');
    // An unreadable record is no pass: the set is checked again.
    return text.includes(`"key":"${this.key}"`);
  }

  private remember(): Promise<void> {
    return writeFileAtomic(
      this.passedFile,
      `${JSON.stringify({ key: this.key, passedAt: new Date().toISOString() })}\n`,
    );
  }
}
