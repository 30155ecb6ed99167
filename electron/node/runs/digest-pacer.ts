import type { RunDigester } from './run-digester';

export interface DigestPacerLimits {
  /** Held output goes on once this much is held… */
  holdBytes: number;
  /** …or this long after the first of it was held. */
  holdMs: number;
}

export const defaultDigestPacerLimits: DigestPacerLimits = { holdBytes: 64 * 1024 * 1024, holdMs: 1000 };

/**
 * Feeds a run's digester, holding output back while the views are far behind (a log racing in, 50 MiB in a third of
 * a second). The digest worker runs beside the SSH stream and the views' catch-up, and on two cores its parse took
 * their CPU, for digest updates that flash by unseen. What is held goes on, in order, once the views keep up again,
 * after `holdMs` or `holdBytes`, and when the follow ends (flush).
 */
export class DigestPacer {
  private held: { data: Buffer; handOver: boolean }[] = [];
  private heldBytes = 0;
  private heldSince = 0;

  constructor(
    private readonly digester: Pick<RunDigester, 'push'>,
    private readonly limits: DigestPacerLimits = defaultDigestPacerLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** `racing`: the views are far behind what was sent (they read the log themselves). */
  push(data: Buffer, handOver: boolean, racing: boolean): void {
    if (!racing && this.held.length === 0) return this.digester.push(data, handOver);
    if (this.held.length === 0) this.heldSince = this.now();
    this.held.push({ data, handOver });
    this.heldBytes += data.length;
    if (!racing || this.heldBytes >= this.limits.holdBytes || this.now() - this.heldSince >= this.limits.holdMs)
      this.flush();
  }

  flush(): void {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const { data, handOver } of held) this.digester.push(data, handOver);
  }
}
