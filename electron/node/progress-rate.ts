/**
 * How far back the rate looks: long enough to smooth bursts, short enough that the ETA follows the link as it is now.
 */
const windowMs = 5000;
/** Progress reports at most five times a second: more only costs the receiver renders. */
const reportEveryMs = 200;

/** The rate of a running byte count over the last few seconds, and the pace of its progress reports. */
export class RecentRate {
  private samples: { at: number; bytes: number }[] = [];
  private lastReport = 0;

  /** Whether a report is due now (always when forced); a due report is counted as made. */
  due(now: number, force: boolean): boolean {
    if (!force && now - this.lastReport < reportEveryMs) return false;
    this.lastReport = now;
    return true;
  }

  /** Records the running total `bytes` at `now` and answers bytes per second over the window. */
  rate(now: number, bytes: number): number {
    this.samples = [...this.samples, { at: now, bytes }].filter((sample) => now - sample.at <= windowMs);
    const oldest = this.samples[0]!;
    return now > oldest.at ? ((bytes - oldest.bytes) * 1000) / (now - oldest.at) : 0;
  }
}

/** Whole seconds left at `rate`, or null while there is no rate to go by. */
export const etaSeconds = (bytesLeft: number, rate: number): number | null =>
  rate > 0 ? Math.ceil(bytesLeft / rate) : null;
