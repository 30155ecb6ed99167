import { readFile, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Client } from 'ssh2';
import { z } from 'zod';
import type { PushProgress, PushResult } from '../../common/deploy-api';
import type { BundleManifest } from '../../common/bundle-manifest';
import { AirsprayError } from '../../common/errors';
import { etaSeconds, RecentRate } from '../progress-rate';
import { formatBytes } from '../../common/format-bytes';
import { readWholeFile } from '../fs/callback-fs';
import { SmallFileReader } from '../fs/small-file-reader';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import { BundleFileReader, pushItemsOf, type PushItem } from './bundle-source';
import { destinationNotReady, encodeFrameHeader, ReceiverSession, receiverCommand, type NodeState, type ReceiverReply } from './bundle-receiver';
import { assertSucceeded, execAsRoot } from './remote-shell';
import { remoteBundleDir, remoteRoot } from './remote-layout';
import { stderrCoreLog, type CoreLog } from '../core-log';

/** The deploy node's own disk, never /tmp (a tmpfs on many hosts, and emptied on reboot). */
/** What the node holds, as last verified: lets an unchanged bundle be recognised without hashing it again. */
const pushDir = '.airspray-push';
/** The record the receiver writes once every file is made (bundle-receiver.py); `airspray up` reads it to skip a done push. */
export const pushRecordFile = (destination: string) => posix.join(destination, pushDir, 'verified.json');

export interface PushOptions {
  bundleDir: string;
  manifest: BundleManifest;
  /** Opens a fresh authenticated connection to the deploy node; called again after a dropped link. */
  connect: () => Promise<Client>;
  /** For the one-time `mkdir` under /var/lib (sudo -S, on stdin). */
  sudoPassword: string | undefined;
  destination?: string;
  /**
   * Free space to leave on the node's disk after the push. Tests set it above the disk's size to provoke the
   * refusal without filling a disk.
   */
  reserveBytes?: number;
  /** No acknowledged byte for this long means the link is gone: drop the connection and reconnect. */
  stallTimeoutMs?: number;
  /** How long to keep reconnecting after the link dropped before giving up. */
  reconnectForMs?: number;
  /**
   * A local file keeping each large file's acknowledged ranges, so a push that gave up (or an app that closed)
   * resumes them in the next push instead of starting the file again. Removed when the push completes.
   */
  journalPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PushProgress) => void;
  /** Where a failure the push goes on after is written (a journal that cannot be saved); stderr without one. */
  log?: CoreLog;
}

/** Bytes per frame: the receiver acknowledges each, so this is also the resume granularity within a file. */
const frameBytes = 1024 * 1024;
/** Files of more than one frame are journaled across pushes; a one-frame file is simply sent again. */
const journalFromBytes = frameBytes + 1;
/** Read ahead of the stream so the laptop's disk is never what it waits for; bounded for memory. */
const readAheadBytes = 8 * 1024 * 1024;
const readAheadFrames = 64;
/** Whole files up to this size are read in place, within a time budget per turn of the event loop. */
const smallFileBytes = 64 * 1024;
/** Headers and small files are gathered into writes of about this size. */
const batchBytes = 256 * 1024;

export const RecordSchema = z.object({
  formatVersion: z.literal(1),
  files: z.record(z.string(), z.object({ size: z.number(), mtime: z.string(), sha256: z.string() })),
});

interface RemoteFile {
  size: number;
  mtime: string;
}

interface Range {
  start: number;
  end: number;
  /** Every byte below this offset was written on the node (the receiver acknowledged it). */
  acked: number;
}

/** One file to send: its missing byte ranges, and the node's sha256 of it once it has arrived whole. */
interface Transfer {
  item: PushItem;
  ranges: Range[];
  sha256?: string | undefined;
  hashed: boolean;
  /** Counted in the progress's files once its last byte was written. */
  written: boolean;
}

interface Frame {
  id: number;
  transfer: Transfer;
  range: Range | undefined;
  offset: number;
  length: number;
  last: boolean;
  acked: boolean;
}

const JournalSchema = z.object({
  formatVersion: z.literal(1),
  destination: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), size: z.number(), ranges: z.array(z.tuple([z.number(), z.number(), z.number()])) })),
});

async function readJournal(path: string | undefined, destination: string): Promise<z.infer<typeof JournalSchema>['files']> {
  if (!path) return {};
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success && parsed.data.destination === destination ? parsed.data.files : {};
  } catch {
    return {};
  }
}

const cancelled = () => new AirsprayError('cancelled', 'The push was cancelled; what reached the node stays, and the next push resumes from it.');
const noPython = () =>
  new AirsprayError('missing_on_node', 'The deploy node has no python3, which the push needs there (as kubespray does on every host): install the python3 package on it, then push again.', 'deployNode');

/** The receiver's own failure (an exit status other than 0), or undefined when there was none or the link went. */
function receiverFailure(exitCode: number | null | undefined, stderr: string): AirsprayError | undefined {
  if (typeof exitCode !== 'number' || exitCode === 0) return undefined;
  if (exitCode === 127) return noPython();
  return new AirsprayError('conflict', `Writing the bundle on the deploy node failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-2).join(' / ') || 'no message'}.`, 'destination');
}

/** The node's state as the receiver reported it, keyed for the checks below. */
interface RemoteState {
  files: Map<string, RemoteFile>;
  record: z.infer<typeof RecordSchema>['files'];
  free: number;
  mount: string;
}

function remoteStateOf(state: NodeState): RemoteState {
  let record: z.infer<typeof RecordSchema>['files'] = {};
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(state.record ?? ''));
    if (parsed.success) record = parsed.data.files;
  } catch {
    // No record yet, or a torn one: everything gets hashed.
  }
  return { files: new Map(state.files.map(([path, size, mtime]) => [path, { size, mtime }])), record, free: state.free, mount: state.mount };
}

/** sha256 of files on the node, hashed on several threads; the names go through stdin, NUL-separated. */
async function remoteHashes(client: Client, destination: string, paths: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (paths.length === 0) return hashes;
  const result = assertSucceeded(await execCommand(client, receiverCommand(destination, 'hash', pushDir), `${paths.join('\0')}\0`), 'Hashing files on the deploy node');
  const sums = result.stdout.split('\n');
  paths.forEach((path, index) => {
    if (/^[0-9a-f]{64}$/.test(sums[index] ?? '')) hashes.set(path, sums[index]!);
  });
  return hashes;
}

/**
 * The release's symbolic links, which the stick cannot hold, made on the node once its files have landed: one
 * command as the login user (the destination is theirs). `ln -sfnT` replaces a link already there, so a resumed or
 * unchanged push ends the same; the receiver's listing skips links, so they never count as files.
 */
async function recreateLinks(client: Client, destination: string, links: NonNullable<BundleManifest['links']>): Promise<void> {
  if (links.length === 0) return;
  const commands = links.map((link) => {
    const path = quoteShellArg(posix.join(destination, link.path));
    return `mkdir -p ${quoteShellArg(posix.dirname(posix.join(destination, link.path)))} && ln -sfnT ${quoteShellArg(link.target)} ${path}`;
  });
  assertSucceeded(await execCommand(client, `set -e\n${commands.join('\n')}\n`), 'Making the bundle\'s symbolic links on the deploy node');
}

/** The destination exists and belongs to the login user; made once with sudo so the push itself needs no root. */
async function prepareDestination(client: Client, destination: string, sudoPassword: string | undefined): Promise<void> {
  const probe = await execCommand(client, 'id -un; id -gn');
  const [user, group] = probe.stdout.trim().split('\n');
  const parent = posix.dirname(destination);
  const made = await execAsRoot(
    client,
    `install -d -m 755 ${quoteShellArg(parent)} && install -d -m 755 -o ${quoteShellArg(user ?? '')} -g ${quoteShellArg(group ?? '')} ${quoteShellArg(destination)}`,
    sudoPassword,
  );
  if (made.code !== 0) {
    throw new AirsprayError('sudo_refused', `Creating ${destination} on the deploy node needs sudo, which refused (${made.stderr.trim() || `exit ${made.code}`}): check the profile's sudo password.`, 'credentialId');
  }
}

/** The push's progress as it reports it: counts, and the rate and ETA of the link as it is now. */
class ProgressMeter {
  private readonly recent = new RecentRate();
  bytesDone = 0;
  filesDone = 0;
  lastAdvance = Date.now();

  constructor(
    private readonly totals: { bytes: number; files: number },
    private readonly reconnects: () => number,
    private readonly onProgress?: (progress: PushProgress) => void,
  ) {}

  advance(bytes: number): void {
    this.bytesDone = Math.min(this.totals.bytes, this.bytesDone + bytes);
    this.lastAdvance = Date.now();
    this.emit('sending');
  }

  emit(phase: PushProgress['phase'], force = false): void {
    const now = Date.now();
    if (!this.recent.due(now, force)) return;
    const rate = this.recent.rate(now, this.bytesDone);
    this.onProgress?.({
      phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.totals.bytes,
      filesDone: this.filesDone,
      filesTotal: this.totals.files,
      rateBytesPerSecond: Math.round(rate),
      etaSeconds: phase === 'done' ? 0 : etaSeconds(this.totals.bytes - this.bytesDone, rate),
      reconnects: this.reconnects(),
    });
  }
}

/** The frames still to send for these transfers: each missing range in frames, the file's last one marked. */
function framesOf(transfers: readonly Transfer[], nextId: () => number): Frame[] {
  const frames: Frame[] = [];
  for (const transfer of transfers) {
    const first = frames.length;
    for (const range of transfer.ranges) {
      for (let offset = range.acked; offset < range.end; offset += frameBytes) {
        frames.push({ id: nextId(), transfer, range, offset, length: Math.min(frameBytes, range.end - offset), last: false, acked: false });
      }
    }
    // All bytes written but the node's hash never came back: a frame of no bytes asks for it.
    if (frames.length === first) frames.push({ id: nextId(), transfer, range: undefined, offset: 0, length: 0, last: false, acked: false });
    frames.at(-1)!.last = true;
  }
  return frames;
}

/**
 * Copies a bundle to the deploy node: only files not already there with their sha256, all in one exec channel to a
 * small python3 receiver (per-file round trips dominate otherwise, and ssh2's exec channel is faster than its SFTP).
 * The receiver acknowledges each frame once written, so after a dropped link every file resumes from its last
 * acknowledged byte, and hashes each file from the node's disk as soon as it is complete, overlapping the rest of
 * the transfer. A mismatch is sent again once, then refused by name.
 */
export async function pushBundle(options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const destination = options.destination ?? remoteBundleDir(options.manifest.bundleId);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.manifest.bundleId)) {
    throw new AirsprayError('invalid_params', `Bundle id "${options.manifest.bundleId}" cannot name a folder on the deploy node: use letters, digits, ".", "_" and "-".`, 'bundleId');
  }
  const stallTimeoutMs = options.stallTimeoutMs ?? 15_000;
  const reconnectForMs = options.reconnectForMs ?? 120_000;
  // Logging in takes longer than listing the bundle (thousands of stats): both at once.
  const connecting = options.connect();
  // Awaited once the listing is done; a login that fails sooner must not count as unhandled meanwhile.
  connecting.catch(() => undefined);
  let items: PushItem[];
  try {
    items = await pushItemsOf(options.bundleDir, options.manifest);
    if (options.signal?.aborted) throw cancelled();
  } catch (error) {
    void connecting.then((connection) => connection.end(), () => undefined);
    throw error;
  }
  const stats = { bytesSent: 0, reconnects: 0 };

  /** Every frame sent in this push, so a reply finds its frame whichever attempt sent it. */
  const sentFrames = new Map<number, Frame>();
  let meter: ProgressMeter | undefined;
  const onReply = (reply: Exclude<ReceiverReply, { kind: 'state' }>) => {
    const frame = sentFrames.get(reply.id);
    if (!frame || !meter) return;
    // A file that came in one frame is answered with its hash alone: written, then hashed.
    if (!frame.acked) {
      frame.acked = true;
      if (frame.range) frame.range.acked = frame.offset + frame.length;
      meter.advance(frame.length);
      if (frame.last && !frame.transfer.written) {
        frame.transfer.written = true;
        meter.filesDone += 1;
      }
    }
    if (reply.kind === 'hashed') {
      frame.transfer.sha256 = reply.sha256;
      frame.transfer.hashed = true;
      meter.lastAdvance = Date.now();
    }
  };
  /** A receiver that reported the node's state; the destination is made first (sudo, once) if it is not there. */
  const openReceiver = async (connection: Client, mayPrepare: boolean): Promise<{ session: ReceiverSession; state: NodeState }> => {
    const session = await ReceiverSession.open(connection, destination, pushDir, onReply);
    try {
      return { session, state: await session.state };
    } catch (error) {
      await session.closed;
      if (session.exitCode === destinationNotReady && mayPrepare) {
        await prepareDestination(connection, destination, options.sudoPassword);
        return openReceiver(connection, false);
      }
      throw receiverFailure(session.exitCode, session.stderr) ?? error;
    }
  };

  let client = await connecting;
  try {
    options.onProgress?.({ phase: 'checking', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: items.length, rateBytesPerSecond: 0, etaSeconds: null, reconnects: 0 });
    const first = await openReceiver(client, true);
    let session: ReceiverSession | undefined = first.session;
    const remote = remoteStateOf(first.state);
    const journal = await readJournal(options.journalPath, destination);
    const unfinished = (item: PushItem) => {
      const kept = journal[item.path];
      return kept !== undefined && kept.sha256 === item.sha256 && kept.ranges.some(([, end, acked]) => acked < end);
    };
    const recorded = (item: PushItem) => {
      const found = remote.files.get(item.path);
      const record = remote.record[item.path];
      return !!found && !!record && record.size === found.size && record.mtime === found.mtime && record.sha256 === item.sha256;
    };
    // A file the journal knows half-sent is not worth hashing: it is resumed below.
    const toHash = items.filter((item) => remote.files.get(item.path)?.size === item.size && !recorded(item) && !unfinished(item));
    const hashed = await remoteHashes(client, destination, toHash.map((item) => item.path));
    const present = (item: PushItem) => remote.files.get(item.path)?.size === item.size && (recorded(item) || hashed.get(item.path) === item.sha256);
    // Smallest first: the node makes thousands of files faster before the large ones' pages wait for its disk.
    const toSend = items.filter((item) => !present(item)).sort((a, b) => a.size - b.size);
    const bytesToSend = toSend.reduce((sum, item) => sum + item.size, 0);

    if (toSend.length > 0) {
      const needed = toSend.reduce((sum, item) => sum + Math.max(0, item.size - (remote.files.get(item.path)?.size ?? 0)), 0);
      const reserve = options.reserveBytes ?? 512 * 1024 * 1024;
      const { free, mount } = remote;
      if (free - needed < reserve) {
        throw new AirsprayError(
          'conflict',
          `The deploy node has ${formatBytes(free)} free on ${mount}; the bundle needs ${formatBytes(needed)} more there and ${formatBytes(reserve)} must stay free. Free ${formatBytes(needed + reserve - free)} on ${mount}, or give ${remoteRoot} a larger disk.`,
          'destination',
        );
      }
    }

    const progress = new ProgressMeter({ bytes: bytesToSend, files: toSend.length }, () => stats.reconnects, options.onProgress);
    meter = progress;
    let lastId = 0;
    const nextId = () => (lastId += 1);
    const fresh = (item: PushItem): Transfer => ({ item, ranges: [{ start: 0, end: item.size, acked: 0 }], hashed: false, written: false });
    let transfers = toSend.map((item): Transfer => {
      const kept = journal[item.path];
      // Ranges acknowledged by an earlier push of the same file go on from where they stopped (the final sha256
      // check catches a file changed on the node in between).
      if (kept && kept.sha256 === item.sha256 && kept.size === item.size && remote.files.has(item.path)) {
        const ranges = kept.ranges.map(([start, end, acked]) => ({ start, end, acked }));
        progress.advance(ranges.reduce((sum, range) => sum + range.acked - range.start, 0));
        return { item, ranges, hashed: false, written: false };
      }
      return fresh(item);
    });
    let journaled = '';
    let journaling = Promise.resolve();
    /**
     * Written atomically, and only when an acknowledgement moved since the last time; one write at a time, each with
     * the ranges as they are when it starts, so an older write can never land after a newer one.
     */
    const saveJournal = () => {
      const write = async () => {
        if (!options.journalPath) return;
        const files: z.infer<typeof JournalSchema>['files'] = {};
        for (const { item, ranges } of transfers) {
          if (item.size >= journalFromBytes) files[item.path] = { sha256: item.sha256, size: item.size, ranges: ranges.map((range) => [range.start, range.end, range.acked]) };
        }
        const text = JSON.stringify({ formatVersion: 1, destination, files });
        if (text === journaled) return;
        await writeFileAtomic(options.journalPath, text);
        journaled = text;
      };
      journaling = journaling.then(write, write);
      return journaling;
    };
    // The push goes on without a journal (only a resume after it gives up loses ground): said once, not every beat.
    let journalFailureNoted = false;
    const noteJournalFailure = (error: unknown) => {
      if (journalFailureNoted) return;
      journalFailureNoted = true;
      (options.log ?? stderrCoreLog).failed(`Saving the push journal ${options.journalPath}`, error);
    };
    const readers = new Map<string, BundleFileReader>();
    const smallFiles = new SmallFileReader(2);
    const readFrame = async (frame: Frame): Promise<Buffer> => {
      const { item } = frame.transfer;
      if (frame.length === 0) return Buffer.alloc(0);
      if (frame.length === item.size && !item.entry.parts) {
        const path = join(options.bundleDir, item.entry.path);
        const body = await (item.size <= smallFileBytes ? smallFiles.read(path) : readWholeFile(path));
        if (body.length !== item.size) throw new AirsprayError('conflict', `${item.path} changed since the bundle was verified: verify it again.`, 'bundle');
        return body;
      }
      let reader = readers.get(item.path);
      if (!reader) readers.set(item.path, (reader = new BundleFileReader(options.bundleDir, item.entry, item.size)));
      return reader.read(frame.offset, frame.length);
    };

    /** Frames in order, each body read ahead of the stream; headers and small bodies gathered into larger writes. */
    const writeFrames = async (receiver: ReceiverSession, frames: Frame[]) => {
      const ahead: { frame: Frame; body: Promise<Buffer> }[] = [];
      let next = 0;
      let bytesAhead = 0;
      const fill = () => {
        while (next < frames.length && (ahead.length === 0 || (ahead.length < readAheadFrames && bytesAhead < readAheadBytes))) {
          const frame = frames[next++]!;
          const body = readFrame(frame);
          body.catch(() => undefined);
          ahead.push({ frame, body });
          bytesAhead += frame.length;
        }
      };
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async () => {
        if (batch.length > 0) await receiver.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
        batch = [];
        batched = 0;
      };
      for (fill(); ahead.length > 0; fill()) {
        if (options.signal?.aborted) throw cancelled();
        const { frame, body } = ahead.shift()!;
        bytesAhead -= frame.length;
        const data = await body;
        const { item } = frame.transfer;
        sentFrames.set(frame.id, frame);
        batch.push(encodeFrameHeader({ id: frame.id, path: item.path, size: item.size, mode: item.mode, offset: frame.offset, length: frame.length, last: frame.last }));
        stats.bytesSent += data.length;
        if (data.length >= batchBytes) {
          await flush();
          await receiver.write(data);
        } else {
          batch.push(data);
          batched += data.length + 256;
          if (batched >= batchBytes) await flush();
        }
        if (frame.last && frame.length < item.size) {
          await readers.get(item.path)?.close();
          readers.delete(item.path);
        }
      }
      // Last, the record: every file but those found different. The receiver leaves out what it hashed wrong itself.
      const known = new Map(transfers.map((transfer) => [transfer.item.path, transfer]));
      const good = items.filter((item) => {
        const transfer = known.get(item.path);
        return !transfer?.hashed || transfer.sha256 === item.sha256;
      });
      batch.push(Buffer.from(`${JSON.stringify({ r: good.map((item) => [item.path, item.sha256]) })}\n`));
      await flush();
    };

    /** One attempt over one receiver: every frame still missing, then the record; ends when the receiver exits. */
    const send = async (receiver: ReceiverSession, frames: Frame[]) => {
      try {
        await writeFrames(receiver, frames);
        receiver.channel.end();
        await receiver.closed;
      } catch (error) {
        throw receiverFailure(receiver.exitCode, receiver.stderr) ?? error;
      }
      // No exit status means the link went, not the receiver: the caller reconnects. An exit status is final.
      const failure = receiverFailure(receiver.exitCode, receiver.stderr);
      if (failure) throw failure;
      if (receiver.exitCode !== 0) throw new Error('the receiver\'s channel closed without an exit status');
    };

    /** Attempts in a row that ended without a byte or a hash more: a link that keeps failing at once, or a receiver. */
    let barren = 0;
    const progressMark = () => progress.bytesDone + transfers.filter((transfer) => transfer.hashed).length;
    // Nothing to send and every file as recorded: the record stands, and the receiver just ends.
    let recordWritten = toSend.length === 0 && items.every(recorded);
    try {
      for (let round = 0; transfers.length > 0 || !recordWritten; round += 1) {
        for (;;) {
          if (options.signal?.aborted) throw cancelled();
          const waiting = transfers.filter((transfer) => !transfer.hashed);
          const attempt = client;
          const watchdog = setInterval(() => {
            if (options.signal?.aborted || Date.now() - progress.lastAdvance > stallTimeoutMs) attempt.destroy();
            void saveJournal().catch(noteJournalFailure);
          }, 250);
          progress.lastAdvance = Date.now();
          const mark = progressMark();
          // A dropped connection fails every wait of this attempt, whichever it was in.
          const dropped = new Promise<never>((_, reject) => attempt.once('close', () => reject(new Error('the connection to the deploy node closed'))));
          dropped.catch(() => undefined);
          let failure: unknown;
          try {
            const receiver = session ?? (await Promise.race([openReceiver(attempt, false), dropped])).session;
            session = undefined;
            await Promise.race([send(receiver, framesOf(waiting, nextId)), dropped]);
          } catch (error) {
            failure = error;
            attempt.destroy();
          } finally {
            clearInterval(watchdog);
          }
          if (failure === undefined) {
            recordWritten = true;
            break;
          }
          await saveJournal();
          if (options.signal?.aborted) throw cancelled();
          if (failure instanceof AirsprayError) throw failure;
          barren = progressMark() === mark ? barren + 1 : 0;
          if (barren >= 5) throw new AirsprayError('conflict', `The push failed ${barren} times in a row without progress (${(failure as Error).message}); push again to resume from what arrived.`);
          client = await reconnect(options, reconnectForMs, () => progress.emit('sending', true));
          stats.reconnects += 1;
        }
        progress.emit('verifying', true);
        const wrong = transfers.filter((transfer) => transfer.sha256 !== transfer.item.sha256);
        if (wrong.length > 0 && round >= 1) {
          throw new AirsprayError('conflict', `After sending twice, the deploy node still holds different bytes for ${wrong.slice(0, 5).map(({ item }) => item.path).join(', ')}${wrong.length > 5 ? ` and ${wrong.length - 5} more` : ''}: check its disk.`, 'destination');
        }
        transfers = wrong.map(({ item }) => fresh(item));
      }
    } finally {
      for (const reader of readers.values()) await reader.close().catch(() => undefined);
      readers.clear();
    }
    // An unchanged bundle: the receiver opened for the state just ends (and takes its PID file with it).
    if (session) {
      session.channel.end();
      await session.closed;
    }

    await recreateLinks(client, destination, options.manifest.links ?? []);
    // A journal write the watchdog started may still be under way: it lands first, or it would bring the journal back.
    // Its failure, if any, was noted already; a completed push needs no journal.
    await journaling.catch(() => undefined);
    if (options.journalPath) await rm(options.journalPath, { force: true });
    const result: PushResult = {
      destination,
      filesTotal: items.length,
      filesSent: toSend.length,
      filesSkipped: items.length - toSend.length,
      bytesToSend,
      bytesSent: stats.bytesSent,
      reconnects: stats.reconnects,
      seconds: (performance.now() - started) / 1000,
    };
    progress.bytesDone = bytesToSend;
    progress.emit('done', true);
    return result;
  } finally {
    client.end();
  }
}

async function reconnect(options: PushOptions, reconnectForMs: number, heartbeat: () => void): Promise<Client> {
  const deadline = Date.now() + reconnectForMs;
  for (;;) {
    if (options.signal?.aborted) throw cancelled();
    try {
      return await options.connect();
    } catch (error) {
      const kind = (error as { kind?: string }).kind;
      if (kind === 'auth-refused' || kind === 'host-key-changed' || kind === 'host-key-unknown') throw error;
      if (Date.now() > deadline) {
        throw new AirsprayError('conflict', `The link to the deploy node dropped and did not come back within ${Math.round(reconnectForMs / 1000)} s (${(error as Error).message}); push again to resume from what arrived.`);
      }
      heartbeat();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
