import type { PushProgress } from '../../common/deploy-api';
import { etaSeconds, RecentRate } from '../progress-rate';

/** The push's progress as it reports it: counts, and the rate and ETA of the link as it is now. */
export class ProgressMeter {
  private readonly recent = new RecentRate();
  bytesDone = 0;
  filesDone = 0;
  lastAdvance = Date.now();

  constructor(
    private readonly totals: { bytes: number; files: number },
    private readonly reconnects: () => number,
    private readonly onProgress?: (progress: PushProgress) => void,
  ) {}

  advance(bytes: number): void {
    this.bytesDone = Math.min(this.totals.bytes, this.bytesDone + bytes);
    this.lastAdvance = Date.now();
    this.emit('sending');
  }

  emit(phase: PushProgress['phase'], force = false): void {
    const now = Date.now();
    if (!this.recent.due(now, force)) return;
    const rate = this.recent.rate(now, this.bytesDone);
    this.onProgress?.({
      phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.totals.bytes,
      filesDone: this.filesDone,
      filesTotal: this.totals.files,
      rateBytesPerSecond: Math.round(rate),
      etaSeconds: phase === 'done' ? 0 : etaSeconds(this.totals.bytes - this.bytesDone, rate),
      reconnects: this.reconnects(),
    });
  }
}
