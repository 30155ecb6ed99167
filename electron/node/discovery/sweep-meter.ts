import type { SweepProgress, SweepResult } from '../../common/discovery';
import { etaSeconds, RecentRate } from '../progress-rate';

export type SweepCountsNow = Pick<SweepProgress, 'scanned' | 'total' | 'found' | 'ratePerSecond' | 'etaSeconds'>;

/** The rate's samples are taken this often, not per address: a sweep classifies thousands a second. */
const sampleEveryMs = 250;

/** Counts a running sweep for its progress reports: scanned of total, SSH hosts found, the rate and the ETA. */
export class SweepMeter {
  private readonly recent = new RecentRate();
  private sampledAt = 0;
  scanned = 0;
  found = 0;

  constructor(readonly total: number) {}

  record(result: SweepResult): void {
    this.scanned += 1;
    if (result.class === 'ssh') this.found += 1;
    const now = Date.now();
    if (now - this.sampledAt < sampleEveryMs) return;
    this.sampledAt = now;
    this.recent.rate(now, this.scanned);
  }

  now(): SweepCountsNow {
    const rate = this.recent.rate(Date.now(), this.scanned);
    return {
      scanned: this.scanned,
      total: this.total,
      found: this.found,
      ratePerSecond: Math.round(rate),
      etaSeconds: this.scanned >= this.total ? 0 : etaSeconds(this.total - this.scanned, rate),
    };
  }
}

/** "12345/65534 scanned, 2001/s, ETA 27 s, 3 SSH": the CLI's progress line. */
export function describeSweepProgress(counts: SweepCountsNow): string {
  const eta = counts.etaSeconds === null || counts.etaSeconds === undefined ? '' : `, ETA ${counts.etaSeconds} s`;
  return `${counts.scanned}/${counts.total} scanned, ${counts.ratePerSecond ?? 0}/s${eta}, ${counts.found} SSH`;
}
