import { join } from 'node:path';
import { readWholeFile } from '../fs/callback-fs';
import { SmallFileReader } from '../fs/small-file-reader';
import { encodeFrameHeader, type ReceiverReply, type ReceiverSession } from './bundle-receiver';
import { BundleFileReader } from './bundle-source';
import type { Frame } from './push-plan';
import type { ProgressMeter } from './push-progress';
import { coreError } from '../i18n/format-core-message';

/** Read ahead of the stream so the laptop's disk is never what it waits for; bounded for memory. */
const readAheadBytes = 8 * 1024 * 1024;
const readAheadFrames = 64;
/** Whole files up to this size are read in place, within a time budget per turn of the event loop. */
const smallFileBytes = 64 * 1024;
/** Headers and small files are gathered into writes of about this size. */
const batchBytes = 256 * 1024;

/** Every frame sent in this push, so a reply finds its frame whichever attempt sent it, and moves the progress. */
export class FrameLedger {
  private readonly sent = new Map<number, Frame>();
  private lastId = 0;
  /** Set once the plan is known; no frame is sent before. */
  meter: ProgressMeter | undefined;

  readonly nextId = () => (this.lastId += 1);

  track(frame: Frame): void {
    this.sent.set(frame.id, frame);
  }

  readonly onReply = (reply: Exclude<ReceiverReply, { kind: 'state' }>): void => {
    const frame = this.sent.get(reply.id);
    if (!frame || !this.meter) return;
    // A file that came in one frame is answered with its hash alone: written, then hashed.
    if (!frame.acked) {
      frame.acked = true;
      if (frame.range) frame.range.acked = frame.offset + frame.length;
      this.meter.advance(frame.length);
      if (frame.last && !frame.transfer.written) {
        frame.transfer.written = true;
        this.meter.filesDone += 1;
      }
    }
    if (reply.kind === 'hashed') {
      frame.transfer.sha256 = reply.sha256;
      frame.transfer.hashed = true;
      this.meter.lastAdvance = Date.now();
    }
  };
}

/**
 * Frame bodies from the bundle on the stick: whole small files read in place, large ones through a reader kept open.
 */
export class FrameSource {
  private readonly readers = new Map<string, BundleFileReader>();
  private readonly smallFiles = new SmallFileReader(2);

  constructor(private readonly bundleDir: string) {}

  async read(frame: Frame): Promise<Buffer> {
    const { item } = frame.transfer;
    if (frame.length === 0) return Buffer.alloc(0);
    if (frame.length === item.size && !item.entry.parts) {
      const path = join(this.bundleDir, item.entry.path);
      const body = await (item.size <= smallFileBytes ? this.smallFiles.read(path) : readWholeFile(path));
      if (body.length !== item.size)
        throw coreError('conflict', 'deploy.bundle-file-changed', { path: item.path }, 'bundle');
      return body;
    }
    let reader = this.readers.get(item.path);
    if (!reader) this.readers.set(item.path, (reader = new BundleFileReader(this.bundleDir, item.entry, item.size)));
    return reader.read(frame.offset, frame.length);
  }

  /** After a file's last frame: its reader, if it had one, is done. */
  async sent(frame: Frame): Promise<void> {
    const { item } = frame.transfer;
    if (!frame.last || frame.length >= item.size) return;
    await this.readers.get(item.path)?.close();
    this.readers.delete(item.path);
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) await reader.close().catch(() => undefined);
    this.readers.clear();
  }
}

/** Frames with their bodies read ahead, within a bound of frames and bytes (always at least the next one). */
class ReadAhead {
  private readonly ahead: { frame: Frame; body: Promise<Buffer> }[] = [];
  private next = 0;
  private bytesAhead = 0;

  constructor(
    private readonly frames: readonly Frame[],
    private readonly source: FrameSource,
  ) {}

  /** Starts reading up to the bound; false once every frame was taken. */
  fill(): boolean {
    const { ahead, frames } = this;
    while (
      this.next < frames.length &&
      (ahead.length === 0 || (ahead.length < readAheadFrames && this.bytesAhead < readAheadBytes))
    ) {
      const frame = frames[this.next++]!;
      const body = this.source.read(frame);
      // Awaited when its turn comes; one that fails before must not count as unhandled meanwhile.
      body.catch(() => undefined);
      ahead.push({ frame, body });
      this.bytesAhead += frame.length;
    }
    return ahead.length > 0;
  }

  take(): { frame: Frame; body: Promise<Buffer> } {
    const taken = this.ahead.shift()!;
    this.bytesAhead -= taken.frame.length;
    return taken;
  }
}

/** Headers and small bodies gathered into writes of about `batchBytes`; a large body goes alone. */
class BatchedWrites {
  private batch: Buffer[] = [];
  private batched = 0;

  constructor(private readonly receiver: ReceiverSession) {}

  async add(header: Buffer, body: Buffer): Promise<void> {
    this.batch.push(header);
    if (body.length >= batchBytes) {
      await this.flush();
      await this.receiver.write(body);
      return;
    }
    this.batch.push(body);
    this.batched += body.length + 256;
    if (this.batched >= batchBytes) await this.flush();
  }

  async end(last: Buffer): Promise<void> {
    this.batch.push(last);
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.batch.length > 0)
      await this.receiver.write(this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch));
    this.batch = [];
    this.batched = 0;
  }
}

export interface FrameWriting {
  source: FrameSource;
  ledger: FrameLedger;
  /** Checked before each frame: throws to stop the writing. */
  checkCancelled: () => void;
  /** Counts the body bytes put on the wire. */
  onSent: (bytes: number) => void;
  /** The record line that ends the stream, built once every frame was written (replies change it until then). */
  record: () => Buffer;
}

/** Frames in order, each body read ahead of the stream; headers and small bodies gathered into larger writes. */
export async function writeFrames(
  receiver: ReceiverSession,
  frames: readonly Frame[],
  writing: FrameWriting,
): Promise<void> {
  const ahead = new ReadAhead(frames, writing.source);
  const writes = new BatchedWrites(receiver);
  while (ahead.fill()) {
    writing.checkCancelled();
    const { frame, body } = ahead.take();
    const data = await body;
    const { item } = frame.transfer;
    writing.ledger.track(frame);
    const header = encodeFrameHeader({
      id: frame.id,
      path: item.path,
      size: item.size,
      mode: item.mode,
      offset: frame.offset,
      length: frame.length,
      last: frame.last,
    });
    writing.onSent(data.length);
    await writes.add(header, data);
    await writing.source.sent(frame);
  }
  await writes.end(writing.record());
}
