import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { coreError } from '../../i18n/format-core-message';

export interface DownloadOptions {
  url: string;
  /** The URL kubespray names, when `url` is a mirror of it: errors name this one. */
  name?: string;
  /** Where the finished file goes; it appears only when complete and checked. */
  destination: string;
  /** Partial bytes live here between attempts and between runs (resume). */
  partialPath: string;
  expectedSha256?: string;
  retries?: number;
  signal?: AbortSignal;
  onBytes?(bytes: number): void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function hashOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One attempt: resumes from the partial file with a Range request when the server allows it. */
async function attempt(options: DownloadOptions): Promise<void> {
  const have = (await stat(options.partialPath).catch(() => undefined))?.size ?? 0;
  const response = await fetch(options.url, {
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    signal: options.signal,
  });
  if (response.status === 416 && have > 0) return; // Already complete; the checksum decides.
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    const error = coreError(
      'not_found',
      'bundleBuild.http-refused',
      { url: options.url, status: response.status, statusText: response.statusText },
      'url',
    );
    if (response.status >= 400 && response.status < 500 && response.status !== 429)
      throw Object.assign(error, { permanent: true });
    throw error;
  }
  if (!response.body) throw coreError('internal', 'bundleBuild.download-no-body', { url: options.url }, 'url');
  const append = response.status === 206;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      options.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    counter,
    createWriteStream(options.partialPath, { flags: append ? 'a' : 'w' }),
  );
}

/** Downloads with resume, retries with backoff, and a sha256 check before the file takes its place. */
export async function downloadFile(options: DownloadOptions): Promise<{ sha256: string; size: number }> {
  await mkdir(dirname(options.partialPath), { recursive: true });
  await mkdir(dirname(options.destination), { recursive: true });
  const retries = options.retries ?? 4;
  let lastError: unknown;
  let mismatches = 0;
  for (let tryNumber = 0; tryNumber <= retries; tryNumber += 1) {
    if (tryNumber > 0) await wait(Math.min(8000, 250 * 2 ** tryNumber));
    try {
      await attempt(options);
    } catch (error) {
      if (options.signal?.aborted || (error as { permanent?: boolean }).permanent) throw error;
      lastError = error;
      continue;
    }
    const sha256 = await hashOf(options.partialPath);
    if (options.expectedSha256 && sha256 !== options.expectedSha256) {
      // A corrupt partial would fail forever: start over from zero.
      await rm(options.partialPath, { force: true });
      lastError = coreError(
        'conflict',
        'bundleBuild.checksum-differs',
        { name: options.name ?? options.url, sha256, expected: options.expectedSha256 },
        'checksums',
      );
      // Once may be a bad transfer; twice is the file itself.
      if (++mismatches >= 2) throw lastError;
      continue;
    }
    const size = (await stat(options.partialPath)).size;
    await rename(options.partialPath, options.destination);
    return { sha256, size };
  }
  throw lastError instanceof Error
    ? lastError
    : coreError('internal', 'bundleBuild.download-failed', { url: options.url }, 'url');
}
