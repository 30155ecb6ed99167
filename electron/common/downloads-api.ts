import { z } from 'zod';
import { RunRef } from './runs-api';

/** What the core can hand over as a file: streamed, never as one API message. */
export const DownloadRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('run-report'), ...RunRef }),
]);
export type DownloadRequest = z.infer<typeof DownloadRequestSchema>;

/** Browser mode fetches `/download/<ticket>` from the server that served the page. */
export const downloadPathPrefix = '/download/';

/**
 * Files too large for one API message: the core streams them (the Downloads part of the contract, spread into api.ts).
 */
export const downloadsApiMethods = {
  'downloads.link': {
    exposeAs: 'createDownloadLink',
    /**
     * Browser mode: a path on this server that serves the file once, within a minute. Only a caller holding the
     * per-start token can ask for one, and the token itself never goes into an address.
     */
    params: DownloadRequestSchema,
    result: z.object({ fileName: z.string(), path: z.string().startsWith(downloadPathPrefix) }),
  },
  'downloads.save': {
    exposeAs: 'saveDownload',
    /** Desktop shell: asks where to save with the system dialog, then writes the file there; null when cancelled. */
    params: DownloadRequestSchema,
    result: z.object({ savedTo: z.string().nullable() }),
  },
} as const;
