export interface TerminalWriterLimits {
  /** The most bytes handed to the terminal in one write. */
  chunkBytes: number;
  /** Writing stops while this many bytes are written but not yet acknowledged by the terminal. */
  highWaterBytes: number;
}

export const defaultWriterLimits: TerminalWriterLimits = { chunkBytes: 100 * 1024, highWaterBytes: 512 * 1024 };

/**
 * Feeds a terminal with flow control: output is batched into writes of at most `chunkBytes`, each acknowledged by
 * the terminal's write callback; while too much is unacknowledged the rest waits here. Nothing is ever dropped.
 */
export class TerminalWriter {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private unacknowledged = 0;
  private disposed = false;

  constructor(
    private readonly write: (data: Uint8Array, written: () => void) => void,
    private readonly limits: TerminalWriterLimits = defaultWriterLimits,
  ) {}

  push(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.pump();
  }

  /** Bytes received but not yet handed to the terminal (the UI is behind by this much). */
  get waitingBytes(): number {
    return this.queued;
  }

  get unacknowledgedBytes(): number {
    return this.unacknowledged;
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.queued = 0;
  }

  private pump(): void {
    while (!this.disposed && this.queued > 0 && this.unacknowledged < this.limits.highWaterBytes) {
      const chunk = this.take(this.limits.chunkBytes);
      this.unacknowledged += chunk.length;
      this.write(chunk, () => {
        this.unacknowledged -= chunk.length;
        this.pump();
      });
    }
  }

  /** Up to `max` bytes off the front of the queue, small pieces joined into one write. */
  private take(max: number): Uint8Array {
    const first = this.queue[0];
    if (first && first.length >= max) {
      this.queue[0] = first.subarray(max);
      if (this.queue[0].length === 0) this.queue.shift();
      this.queued -= max;
      return first.subarray(0, max);
    }
    const size = Math.min(max, this.queued);
    const joined = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const piece = this.queue[0];
      if (!piece) break;
      const part = piece.subarray(0, size - filled);
      joined.set(part, filled);
      filled += part.length;
      if (part.length === piece.length) this.queue.shift();
      else this.queue[0] = piece.subarray(part.length);
    }
    this.queued -= filled;
    return joined;
  }
}
