import { PlainLineIndex, sgrReset } from './jump-scroll';

export interface TerminalWriterLimits {
  /** The most bytes handed to the terminal in one write. */
  chunkBytes: number;
  /** Writing stops while this many bytes are written but not yet acknowledged by the terminal. */
  highWaterBytes: number;
}

export const defaultWriterLimits: TerminalWriterLimits = { chunkBytes: 100 * 1024, highWaterBytes: 512 * 1024 };

/**
 * Lets the writer skip lines that would scroll out unseen: how many lines the terminal keeps (scrollback + 2 screens).
 */
export interface JumpScroll {
  keepLines(): number;
}

/**
 * Feeds a terminal with flow control: output is batched into writes of at most `chunkBytes`, each acknowledged by
 * the terminal's write callback; while too much is unacknowledged the rest waits here. Nothing is ever dropped from
 * what the terminal keeps: with `jumpScroll`, whole lines waiting here that more than the terminal's scrollback and
 * screen of plain lines follow go unparsed (see PlainLineIndex), the screen and scrollback ending as they would have.
 * Each write carries the input bytes it accounts for, skipped ones included (not the colour reset put before them).
 */
export class TerminalWriter {
  /** Bytes to write, and (numbers) counts of input bytes left out upstream (the server's jump scroll). */
  private readonly queue: (Uint8Array | number)[] = [];
  private queued = 0;
  /** Input offset of the queue's first entry. */
  private position = 0;
  private unacknowledged = 0;
  private skipped = 0;
  private skippedSinceWrite = 0;
  private disposed = false;
  private readonly lines: PlainLineIndex | undefined;
  private readonly roomWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (data: Uint8Array, inputBytes: number, written: () => void) => void,
    private readonly limits: TerminalWriterLimits = defaultWriterLimits,
    private readonly jumpScroll?: JumpScroll,
  ) {
    this.lines = jumpScroll ? new PlainLineIndex() : undefined;
  }

  push(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    this.lines?.scan(bytes);
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.pump();
  }

  /**
   * `count` input bytes that were left out before they got here: whole plain lines, ending where the colours are
   * the defaults, that scroll out unseen (runs.log's jump scroll). Written as a colour reset, counted as input.
   */
  skip(count: number): void {
    if (this.disposed || count === 0) return;
    this.lines?.skip(count);
    this.queue.push(count);
    this.pump();
  }

  /** Resolves once everything given so far is handed to the terminal and at most half the write window is unparsed. */
  room(): Promise<void> {
    return this.hasRoom() ? Promise.resolve() : new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private hasRoom(): boolean {
    return this.disposed || (this.queue.length === 0 && this.unacknowledged <= this.limits.highWaterBytes / 2);
  }

  /** Bytes received but not yet handed to the terminal (the UI is behind by this much). */
  get waitingBytes(): number {
    return this.queued;
  }

  get unacknowledgedBytes(): number {
    return this.unacknowledged;
  }

  /** Input bytes jump scroll left unparsed so far. */
  get skippedBytes(): number {
    return this.skipped;
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.queued = 0;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }

  private pump(): void {
    while (!this.disposed && this.queue.length > 0 && this.unacknowledged < this.limits.highWaterBytes) {
      const chunk = this.take(this.limits.chunkBytes);
      const inputBytes = chunk.length + this.skippedSinceWrite;
      this.skippedSinceWrite = 0;
      const data = inputBytes > chunk.length ? joined([sgrReset, chunk]) : chunk;
      this.unacknowledged += data.length;
      this.write(data, inputBytes, () => {
        this.unacknowledged -= data.length;
        this.pump();
        if (this.hasRoom()) for (const resolve of this.roomWaiters.splice(0)) resolve();
      });
    }
  }

  /**
   * Up to `max` bytes off the front of the queue, small pieces joined into one write; lines that scroll out unseen
   * skipped, and so are the input bytes left out upstream before them.
   */
  private take(max: number): Uint8Array {
    const plan = this.jumpScroll && this.lines?.plan(this.position, this.jumpScroll.keepLines());
    if (plan && plan.from === this.position) {
      this.drop(plan.to - plan.from);
      this.skipped += plan.to - plan.from;
      this.skippedSinceWrite += plan.to - plan.from;
    } else if (plan) {
      max = Math.min(max, plan.from - this.position);
    }
    while (typeof this.queue[0] === 'number') {
      const count = this.queue.shift() as number;
      this.position += count;
      this.skipped += count;
      this.skippedSinceWrite += count;
    }
    const pieces: Uint8Array[] = [];
    let filled = 0;
    for (let piece = this.queue[0]; piece instanceof Uint8Array && filled < max; piece = this.queue[0]) {
      const part = piece.subarray(0, max - filled);
      pieces.push(part);
      filled += part.length;
      this.drop(part.length);
    }
    return pieces.length === 1 ? pieces[0]! : joined(pieces);
  }

  /** Removes `count` input bytes off the front of the queue, whether they are here or were left out upstream. */
  private drop(count: number): void {
    this.position += count;
    while (count > 0) {
      const entry = this.queue[0]!;
      const size = typeof entry === 'number' ? entry : entry.length;
      if (size <= count) {
        this.queue.shift();
        count -= size;
        if (typeof entry !== 'number') this.queued -= size;
      } else {
        this.queue[0] = typeof entry === 'number' ? entry - count : entry.subarray(count);
        if (typeof entry !== 'number') this.queued -= count;
        count = 0;
      }
    }
  }
}

function joined(pieces: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    result.set(piece, at);
    at += piece.length;
  }
  return result;
}
