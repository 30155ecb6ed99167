import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { downloadPathPrefix, type DownloadRequest } from '../../common/downloads-api';
import { AirsprayError } from '../../common/errors';
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

export function createDownloadHandlers(deps: {
  open: OpenDownload;
  tickets: DownloadTickets;
  /** The desktop shell's save dialog; browser mode has none and follows links instead. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}): Pick<ApiHandlers, 'downloads.link' | 'downloads.save'> {
  return {
    'downloads.link': async (request) => {
      if (deps.chooseSavePath) {
        throw new AirsprayError('unsupported', 'The desktop app saves through its dialog: use downloads.save.', 'kind');
      }
      // Opening first: a missing run is named now, not as an empty download later.
      const file = await deps.open(request);
      return { fileName: file.fileName, path: `${downloadPathPrefix}${deps.tickets.issue(request)}` };
    },
    'downloads.save': async (request) => {
      if (!deps.chooseSavePath) {
        throw new AirsprayError(
          'unsupported',
          'Saving through a dialog needs the desktop app: in a browser, use downloads.link.',
          'kind',
        );
      }
      const file = await deps.open(request);
      const target = await deps.chooseSavePath(file.fileName);
      if (target === null) return { savedTo: null };
      await streamFileAtomic(target, 0o644, (sink) => file.write(sink));
      return { savedTo: target };
    },
  };
}
