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
  it('starts no more than the rate allows, second after second', async () => {
    const pacer = new ConnectPacer(500);
    const attempts = startMany(pacer, 5000);
    await vi.advanceTimersByTimeAsync(0);
    // One tick's worth may go at once (10 ms at 500/s), never a burst of the whole queue.
    expect(attempts.started()).toBe(5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts.started()).toBeGreaterThanOrEqual(500);
    expect(attempts.started()).toBeLessThanOrEqual(505);
    await vi.advanceTimersByTimeAsync(2000);
    expect(attempts.started()).toBeGreaterThanOrEqual(1500);
    expect(attempts.started()).toBeLessThanOrEqual(1505);
    pacer.releaseAll();
  });

  it('keeps a slow rate slow: one attempt at a time', async () => {
    const pacer = new ConnectPacer(2);
    const attempts = startMany(pacer, 10);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts.started()).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(attempts.started()).toBe(5);
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
