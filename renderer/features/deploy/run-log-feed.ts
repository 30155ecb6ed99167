/**
 * Reads the log the server keeps of a run, from a byte offset (runs.log); with `skip`, `data` is the log up to
 * `skip.at`, then from `skip.to` on (jump scroll: the lines between scroll out of the terminal unseen).
 */
export type ReadRunLog = (
  from: number,
) => Promise<{ data: Uint8Array; logBytes: number; skip?: { at: number; to: number } }>;

/** What the feed needs of the terminal it feeds, beyond taking bytes, to let the stored log's reader skip. */
export interface FeedTerminal {
  /** Bytes of the log the stored log's reader left out (jump scroll), in order with the bytes emitted. */
  skip(count: number): void;
  /**
   * Resolves when the terminal has written what it was given: the stored log is read no sooner, so a view far
   * behind a fast log reads once it can write, and then skips all that scrolled out meanwhile.
   */
  room(): Promise<void>;
}

/**
 * A view far behind hears only that the log grew; it reads once the growth pauses this long (or this long after it
 * was first told, at most), so a log racing in is read, and skipped, once rather than at every step. However far
 * behind, it holds the stream back only if it stops answering: it acknowledges what it was told (OutputAcks.told).
 */
const grewQuietMs = 40;
const grewMaxWaitMs = 400;

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
  /** The longest the log is known to be. */
  private known = 0;
  /** How far the log grew while this view was far behind, not yet read. */
  private grownTo = 0;
  private grewTimer: ReturnType<typeof setTimeout> | undefined;
  private grewSince: number | undefined;

  constructor(
    private readonly readLog: ReadRunLog,
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly terminal: FeedTerminal = { skip: () => undefined, room: () => Promise.resolve() },
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
    if (this.known > this.next) void this.fillGap(this.known);
  }

  /** A live chunk of output at its byte offset in the log. */
  receive(offset: number, bytes: Uint8Array): void {
    if (this.stopped || offset + bytes.length <= this.next) return;
    const held = this.pending.get(offset);
    if (!held || held.length < bytes.length) this.pending.set(offset, bytes);
    if (!this.replaying) this.drain();
  }

  /** The log is at least `logBytes` long (the run finished, or grew while this view was far behind): fetch the rest. */
  catchUp(logBytes: number): void {
    this.known = Math.max(this.known, logBytes);
    if (logBytes > this.next && !this.replaying) void this.fillGap(logBytes);
  }

  /**
   * The log grew to `logBytes` while this view was far behind (output without data): read it once the growth pauses,
   * or now when the run ended (`complete`: nothing more is coming).
   */
  grew(logBytes: number, complete = false): void {
    this.grownTo = Math.max(this.grownTo, logBytes);
    if (complete) {
      clearTimeout(this.grewTimer);
      this.grewSince = undefined;
      this.catchUp(this.grownTo);
      return;
    }
    const now = Date.now();
    this.grewSince ??= now;
    clearTimeout(this.grewTimer);
    this.grewTimer = setTimeout(
      () => {
        this.grewSince = undefined;
        this.catchUp(this.grownTo);
      },
      Math.max(0, Math.min(grewQuietMs, this.grewSince + grewMaxWaitMs - now)),
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.grewTimer);
    clearTimeout(this.retryTimer);
    this.pending.clear();
  }

  /** Whether live output held here takes the log on from where this view is. */
  private liveContinues(): boolean {
    for (const [offset, bytes] of this.pending)
      if (offset <= this.next && offset + bytes.length > this.next) return true;
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
    const target = Math.max(until === Number.POSITIVE_INFINITY ? 0 : until, this.known, ...waiting);
    if (this.next >= target) return;
    const next = waiting.length > 0 ? Math.min(...waiting) : target;
    if (this.next > before) {
      void this.fillGap(next);
    } else {
      // Not stored yet: ask again shortly rather than spinning.
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.fillGap(next), gapRetryMs);
    }
  }

  /**
   * Reads the stored log from where this view is until `until` (or its end), chunk by chunk; stops where live output
   * already held goes on (a view opened on a fast stream would otherwise fetch every byte twice).
   */
  private async readFrom(until: number): Promise<void> {
    while (!this.stopped && this.next < until && !this.liveContinues()) {
      await this.terminal.room();
      if (this.stopped || this.liveContinues()) return;
      const from = this.next;
      const { data, skip } = await this.readLog(from);
      if (data.length === 0 && !skip) return;
      if (!skip) {
        this.accept(from, data);
        continue;
      }
      const head = skip.at - from;
      this.accept(from, data.subarray(0, head));
      if (this.stopped || this.next !== skip.at) return;
      this.terminal.skip(skip.to - skip.at);
      this.next = skip.to;
      this.accept(skip.to, data.subarray(head));
    }
  }
}
