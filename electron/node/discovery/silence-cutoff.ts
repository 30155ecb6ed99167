/** How often waiting connects are checked against the cutoff: it shrinks as soon as the first address answers. */
const recheckMs = 50;
/** The loop clock's tick; a gap of more than `pauseMs` between ticks means the event loop was paused. */
const tickMs = 10;
const pauseMs = 30;

/**
 * When the event loop was last seen running on time. An answer is only seen when the loop gets to it: after a
 * pause (a garbage collection of thousands of sockets, a busy machine) its measured time would include the pause,
 * and one such answer would stretch the cutoff for the rest of the sweep. Counting up to the last on-time tick
 * instead leaves the pause out, at the cost of at most one tick.
 */
class LoopClock {
  private onTimeAt = performance.now();
  private tickedAt = this.onTimeAt;
  private lastTickLate = false;
  private readonly timer = setInterval(() => this.tick(), tickMs).unref();

  /** The time from `startedAt` to an answer seen now, the loop's own pauses left out. */
  elapsedSince(startedAt: number): number {
    const now = performance.now();
    const paused = this.lastTickLate || now - this.tickedAt > pauseMs;
    const seenAt = paused ? this.onTimeAt : now;
    return Math.max(0, seenAt - startedAt);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    // A late tick keeps the time before the pause: answers handled until the next tick may have come at its start.
    this.lastTickLate = now - this.tickedAt > pauseMs;
    if (!this.lastTickLate) this.onTimeAt = now;
    this.tickedAt = now;
  }
}

/**
 * Learns how fast this LAN answers, so silence can be called early, as nmap does with its round-trip estimates:
 * before any answer the full timeout applies, after it a multiple of the slowest answer seen. One timer watches
 * every waiting connect; they start in order, so the oldest is always first. `K` is what identifies a connect.
 */
export class SilenceCutoff<K> {
  private slowestAnswerMs: number | undefined;
  private readonly waiting = new Map<K, number>();
  private readonly clock = new LoopClock();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectTimeoutMs: number,
    private readonly minSilenceMs: number,
    private readonly onSilent: (key: K, cutoffMs: number) => void,
  ) {}

  /** The connect started at `startedAt` was answered (accepted or refused) now. */
  recordAnswer(startedAt: number): void {
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs ?? 0, this.clock.elapsedSince(startedAt));
  }

  get cutoffMs(): number {
    if (this.slowestAnswerMs === undefined) return this.connectTimeoutMs;
    return Math.min(this.connectTimeoutMs, Math.max(this.minSilenceMs, 8 * this.slowestAnswerMs));
  }

  /** Calls `onSilent` once the connect `key`, started at `startedAt`, has waited past the cutoff. */
  watch(key: K, startedAt: number): void {
    this.waiting.set(key, startedAt);
    this.timer ??= this.checkIn(Math.min(this.cutoffMs, recheckMs));
  }

  unwatch(key: K): void {
    this.waiting.delete(key);
  }

  /** Stops the timers: the sweep is over. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
    this.clock.stop();
  }

  /** The check runs after the loop's next poll for I/O: answers that came during a pause are seen first. */
  private checkIn(delayMs: number): NodeJS.Timeout {
    return setTimeout(() => setImmediate(() => this.check()), delayMs);
  }

  private check(): void {
    this.timer = undefined;
    const now = performance.now();
    const cutoff = this.cutoffMs;
    for (const [key, startedAt] of this.waiting) {
      if (now - startedAt < cutoff) break;
      this.waiting.delete(key);
      this.onSilent(key, cutoff);
    }
    const oldest: number | undefined = this.waiting.values().next().value;
    if (oldest !== undefined) this.timer = this.checkIn(Math.min(cutoff - (now - oldest), recheckMs));
  }
}
