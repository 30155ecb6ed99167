import { z } from 'zod';
import { formatBytes } from '../../common/format-bytes';
import type { NodeState } from './bundle-receiver';
import type { PushItem } from './bundle-source';
import type { PushJournal } from './push-journal';
import { remoteRoot } from './remote-layout';
import { coreError } from '../i18n/format-core-message';

/** Bytes per frame: the receiver acknowledges each, so this is also the resume granularity within a file. */
export const frameBytes = 1024 * 1024;

export interface Range {
  start: number;
  end: number;
  /** Every byte below this offset was written on the node (the receiver acknowledged it). */
  acked: number;
}

/** One file to send: its missing byte ranges, and the node's sha256 of it once it has arrived whole. */
export interface Transfer {
  item: PushItem;
  ranges: Range[];
  sha256?: string | undefined;
  hashed: boolean;
  /** Counted in the progress's files once its last byte was written. */
  written: boolean;
}

export interface Frame {
  id: number;
  transfer: Transfer;
  range: Range | undefined;
  offset: number;
  length: number;
  last: boolean;
  acked: boolean;
}

/** What the node holds, as last verified: lets an unchanged bundle be recognised without hashing it again. */
export const RecordSchema = z.object({
  formatVersion: z.literal(1),
  files: z.record(z.string(), z.object({ size: z.number(), mtime: z.string(), sha256: z.string() })),
});

/** The node's state as the receiver reported it, keyed for the checks below. */
export interface RemoteState {
  files: Map<string, { size: number; mtime: string }>;
  record: z.infer<typeof RecordSchema>['files'];
  free: number;
  mount: string;
}

export function remoteStateOf(state: NodeState): RemoteState {
  let record: z.infer<typeof RecordSchema>['files'] = {};
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(state.record ?? ''));
    if (parsed.success) record = parsed.data.files;
  } catch {
    // No record yet, or a torn one: everything gets hashed.
  }
  return {
    files: new Map(state.files.map(([path, size, mtime]) => [path, { size, mtime }])),
    record,
    free: state.free,
    mount: state.mount,
  };
}

/** What one push sends: the files the node lacks, each with the ranges still missing. */
export interface PushPlan {
  /** Smallest first: the node makes thousands of files faster before the large ones' pages wait for its disk. */
  toSend: PushItem[];
  bytesToSend: number;
  transfers: Transfer[];
  /** The transfers that go on from ranges an earlier push left acknowledged (counted as done already). */
  resumed: Transfer[];
  /** Nothing to send and every file as recorded: the record stands, and the receiver just ends. */
  recordStands: boolean;
}

export const freshTransfer = (item: PushItem): Transfer => ({
  item,
  ranges: [{ start: 0, end: item.size, acked: 0 }],
  hashed: false,
  written: false,
});

/**
 * Decides what to send: a file the node's record vouches for (same size, mtime and sha256) is skipped unhashed;
 * one of the right size otherwise is hashed there (`hash`) unless the journal knows it half-sent.
 */
export async function planPush(
  items: readonly PushItem[],
  remote: RemoteState,
  journal: PushJournal,
  hash: (paths: string[]) => Promise<Map<string, string>>,
): Promise<PushPlan> {
  const recorded = (item: PushItem) => {
    const found = remote.files.get(item.path);
    const record = remote.record[item.path];
    return (
      !!found && !!record && record.size === found.size && record.mtime === found.mtime && record.sha256 === item.sha256
    );
  };
  // A file the journal knows half-sent is not worth hashing: it is resumed below.
  const toHash = items.filter(
    (item) => remote.files.get(item.path)?.size === item.size && !recorded(item) && !journal.unfinished(item),
  );
  const hashed = await hash(toHash.map((item) => item.path));
  const present = (item: PushItem) =>
    remote.files.get(item.path)?.size === item.size && (recorded(item) || hashed.get(item.path) === item.sha256);
  const toSend = items.filter((item) => !present(item)).sort((a, b) => a.size - b.size);
  const resumed: Transfer[] = [];
  const transfers = toSend.map((item): Transfer => {
    const ranges = journal.resumableRanges(item, remote.files.has(item.path));
    if (!ranges) return freshTransfer(item);
    const transfer = { item, ranges, hashed: false, written: false };
    resumed.push(transfer);
    return transfer;
  });
  return {
    toSend,
    bytesToSend: toSend.reduce((sum, item) => sum + item.size, 0),
    transfers,
    resumed,
    recordStands: toSend.length === 0 && items.every(recorded),
  };
}

/** Refuses a push that would leave less than `reserve` free on the node's disk, naming how much to free. */
export function assertRoomOnNode(toSend: readonly PushItem[], remote: RemoteState, reserve: number): void {
  if (toSend.length === 0) return;
  const needed = toSend.reduce(
    (sum, item) => sum + Math.max(0, item.size - (remote.files.get(item.path)?.size ?? 0)),
    0,
  );
  const { free, mount } = remote;
  if (free - needed < reserve) {
    const sizes = { free, needed, reserve, missing: needed + reserve - free };
    const params = Object.fromEntries(Object.entries(sizes).map(([name, bytes]) => [name, formatBytes(bytes)]));
    throw coreError('conflict', 'deploy.no-space', { ...params, mount, root: remoteRoot }, 'destination');
  }
}

/** The frames still to send for these transfers: each missing range in frames, the file's last one marked. */
export function framesOf(transfers: readonly Transfer[], nextId: () => number): Frame[] {
  const frames: Frame[] = [];
  for (const transfer of transfers) {
    const first = frames.length;
    for (const range of transfer.ranges) {
      for (let offset = range.acked; offset < range.end; offset += frameBytes) {
        frames.push({
          id: nextId(),
          transfer,
          range,
          offset,
          length: Math.min(frameBytes, range.end - offset),
          last: false,
          acked: false,
        });
      }
    }
    // All bytes written but the node's hash never came back: a frame of no bytes asks for it.
    if (frames.length === first)
      frames.push({ id: nextId(), transfer, range: undefined, offset: 0, length: 0, last: false, acked: false });
    frames.at(-1)!.last = true;
  }
  return frames;
}
