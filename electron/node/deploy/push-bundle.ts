import { readFile, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { z } from 'zod';
import type { BundleManifest } from '../../common/bundle-manifest';
import { AirsprayError } from '../../common/errors';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import { BundleFileReader, pushItemsOf, type PushItem } from './bundle-source';
import { assertSucceeded, execAsRoot } from './remote-shell';
import { tarOfFiles } from './tar-stream';

/** The deploy node's own disk, never /tmp (a tmpfs on many hosts, and emptied on reboot). */
export const deployRoot = '/var/lib/airspray';
export const bundleDestination = (bundleId: string) => `${deployRoot}/bundles/${bundleId}`;
/** What the node holds, as last verified: lets an unchanged bundle be recognised without hashing it again. */
const recordDir = '.airspray-push';
const recordPath = `${recordDir}/verified.json`;

export type PushPhase = 'checking' | 'sending' | 'verifying' | 'done';

export interface PushProgress {
  phase: PushPhase;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  rateBytesPerSecond: number;
  etaSeconds: number | null;
  reconnects: number;
}

export interface PushOptions {
  bundleDir: string;
  manifest: BundleManifest;
  /** Opens a fresh authenticated connection to the deploy node; called again after a dropped link. */
  connect: () => Promise<Client>;
  /** For the one-time `mkdir` under /var/lib (sudo -S, on stdin). */
  sudoPassword: string | undefined;
  destination?: string;
  /** Files from this size up travel as parallel SFTP range writes; smaller ones in one tar stream. */
  largeFileBytes?: number;
  /** A large file is cut into ranges of this size, each written in order by one of `streams` workers. */
  rangeBytes?: number;
  streams?: number;
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
}

export interface PushResult {
  destination: string;
  filesTotal: number;
  filesSent: number;
  /** Already on the node with the right sha256 (from the last verified record, or hashed there). */
  filesSkipped: number;
  bytesToSend: number;
  /** Payload bytes put on the wire over all attempts: above `bytesToSend` only by what was in flight at a drop. */
  bytesSent: number;
  reconnects: number;
  seconds: number;
}

/** OpenSSH's sftp-server takes writes up to 256 KiB minus 1 KiB; a larger one would be split in two requests. */
const chunkBytes = 255 * 1024;
const writesInFlight = 16;

const RecordSchema = z.object({
  formatVersion: z.literal(1),
  files: z.record(z.string(), z.object({ size: z.number(), mtime: z.string(), sha256: z.string() })),
});

interface RemoteFile {
  size: number;
  mtime: string;
}

interface Range {
  item: PushItem;
  start: number;
  end: number;
  /** Every byte below this offset was acknowledged by the node's SFTP server (written there). */
  acked: number;
  busy: boolean;
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

const cancelled = () => new AirsprayError('conflict', 'The push was cancelled; what reached the node stays, and the next push resumes from it.');

interface RemoteState {
  files: Map<string, RemoteFile>;
  record: z.infer<typeof RecordSchema>['files'];
  free: number;
  mount: string;
}

/**
 * One round trip: stops tar processes of this login still extracting into the destination (left by a push whose
 * link dropped, one could wake when the link returns and rewrite files already checked; the loop uses only shell
 * builtins until it meets a tar), then reads the last verified record, lists every file with size and mtime, and
 * the free space.
 */
async function readRemoteState(client: Client, destination: string): Promise<RemoteState> {
  const at = quoteShellArg(destination);
  const script = [
    `for p in /proc/[0-9]*; do read -r c 2>/dev/null < "$p/comm" || continue; [ "$c" = tar ] && [ "$(readlink "$p/cwd")" = ${at} ] && kill "\${p#/proc/}"; done`,
    `cd ${at} 2>/dev/null && cat ${recordPath} 2>/dev/null; printf '\\0\\0'`,
    `cd ${at} 2>/dev/null && find . -path ./${recordDir} -prune -o -type f -printf '%s %T@ %P\\0'; printf '\\0\\0'`,
    `df -Pk ${at} 2>/dev/null | tail -n 1 || df -Pk ${quoteShellArg(posix.dirname(destination))} | tail -n 1`,
  ].join('\n');
  const { stdout } = assertSucceeded(await execCommand(client, script), 'Reading the bundle on the deploy node');
  const [recordText = '', listing = '', dfLine = ''] = stdout.split('\0\0');
  const files = new Map<string, RemoteFile>();
  for (const line of listing.split('\0')) {
    const match = /^(\d+) (\S+) (.+)$/s.exec(line);
    if (match) files.set(match[3]!, { size: Number(match[1]), mtime: match[2]! });
  }
  let record: z.infer<typeof RecordSchema>['files'] = {};
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(recordText));
    if (parsed.success) record = parsed.data.files;
  } catch {
    // No record yet, or a torn one: everything gets hashed.
  }
  const fields = dfLine.replace(/\0/g, '').trim().split(/\s+/);
  return { files, record, free: Number(fields[3]) * 1024, mount: fields[5] ?? destination };
}

/** sha256 of files on the node, several sha256sum processes at once; the names go through stdin, NUL-separated. */
async function remoteHashes(client: Client, destination: string, paths: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (paths.length === 0) return hashes;
  const script = `cd ${quoteShellArg(destination)} && xargs -0 -r -P "$(nproc)" -n 64 sha256sum --`;
  const result = await execCommand(client, script, `${paths.join('\0')}\0`);
  for (const line of result.stdout.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) hashes.set(match[2]!, match[1]!);
  }
  return hashes;
}

/** The destination exists and belongs to the login user; made once with sudo so the push itself needs no root. */
async function prepareDestination(client: Client, destination: string, sudoPassword: string | undefined): Promise<void> {
  const probe = await execCommand(client, `id -un; id -gn; test -d ${quoteShellArg(destination)} -a -w ${quoteShellArg(destination)} && echo ready`);
  const [user, group, ready] = probe.stdout.trim().split('\n');
  if (ready === 'ready') return;
  const parent = posix.dirname(destination);
  const made = await execAsRoot(
    client,
    `install -d -m 755 ${quoteShellArg(parent)} && install -d -m 755 -o ${quoteShellArg(user ?? '')} -g ${quoteShellArg(group ?? '')} ${quoteShellArg(destination)}`,
    sudoPassword,
  );
  if (made.code !== 0) {
    throw new AirsprayError('conflict', `Creating ${destination} on the deploy node needs sudo, which refused (${made.stderr.trim() || `exit ${made.code}`}): check the profile's sudo password.`, 'credentialId');
  }
}

const formatBytes = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

function sftpOf(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
}

function openRemote(sftp: SFTPWrapper, path: string, flags: 'w' | 'r+', mode: number): Promise<Buffer> {
  return new Promise((resolve, reject) => sftp.open(path, flags, { mode }, (error, handle) => (error ? reject(error) : resolve(handle))));
}

function closeRemote(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  return new Promise((resolve, reject) => sftp.close(handle, (error) => (error ? reject(error) : resolve())));
}

function execChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))));
}

/** Writes into a channel respecting its window; rejects if the channel closes first (the link dropped). */
function writeChannel(channel: ClientChannel, chunk: Buffer): Promise<void> {
  if (channel.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      channel.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      channel.off('drain', onDrain);
      reject(new Error('the channel closed while sending'));
    };
    channel.once('drain', onDrain);
    channel.once('close', onClose);
  });
}

/** Rate over the last few seconds, so the ETA follows the link as it is now. */
class ProgressMeter {
  private samples: { at: number; bytes: number }[] = [];
  private lastEmit = 0;
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

  emit(phase: PushPhase, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < 200) return;
    this.lastEmit = now;
    this.samples.push({ at: now, bytes: this.bytesDone });
    this.samples = this.samples.filter((sample) => now - sample.at <= 5000);
    const first = this.samples[0]!;
    const rate = now > first.at ? ((this.bytesDone - first.bytes) * 1000) / (now - first.at) : 0;
    const left = this.totals.bytes - this.bytesDone;
    this.onProgress?.({
      phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.totals.bytes,
      filesDone: this.filesDone,
      filesTotal: this.totals.files,
      rateBytesPerSecond: Math.round(rate),
      etaSeconds: phase === 'done' ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
      reconnects: this.reconnects(),
    });
  }
}

/**
 * Copies a bundle to the deploy node: only files not already there with their sha256, small files as one tar
 * stream, large ones as parallel SFTP range writes. After a dropped link it reconnects and resumes every range
 * from its last acknowledged byte (SFTP acknowledges a write once the server has written it, so that offset is
 * safe; an exec stream has no such acknowledgement, which is why only small files travel in it and are resent
 * whole). Every file sent is hashed on the node at the end; a mismatch is sent again once, then refused by name.
 */
export async function pushBundle(options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const destination = options.destination ?? bundleDestination(options.manifest.bundleId);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.manifest.bundleId)) {
    throw new AirsprayError('invalid_params', `Bundle id "${options.manifest.bundleId}" cannot name a folder on the deploy node: use letters, digits, ".", "_" and "-".`, 'bundleId');
  }
  const largeFileBytes = options.largeFileBytes ?? 8 * 1024 * 1024;
  const rangeBytes = options.rangeBytes ?? 32 * 1024 * 1024;
  const stallTimeoutMs = options.stallTimeoutMs ?? 15_000;
  const reconnectForMs = options.reconnectForMs ?? 120_000;
  const items = await pushItemsOf(options.bundleDir, options.manifest);
  const stats = { bytesSent: 0, reconnects: 0 };
  if (options.signal?.aborted) throw cancelled();

  let client = await options.connect();
  try {
    options.onProgress?.({ phase: 'checking', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: items.length, rateBytesPerSecond: 0, etaSeconds: null, reconnects: 0 });
    await prepareDestination(client, destination, options.sudoPassword);
    const remote = await readRemoteState(client, destination);
    const toHash = items.filter((item) => {
      const found = remote.files.get(item.path);
      const recorded = remote.record[item.path];
      if (!found || found.size !== item.size) return false;
      return !(recorded && recorded.size === found.size && recorded.mtime === found.mtime && recorded.sha256 === item.sha256);
    });
    const hashed = await remoteHashes(client, destination, toHash.map((item) => item.path));
    const present = (item: PushItem) => {
      const found = remote.files.get(item.path);
      if (!found || found.size !== item.size) return false;
      const recorded = remote.record[item.path];
      if (recorded && recorded.size === found.size && recorded.mtime === found.mtime && recorded.sha256 === item.sha256) return true;
      return hashed.get(item.path) === item.sha256;
    };
    let toSend = items.filter((item) => !present(item));
    const bytesToSend = toSend.reduce((sum, item) => sum + item.size, 0);

    if (toSend.length > 0) {
      const needed = toSend.reduce((sum, item) => sum + Math.max(0, item.size - (remote.files.get(item.path)?.size ?? 0)), 0);
      const reserve = options.reserveBytes ?? 512 * 1024 * 1024;
      const { free, mount } = remote;
      if (free - needed < reserve) {
        throw new AirsprayError(
          'conflict',
          `The deploy node has ${formatBytes(free)} free on ${mount}; the bundle needs ${formatBytes(needed)} more there and ${formatBytes(reserve)} must stay free. Free ${formatBytes(needed + reserve - free)} on ${mount}, or give ${deployRoot} a larger disk.`,
          'destination',
        );
      }
    }

    const meter = new ProgressMeter({ bytes: bytesToSend, files: toSend.length }, () => stats.reconnects, options.onProgress);
    const created = new Set<string>();
    /** Small files get the manifest's time as mtime: the node's record keys on what the node then reports. */
    const mtime = new Date(options.manifest.createdAt);
    /** Hashes started on the node as soon as files arrived, so checking overlaps with sending the rest. */
    const early = new Map<string, Promise<string | undefined>>();
    const hashEarly = (connection: Client, paths: string[]) => {
      const hashing = remoteHashes(connection, destination, paths);
      for (const path of paths) early.set(path, hashing.then((sums) => sums.get(path), () => undefined));
    };

    const sendSmall = async (connection: Client, pending: Set<string>) => {
      if (pending.size === 0) return;
      const paths = [...pending];
      const channel = await execChannel(connection, `cd ${quoteShellArg(destination)} && exec tar -x -f - --no-same-owner`);
      let stderr = '';
      channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      channel.resume();
      const closed = new Promise<number | null>((resolve) => channel.once('close', (code: number | null) => resolve(code)));
      for await (const chunk of tarOfFiles(options.bundleDir, paths.map((path) => byPath.get(path)!), mtime)) {
        if (options.signal?.aborted) throw cancelled();
        await writeChannel(channel, chunk.data);
        stats.bytesSent += chunk.data.length;
        meter.advance(chunk.fileBytes);
      }
      channel.end();
      const code = await closed;
      if (code !== 0) throw new Error(`tar on the deploy node failed (exit ${code}): ${stderr.trim()}`);
      meter.filesDone += paths.length;
      hashEarly(connection, paths);
      for (const path of paths) pending.delete(path);
    };

    const sendRanges = async (connection: Client, ranges: Range[]) => {
      const open = ranges.filter((range) => range.acked < range.end);
      if (open.length === 0) return;
      const files = [...new Set(open.map((range) => range.item))];
      const dirs = [...new Set(files.map((item) => posix.dirname(item.path)))];
      assertSucceeded(await execCommand(connection, `cd ${quoteShellArg(destination)} && xargs -0 -r mkdir -p --`, `${dirs.join('\0')}\0`), 'Creating folders on the deploy node');
      const setup = await sftpOf(connection);
      for (const item of files) {
        if (created.has(item.path)) continue;
        await closeRemote(setup, await openRemote(setup, posix.join(destination, item.path), 'w', item.mode));
        created.add(item.path);
      }
      setup.end();
      const readers = new Map(files.map((item) => [item.path, new BundleFileReader(options.bundleDir, item.entry, item.size)]));
      const take = () => {
        const range = open.find((candidate) => !candidate.busy && candidate.acked < candidate.end);
        if (range) range.busy = true;
        return range;
      };
      const finished = new Set<string>();
      const worker = async () => {
        const sftp = await sftpOf(connection);
        try {
          for (let range = take(); range; range = take()) {
            const current = range;
            try {
              const handle = await openRemote(sftp, posix.join(destination, current.item.path), 'r+', current.item.mode);
              await writeRange(sftp, handle, current, readers.get(current.item.path)!);
              await closeRemote(sftp, handle);
              if (!finished.has(current.item.path) && ranges.filter((other) => other.item === current.item).every((other) => other.acked === other.end)) {
                finished.add(current.item.path);
                hashEarly(connection, [current.item.path]);
                meter.filesDone += 1;
              }
            } finally {
              current.busy = false;
            }
          }
        } finally {
          sftp.end();
        }
      };
      const writeRange = (sftp: SFTPWrapper, handle: Buffer, range: Range, reader: BundleFileReader) =>
        new Promise<void>((resolve, reject) => {
          let next = range.acked;
          let outstanding = 0;
          let failed = false;
          const done = new Map<number, number>();
          const fail = (error: Error) => {
            if (!failed) reject(error);
            failed = true;
          };
          const pump = () => {
            if (options.signal?.aborted) return fail(cancelled());
            while (!failed && outstanding < writesInFlight && next < range.end) {
              const start = next;
              const length = Math.min(chunkBytes, range.end - start);
              next += length;
              outstanding += 1;
              reader.read(start, length).then((buffer) => {
                if (failed) return;
                stats.bytesSent += length;
                sftp.write(handle, buffer, 0, length, start, (error) => {
                  outstanding -= 1;
                  if (error) return fail(error);
                  done.set(start, start + length);
                  // Acknowledgements can arrive out of order; the resume point only moves over a gap-free prefix.
                  for (let end = done.get(range.acked); end !== undefined; end = done.get(range.acked)) {
                    done.delete(range.acked);
                    meter.advance(end - range.acked);
                    range.acked = end;
                  }
                  if (range.acked === range.end) resolve();
                  else pump();
                });
              }, fail);
            }
          };
          pump();
        });
      try {
        await Promise.all(Array.from({ length: Math.min(options.streams ?? 4, open.length) }, worker));
      } finally {
        for (const reader of readers.values()) await reader.close().catch(() => undefined);
      }
    };

    const byPath = new Map(items.map((item) => [item.path, item]));
    const journal = await readJournal(options.journalPath, destination);
    let ranges: Range[] = [];
    const saveJournal = async () => {
      if (!options.journalPath) return;
      const files: z.infer<typeof JournalSchema>['files'] = {};
      for (const range of ranges) {
        const entry = (files[range.item.path] ??= { sha256: range.item.sha256, size: range.item.size, ranges: [] });
        entry.ranges.push([range.start, range.end, range.acked]);
      }
      await writeFileAtomic(options.journalPath, JSON.stringify({ formatVersion: 1, destination, files }));
    };
    for (let round = 0; toSend.length > 0; round += 1) {
      const pendingSmall = new Set(toSend.filter((item) => item.size < largeFileBytes).map((item) => item.path));
      ranges = toSend
        .filter((item) => item.size >= largeFileBytes)
        .flatMap((item): Range[] => {
          const kept = journal[item.path];
          // Ranges acknowledged by an earlier push of the same file go on from where they stopped (the final
          // sha256 check catches a file changed on the node in between).
          if (round === 0 && kept && kept.sha256 === item.sha256 && kept.size === item.size && remote.files.has(item.path)) {
            created.add(item.path);
            const resumed = kept.ranges.map(([start, end, acked]) => ({ item, start, end, acked, busy: false }));
            meter.advance(resumed.reduce((sum, range) => sum + range.acked - range.start, 0));
            return resumed;
          }
          created.delete(item.path);
          const count = Math.max(1, Math.ceil(item.size / rangeBytes));
          const step = Math.ceil(item.size / count);
          return Array.from({ length: count }, (_, index) => {
            const start = index * step;
            return { item, start, end: Math.min(item.size, start + step), acked: start, busy: false };
          });
        });
      while (pendingSmall.size > 0 || ranges.some((range) => range.acked < range.end)) {
        if (options.signal?.aborted) throw cancelled();
        const attempt = client;
        let ticks = 0;
        const watchdog = setInterval(() => {
          if (options.signal?.aborted || Date.now() - meter.lastAdvance > stallTimeoutMs) attempt.destroy();
          if ((ticks += 1) % 4 === 0) void saveJournal().catch(() => undefined);
        }, 250);
        const failures: unknown[] = [];
        meter.lastAdvance = Date.now();
        // A dropped connection fails every wait of this attempt, whichever request or channel it was in.
        const dropped = new Promise<never>((_, reject) => attempt.once('close', () => reject(new Error('the connection to the deploy node closed'))));
        dropped.catch(() => undefined);
        await Promise.all(
          [sendSmall(attempt, pendingSmall), sendRanges(attempt, ranges)].map((branch) =>
            Promise.race([branch, dropped]).catch((error: unknown) => {
              failures.push(error);
              attempt.destroy();
            }),
          ),
        );
        clearInterval(watchdog);
        if (failures.length === 0) break;
        await saveJournal();
        if (options.signal?.aborted) throw cancelled();
        if (failures.some((error) => error instanceof AirsprayError)) throw failures.find((error) => error instanceof AirsprayError);
        client = await reconnect(options, reconnectForMs, () => meter.emit('sending', true));
        stats.reconnects += 1;
        // Also stops the old session's tar, which may still wait for bytes that will never come.
        const now = await readRemoteState(client, destination);
        for (const path of [...pendingSmall]) if (now.files.get(path)?.size === byPath.get(path)?.size) pendingSmall.delete(path);
      }

      meter.emit('verifying', true);
      const sums = new Map<string, string>();
      for (const item of toSend) {
        const sum = await early.get(item.path);
        if (sum) sums.set(item.path, sum);
      }
      early.clear();
      const late = await remoteHashes(client, destination, toSend.filter((item) => !sums.has(item.path)).map((item) => item.path));
      for (const [path, sum] of late) sums.set(path, sum);
      const wrong = toSend.filter((item) => sums.get(item.path) !== item.sha256);
      if (wrong.length > 0 && round >= 1) {
        throw new AirsprayError('conflict', `After sending twice, the deploy node still holds different bytes for ${wrong.slice(0, 5).map((item) => item.path).join(', ')}${wrong.length > 5 ? ` and ${wrong.length - 5} more` : ''}: check its disk.`, 'destination');
      }
      toSend = wrong;
    }

    await writeRecord(client, destination, items);
    if (options.journalPath) await rm(options.journalPath, { force: true });
    const result: PushResult = {
      destination,
      filesTotal: items.length,
      filesSent: items.filter((item) => !present(item)).length,
      filesSkipped: items.filter(present).length,
      bytesToSend,
      bytesSent: stats.bytesSent,
      reconnects: stats.reconnects,
      seconds: (performance.now() - started) / 1000,
    };
    meter.bytesDone = bytesToSend;
    meter.emit('done', true);
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

/** Records size, mtime and sha256 of every verified file, so the next push of an unchanged bundle hashes nothing. */
async function writeRecord(client: Client, destination: string, items: readonly PushItem[]): Promise<void> {
  const { files } = await readRemoteState(client, destination);
  const record: z.infer<typeof RecordSchema> = { formatVersion: 1, files: {} };
  for (const item of items) {
    const found = files.get(item.path);
    if (found?.size === item.size) record.files[item.path] = { size: found.size, mtime: found.mtime, sha256: item.sha256 };
  }
  const target = `${quoteShellArg(destination)}/${recordPath}`;
  assertSucceeded(
    await execCommand(client, `mkdir -p ${quoteShellArg(destination)}/${recordDir} && cat > ${target}.tmp && mv -f ${target}.tmp ${target}`, JSON.stringify(record)),
    'Writing the push record on the deploy node',
  );
}
