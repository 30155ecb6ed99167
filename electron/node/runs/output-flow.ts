export interface OutputFlowLimits {
  /** The stream pauses when the slowest view has shown this many bytes fewer than were sent. */
  highWaterBytes: number;
  /** …and goes on once it is this close again. */
  lowWaterBytes: number;
  /** A view that has not acknowledged for this long is gone (closed, reloaded, asleep) and holds nothing back. */
  viewLeaseMs: number;
}

// Wide: a view far behind gets no data with the output events; it reads the log when its terminal has room, leaving
// out what would scroll out unseen (runs.log's jump scroll), and acknowledges the skipped bytes with the rest. Such a
// view also acknowledges the length it was told of: it reads that from the core's copy, so only a view that stopped
// answering (a hung page) holds the stream back.
export const defaultOutputFlowLimits: OutputFlowLimits = {
  highWaterBytes: 32 * 1024 * 1024,
  lowWaterBytes: 16 * 1024 * 1024,
  viewLeaseMs: 10_000,
};

export interface PausableStream {
  pause(): void;
  resume(): void;
}

/** Pauses a stream while any of its reasons holds (views far behind, received bytes not yet written…). */
export class PauseReasons {
  private readonly held = new Set<string>();

  constructor(private readonly stream: PausableStream) {}

  hold(reason: string, on: boolean): void {
    const before = this.held.size;
    if (on) this.held.add(reason);
    else this.held.delete(reason);
    if (before === 0 && this.held.size > 0) this.stream.pause();
    else if (before > 0 && this.held.size === 0) this.stream.resume();
  }

  /** One reason as a stream of its own, for a controller that pauses and resumes (OutputFlow). */
  for(reason: string): PausableStream {
    return { pause: () => this.hold(reason, true), resume: () => this.hold(reason, false) };
  }
}

/**
 * Flow control between one run's log stream and the views showing it: each view acknowledges the log offset its
 * terminal has written; while the slowest live view is too far behind what was sent, the stream is paused (the SSH
 * channel stops reading, so the deploy node's reader waits). Pausing only delays bytes, never drops them. Views may
 * announce themselves before the stream is attached (a view opens as the run is being attached).
 */
export class OutputFlow {
  private sentBytes = 0;
  private paused = false;
  private stream: PausableStream | undefined;
  /**
   * Per view: how far its terminal has written, how far it holds nothing back (shown, or told and read from the copy).
   */
  private readonly views = new Map<string, { shownBytes: number; releasedBytes: number; at: number }>();
  private leaseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limits: OutputFlowLimits = defaultOutputFlowLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The run's stream, from log offset `fromBytes` (what the core already holds counts as sent). */
  attach(stream: PausableStream, fromBytes: number): void {
    this.stream = stream;
    this.paused = false;
    this.sent(fromBytes);
  }

  /** Output up to log offset `endOffset` went to the views. */
  sent(endOffset: number): void {
    this.sentBytes = endOffset;
    this.update();
  }

  /**
   * A view's terminal has written the log up to `shownBytes`, and it reads up to `toldBytes` from the core's copy
   * itself; answers whether the stream now waits for views.
   */
  acknowledge(viewId: string, shownBytes: number, toldBytes = 0): boolean {
    const view = this.views.get(viewId);
    const shown = Math.max(shownBytes, view?.shownBytes ?? 0);
    this.views.set(viewId, {
      shownBytes: shown,
      releasedBytes: Math.max(shown, toldBytes, view?.releasedBytes ?? 0),
      at: this.now(),
    });
    this.update();
    return this.paused;
  }

  /** How far the slowest live view's terminal is behind what was sent (0 without views): beyond a little, it reads. */
  get behindBytes(): number {
    return this.slowestLag((view) => view.shownBytes);
  }

  /** How far the slowest live view holds the stream back: its terminal's lag, less what it reads from the copy. */
  private get holdingBytes(): number {
    return this.slowestLag((view) => view.releasedBytes);
  }

  /** What was sent less the least of `reached` over the live views (0 without views). */
  private slowestLag(reached: (view: { shownBytes: number; releasedBytes: number }) => number): number {
    return this.views.size === 0 ? 0 : this.sentBytes - Math.min(...[...this.views.values()].map(reached));
  }

  get isPaused(): boolean {
    return this.paused;
  }

  dispose(): void {
    clearTimeout(this.leaseTimer);
    this.views.clear();
  }

  private update(): void {
    const now = this.now();
    for (const [viewId, view] of this.views) if (now - view.at >= this.limits.viewLeaseMs) this.views.delete(viewId);
    const behind = this.holdingBytes;
    if (!this.stream) return;
    if (!this.paused && behind > this.limits.highWaterBytes) {
      this.paused = true;
      this.stream.pause();
    } else if (this.paused && behind <= this.limits.lowWaterBytes) {
      this.paused = false;
      this.stream.resume();
    }
    clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    // While paused, no output comes to look again: a view that never acknowledges again must not hold it forever.
    if (this.paused) {
      const oldest = Math.min(...[...this.views.values()].map((view) => view.at));
      this.leaseTimer = setTimeout(() => this.update(), Math.max(0, oldest + this.limits.viewLeaseMs - now));
      this.leaseTimer.unref?.();
    }
  }
}
