/** Waiting attempts are released on a tick, not one timer each: thousands may wait at once. */
const tickMs = 10;

/**
 * Spreads connect attempts evenly at `perSecond`: a token bucket that saves at most one tick's worth while nobody
 * waits, so a sweep that waited on silence does not burst when it resumes; a late tick still releases all it owes.
 */
export class ConnectPacer {
  private readonly burst: number;
  private tokens: number;
  private refilledAt = performance.now();
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly perSecond: number) {
    this.burst = Math.max(1, (perSecond * tickMs) / 1000);
    this.tokens = this.burst;
  }

  /** Resolves when this attempt may start. */
  next(): Promise<void> {
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.timer ??= setInterval(() => this.release(), tickMs);
    });
  }

  /** Lets every waiting attempt go at once: the sweep is cancelled, and each will see that and start nothing. */
  releaseAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting.splice(0).forEach((resolve) => resolve());
  }

  private refill(): void {
    const now = performance.now();
    const owed = this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000;
    this.tokens = this.waiting.length > 0 ? owed : Math.min(this.burst, owed);
    this.refilledAt = now;
  }

  private release(): void {
    this.refill();
    const count = Math.min(this.waiting.length, Math.floor(this.tokens));
    this.tokens -= count;
    this.waiting.splice(0, count).forEach((resolve) => resolve());
    if (this.waiting.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
