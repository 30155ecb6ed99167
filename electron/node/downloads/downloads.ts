import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { downloadPathPrefix, type DownloadRequest } from '../../common/downloads-api';
import { coreError } from '../i18n/format-core-message';
import type { ApiHandlers } from '../api/dispatch-api-call';
import { streamFileAtomic } from '../fs/write-file-atomic';

/** A file the core streams to whoever asked: the browser over HTTP, or the file the save dialog chose. */
export interface DownloadFile {
  fileName: string;
  contentType: string;
  write(sink: Writable): Promise<void>;
}

export type OpenDownload = (request: DownloadRequest) => Promise<DownloadFile>;

const ticketLifetimeMs = 60_000;

/** Browser downloads: each link serves once, within a minute, so a link in the browser's history is worth nothing. */
export class DownloadTickets {
  private readonly tickets = new Map<string, { request: DownloadRequest; expiresAt: number }>();

  issue(request: DownloadRequest): string {
    const now = Date.now();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
    const ticket = randomBytes(32).toString('base64url');
    this.tickets.set(ticket, { request, expiresAt: now + ticketLifetimeMs });
    return ticket;
  }

  take(ticket: string): DownloadRequest | undefined {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return entry && entry.expiresAt > Date.now() ? entry.request : undefined;
  }
}

/** The desktop shell's save dialog: asks where to save a file, given the name it suggests; null when cancelled. */
export type ChooseSavePath = (suggestedName: string) => Promise<string | null>;

/**
 * Saves through the desktop's dialog what `prepare` opens (first, so a missing source is named before the dialog):
 * `write` runs only once a place is chosen. A browser has no dialog: refused, naming what to `use` there instead.
 */
export async function saveThroughDialog(
  chooseSavePath: ChooseSavePath | undefined,
  inBrowser: { use: string; field: string },
  prepare: () => Promise<{ suggestedName: string; write: (target: string) => Promise<void> }>,
): Promise<{ savedTo: string | null }> {
  if (!chooseSavePath) {
    throw coreError('unsupported', 'downloads.dialog-needs-desktop', { use: inBrowser.use }, inBrowser.field);
  }
  const { suggestedName, write } = await prepare();
  const target = await chooseSavePath(suggestedName);
  if (target === null) return { savedTo: null };
  await write(target);
  return { savedTo: target };
}

export function createDownloadHandlers(deps: {
  open: OpenDownload;
  tickets: DownloadTickets;
  /** The desktop shell's save dialog; browser mode has none and follows links instead. */
  chooseSavePath?: ChooseSavePath;
}): Pick<ApiHandlers, 'downloads.link' | 'downloads.save'> {
  return {
    'downloads.link': async (request) => {
      if (deps.chooseSavePath) {
        throw coreError('unsupported', 'downloads.desktop-uses-dialog', {}, 'kind');
      }
      // Opening first: a missing run is named now, not as an empty download later.
      const file = await deps.open(request);
      return { fileName: file.fileName, path: `${downloadPathPrefix}${deps.tickets.issue(request)}` };
    },
    'downloads.save': (request) =>
      saveThroughDialog(deps.chooseSavePath, { use: 'downloads.link', field: 'kind' }, async () => {
        const file = await deps.open(request);
        return {
          suggestedName: file.fileName,
          write: (target) => streamFileAtomic(target, 0o644, (sink) => file.write(sink)),
        };
      }),
  };
}
