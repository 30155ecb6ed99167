/** Reads the log the server keeps of a run, from a byte offset (runs.log). */
export type ReadRunLog = (from: number) => Promise<{ data: Uint8Array; logBytes: number }>;

/** How long to wait before asking for a missing stretch again: the server appends to its copy just after sending it. */
const gapRetryMs = 200;

/**
 * Puts a run's log in order for a terminal: first the stored log from byte 0 (in chunks), then live output, each
 * byte exactly once. Live chunks carry their byte offset; what was already shown is cut off, and a gap (output sent
 * before this view listened, or lost with a dropped connection) is filled from the stored log before going on.
 */
export class RunLogFeed {
  private next = 0;
  private readonly pending = new Map<number, Uint8Array>();
  private replaying = false;
  private reading = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly readLog: ReadRunLog,
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Bytes handed on so far: the next byte offset expected. */
  get shownBytes(): number {
    return this.next;
  }

  /** Replays the stored log from the start, then lets live output through. */
  async replay(): Promise<void> {
    this.replaying = true;
    try {
      await this.readFrom(Number.POSITIVE_INFINITY);
    } catch (error) {
      this.onError(error);
    } finally {
      this.replaying = false;
    }
    this.drain();
  }

  /** A live chunk of output at its byte offset in the log. */
  receive(offset: number, bytes: Uint8Array): void {
    if (this.stopped || offset + bytes.length <= this.next) return;
    const held = this.pending.get(offset);
    if (!held || held.length < bytes.length) this.pending.set(offset, bytes);
    if (!this.replaying) this.drain();
  }

  /** The run says its log is `logBytes` long (e.g. it finished): fetch whatever this view has not shown. */
  catchUp(logBytes: number): void {
    if (logBytes > this.next && !this.replaying) void this.fillGap(logBytes);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.pending.clear();
  }

  /** Whether live output held here takes the log on from where this view is. */
  private liveContinues(): boolean {
    for (const [offset, bytes] of this.pending) if (offset <= this.next && offset + bytes.length > this.next) return true;
    return false;
  }

  private accept(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.length;
    if (this.stopped || end <= this.next || offset > this.next) return;
    this.emit(bytes.subarray(this.next - offset));
    this.next = end;
  }

  /** Shows every held chunk that continues the log; asks the stored log for a gap before later chunks. */
  private drain(fetchGap = true): void {
    for (;;) {
      let progressed = false;
      for (const [offset, bytes] of [...this.pending].sort(([a], [b]) => a - b)) {
        if (offset + bytes.length <= this.next) {
          this.pending.delete(offset);
        } else if (offset <= this.next) {
          this.pending.delete(offset);
          this.accept(offset, bytes);
          progressed = true;
        }
      }
      if (!progressed) break;
    }
    const waiting = [...this.pending.keys()];
    if (fetchGap && waiting.length > 0) void this.fillGap(Math.min(...waiting));
  }

  private async fillGap(until: number): Promise<void> {
    if (this.reading || this.stopped) return;
    this.reading = true;
    const before = this.next;
    try {
      await this.readFrom(until);
    } catch (error) {
      this.onError(error);
    } finally {
      this.reading = false;
    }
    if (this.stopped) return;
    this.drain(false);
    const waiting = [...this.pending.keys()];
    const target = Math.max(until === Number.POSITIVE_INFINITY ? 0 : until, ...waiting);
    if (this.next >= target) return;
    if (this.next > before) {
      void this.fillGap(waiting.length > 0 ? Math.min(...waiting) : until);
    } else {
      // Not stored yet: ask again shortly rather than spinning.
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.fillGap(waiting.length > 0 ? Math.min(...waiting) : until), gapRetryMs);
    }
  }

  /**
   * Reads the stored log from where this view is until `until` (or its end), chunk by chunk; stops where live output
   * already held goes on (a view opened on a fast stream would otherwise fetch every byte twice).
   */
  private async readFrom(until: number): Promise<void> {
    while (!this.stopped && this.next < until && !this.liveContinues()) {
      const from = this.next;
      const { data } = await this.readLog(from);
      if (data.length === 0) return;
      this.accept(from, data);
    }
  }
}
