import { describe, expect, it } from 'vitest';
import { etaSeconds, RecentRate } from '../../../electron/node/progress-rate';

describe('RecentRate', () => {
  it('measures the last five seconds only, so an ETA follows the link as it is now', () => {
    const rate = new RecentRate();
    expect(rate.rate(0, 0)).toBe(0);
    expect(rate.rate(4000, 4_000_000)).toBe(1_000_000);
    // 8 s in: the sample of 0 s has left the window; from 4 s to 8 s the link slowed to 250 kB/s.
    expect(rate.rate(8000, 5_000_000)).toBe(250_000);
    expect(etaSeconds(1_000_001, 250_000)).toBe(5);
    expect(etaSeconds(10, 0)).toBeNull();
  });

  it('lets a report through at most every 200 ms unless it is forced', () => {
    const rate = new RecentRate();
    expect([
      rate.due(1000, false),
      rate.due(1100, false),
      rate.due(1150, true),
      rate.due(1300, false),
      rate.due(1350, false),
    ]).toEqual([true, false, true, false, true]);
  });
});
