import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectPacer } from '../../../../electron/node/discovery/connect-pacer';
import { SweepRateSchema } from '../../../../electron/common/discovery';

// The fake clock moves only when told: counts below depend on the pacer's arithmetic, never on the machine's speed.
beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'performance'] }));
afterEach(() => vi.useRealTimers());

function startMany(pacer: ConnectPacer, count: number): { started: () => number } {
  let started = 0;
  for (let index = 0; index < count; index += 1) void pacer.next().then(() => (started += 1));
  return { started: () => started };
}

describe('ConnectPacer', () => {
  // Each step: [ms the clock moves on, fewest, most attempts started by then].
  it.each<[string, number, number, [number, number, number][]]>([
    // One tick's worth may go at once (10 ms at 500/s), never a burst of the whole queue.
    [
      'starts no more than the rate allows, second after second',
      500,
      5000,
      [
        [0, 5, 5],
        [1000, 500, 505],
        [2000, 1500, 1505],
      ],
    ],
    [
      'keeps a slow rate slow: one attempt at a time',
      2,
      10,
      [
        [0, 1, 1],
        [2000, 5, 5],
      ],
    ],
  ])('%s', async (_case, rate, queued, steps) => {
    const pacer = new ConnectPacer(rate);
    const attempts = startMany(pacer, queued);
    for (const [ms, fewest, most] of steps) {
      await vi.advanceTimersByTimeAsync(ms);
      expect(attempts.started()).toBeGreaterThanOrEqual(fewest);
      expect(attempts.started()).toBeLessThanOrEqual(most);
    }
    pacer.releaseAll();
  });

  it('does not save up a burst while nobody waits', async () => {
    const pacer = new ConnectPacer(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    const attempts = startMany(pacer, 1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts.started()).toBe(10);
    pacer.releaseAll();
  });

  it('lets every waiting attempt go when the sweep is cancelled', async () => {
    const pacer = new ConnectPacer(1);
    const attempts = startMany(pacer, 50);
    pacer.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts.started()).toBe(50);
  });
});

describe('the rate the operator sets', () => {
  it.each([0, -5, 1.5, 100_001, Number.NaN])('refuses %s naming the range, the default and the fix', (rate) => {
    const parsed = SweepRateSchema.safeParse(rate);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'Connect attempts per second run from 1 to 100000 (default 2000); lower it on a fragile network.',
    );
  });
});
