/** How often waiting connects are checked against the cutoff: it shrinks as soon as the first address answers. */
const recheckMs = 50;

/**
 * Learns how fast this LAN answers, so silence can be called early, as nmap does with its round-trip estimates:
 * before any answer the full timeout applies, after it a multiple of the slowest answer seen. One timer watches
 * every waiting connect; they start in order, so the oldest is always first.
 */
export class SilenceCutoff {
  private slowestAnswerMs: number | undefined;
  private readonly waiting = new Map<number, { startedAt: number; onSilent: (cutoffMs: number) => void }>();
  private nextId = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectTimeoutMs: number,
    private readonly minSilenceMs: number,
  ) {}

  recordAnswer(elapsedMs: number): void {
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs ?? 0, elapsedMs);
  }

  get cutoffMs(): number {
    if (this.slowestAnswerMs === undefined) return this.connectTimeoutMs;
    return Math.min(this.connectTimeoutMs, Math.max(this.minSilenceMs, 8 * this.slowestAnswerMs));
  }

  /** Calls `onSilent` once the connect started at `startedAt` has waited past the cutoff; returns the unwatch. */
  watch(startedAt: number, onSilent: (cutoffMs: number) => void): () => void {
    const id = this.nextId++;
    this.waiting.set(id, { startedAt, onSilent });
    this.timer ??= setTimeout(() => this.check(), Math.min(this.cutoffMs, recheckMs));
    return () => this.waiting.delete(id);
  }

  /** Stops the timer: the sweep is over. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }

  private check(): void {
    this.timer = undefined;
    const now = performance.now();
    const cutoff = this.cutoffMs;
    for (const [id, entry] of this.waiting) {
      if (now - entry.startedAt < cutoff) break;
      this.waiting.delete(id);
      entry.onSilent(cutoff);
    }
    const oldest = this.waiting.values().next().value;
    if (oldest) this.timer = setTimeout(() => this.check(), Math.min(cutoff - (now - oldest.startedAt), recheckMs));
  }
}
