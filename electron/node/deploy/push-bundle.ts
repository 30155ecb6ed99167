import { posix } from 'node:path';
import type { Client } from 'ssh2';
import type { PushProgress, PushResult } from '../../common/deploy-api';
import type { BundleManifest } from '../../common/bundle-manifest';
import { coreError } from '../i18n/format-core-message';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import { pushItemsOf, type PushItem } from './bundle-source';
import {
  destinationNotReady,
  ReceiverSession,
  receiverCommand,
  type NodeState,
  type ReceiverReply,
} from './bundle-receiver';
import { assertSucceeded, execAsRoot } from './remote-shell';
import { remoteBundleDir } from './remote-layout';
import { stderrCoreLog, type CoreLog } from '../core-log';
import { PushAttempts, PushLink } from './push-attempts';
import { pushCancelled, receiverFailure } from './push-failures';
import { FrameLedger, FrameSource } from './push-frames';
import { PushJournal } from './push-journal';
import { assertRoomOnNode, planPush, remoteStateOf } from './push-plan';
import { ProgressMeter } from './push-progress';

/** The deploy node's own disk, never /tmp (a tmpfs on many hosts, and emptied on reboot). */
const pushDir = '.airspray-push';
/**
 * The record the receiver writes once every file is made (bundle-receiver.py); `airspray up` reads it to skip a done
 * push.
 */
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

/** sha256 of files on the node, hashed on several threads; the names go through stdin, NUL-separated. */
async function remoteHashes(
  client: Client,
  destination: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (paths.length === 0) return hashes;
  const result = assertSucceeded(
    await execCommand(client, receiverCommand(destination, 'hash', pushDir), `${paths.join('\0')}\0`),
    'Hashing files on the deploy node',
  );
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
async function recreateLinks(
  client: Client,
  destination: string,
  links: NonNullable<BundleManifest['links']>,
): Promise<void> {
  if (links.length === 0) return;
  const commands = links.map((link) => {
    const path = quoteShellArg(posix.join(destination, link.path));
    return `mkdir -p ${quoteShellArg(posix.dirname(posix.join(destination, link.path)))} && ln -sfnT ${quoteShellArg(link.target)} ${path}`;
  });
  assertSucceeded(
    await execCommand(client, `set -e\n${commands.join('\n')}\n`),
    "Making the bundle's symbolic links on the deploy node",
  );
}

/** The destination exists and belongs to the login user; made once with sudo so the push itself needs no root. */
async function prepareDestination(
  client: Client,
  destination: string,
  sudoPassword: string | undefined,
): Promise<void> {
  const probe = await execCommand(client, 'id -un; id -gn');
  const [user, group] = probe.stdout.trim().split('\n');
  const parent = posix.dirname(destination);
  const made = await execAsRoot(
    client,
    `install -d -m 755 ${quoteShellArg(parent)} && install -d -m 755 -o ${quoteShellArg(user ?? '')} -g ${quoteShellArg(group ?? '')} ${quoteShellArg(destination)}`,
    sudoPassword,
  );
  if (made.code !== 0) {
    const detail = made.stderr.trim() || `exit ${made.code}`;
    throw coreError('sudo_refused', 'deploy.folder-sudo-refused', { folder: destination, detail }, 'credentialId');
  }
}

/** The bundle id names its folder on the deploy node, so it must be a plain folder name. */
function assertFolderName(bundleId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bundleId)) {
    throw coreError('invalid_params', 'deploy.bundle-id-invalid', { bundleId }, 'bundleId');
  }
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
  assertFolderName(options.manifest.bundleId);
  const { items, connecting } = await listWhileConnecting(options);
  const link = new PushLink(await connecting, options.connect, options.reconnectForMs ?? 120_000, options.signal);
  const ledger = new FrameLedger();
  const openReceiver = (connection: Client, mayPrepare: boolean) =>
    openReceiverOn(
      connection,
      { destination, sudoPassword: options.sudoPassword, onReply: ledger.onReply },
      mayPrepare,
    );
  try {
    options.onProgress?.({
      phase: 'checking',
      bytesDone: 0,
      bytesTotal: 0,
      filesDone: 0,
      filesTotal: items.length,
      rateBytesPerSecond: 0,
      etaSeconds: null,
      reconnects: 0,
    });
    const first = await openReceiver(link.client, true);
    const remote = remoteStateOf(first.state);
    const { journal, plan } = await endingOnFailure(first.session, async () => {
      const journal = await PushJournal.open(options.journalPath, destination, options.log ?? stderrCoreLog);
      const plan = await planPush(items, remote, journal, (paths) => remoteHashes(link.client, destination, paths));
      assertRoomOnNode(plan.toSend, remote, options.reserveBytes ?? 512 * 1024 * 1024);
      return { journal, plan };
    });

    const progress = new ProgressMeter(
      { bytes: plan.bytesToSend, files: plan.toSend.length },
      () => link.reconnects,
      options.onProgress,
    );
    ledger.meter = progress;
    for (const { ranges } of plan.resumed)
      progress.advance(ranges.reduce((sum, range) => sum + range.acked - range.start, 0));
    const attempts = new PushAttempts(
      {
        link,
        items,
        progress,
        journal,
        source: new FrameSource(options.bundleDir),
        ledger,
        openReceiver: async (connection) => (await openReceiver(connection, false)).session,
        stallTimeoutMs: options.stallTimeoutMs ?? 15_000,
        signal: options.signal,
      },
      plan.transfers,
      first.session,
      plan.recordStands,
    );
    await attempts.run();

    await recreateLinks(link.client, destination, options.manifest.links ?? []);
    await journal.remove();
    const result: PushResult = {
      destination,
      filesTotal: items.length,
      filesSent: plan.toSend.length,
      filesSkipped: items.length - plan.toSend.length,
      bytesToSend: plan.bytesToSend,
      bytesSent: attempts.bytesSent,
      reconnects: link.reconnects,
      seconds: (performance.now() - started) / 1000,
    };
    progress.bytesDone = plan.bytesToSend;
    progress.emit('done', true);
    return result;
  } finally {
    link.client.end();
  }
}

/** A push that fails before its first byte (refused for room, say) returns its error once the receiver is gone. */
async function endingOnFailure<T>(session: ReceiverSession, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await session.end();
    throw error;
  }
}

/** Logging in takes longer than listing the bundle (thousands of stats): both at once. */
async function listWhileConnecting(options: PushOptions): Promise<{ items: PushItem[]; connecting: Promise<Client> }> {
  const connecting = options.connect();
  // Awaited once the listing is done; a login that fails sooner must not count as unhandled meanwhile.
  connecting.catch(() => undefined);
  try {
    const items = await pushItemsOf(options.bundleDir, options.manifest);
    if (options.signal?.aborted) throw pushCancelled();
    return { items, connecting };
  } catch (error) {
    void connecting.then(
      (connection) => connection.end(),
      () => undefined,
    );
    throw error;
  }
}

/** A receiver that reported the node's state; the destination is made first (sudo, once) if it is not there. */
async function openReceiverOn(
  connection: Client,
  to: {
    destination: string;
    sudoPassword: string | undefined;
    onReply: (reply: Exclude<ReceiverReply, { kind: 'state' }>) => void;
  },
  mayPrepare: boolean,
): Promise<{ session: ReceiverSession; state: NodeState }> {
  const session = await ReceiverSession.open(connection, to.destination, pushDir, to.onReply);
  try {
    return { session, state: await session.state };
  } catch (error) {
    await session.closed;
    if (session.exitCode === destinationNotReady && mayPrepare) {
      await prepareDestination(connection, to.destination, to.sudoPassword);
      return openReceiverOn(connection, to, false);
    }
    throw receiverFailure(session.exitCode, session.stderr) ?? error;
  }
}
