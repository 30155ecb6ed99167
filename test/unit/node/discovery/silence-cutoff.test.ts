import { afterEach, describe, expect, it, vi } from 'vitest';
import { SilenceCutoff } from '../../../../electron/node/discovery/silence-cutoff';

afterEach(() => vi.useRealTimers());

/** Blocks the event loop, as a long garbage collection does. */
function pauseLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('SilenceCutoff', () => {
  it('learns from an answer that took long while the loop ran on time', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
    const cutoff = new SilenceCutoff<string>(1500, 400, () => {});
    const startedAt = performance.now();
    await vi.advanceTimersByTimeAsync(150);
    cutoff.recordAnswer(startedAt);
    expect(cutoff.cutoffMs).toBe(1200);
    cutoff.stop();
  });

  it('leaves a pause of the event loop out of an answer seen after it', async () => {
    const cutoff = new SilenceCutoff<string>(1500, 400, () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedAt = performance.now();
    pauseLoop(300);
    // Seen in the pause's wake, then again after the loop's first tick: the answer may have come at its start.
    cutoff.recordAnswer(startedAt);
    await new Promise((resolve) => setTimeout(resolve, 0));
    cutoff.recordAnswer(startedAt);
    expect(cutoff.cutoffMs).toBe(400);
    cutoff.stop();
  });

  it('calls each waiting connect silent once it waited past the cutoff, the oldest first', async () => {
    vi.useFakeTimers({
      toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'setImmediate', 'performance'],
    });
    const silent: string[] = [];
    const cutoff = new SilenceCutoff<string>(1500, 400, (key, cutoffMs) => silent.push(`${key} ${cutoffMs}`));
    cutoff.watch('a', performance.now());
    await vi.advanceTimersByTimeAsync(100);
    cutoff.watch('b', performance.now());
    cutoff.watch('c', performance.now());
    cutoff.unwatch('c');
    await vi.advanceTimersByTimeAsync(1450);
    expect(silent).toEqual(['a 1500']);
    await vi.advanceTimersByTimeAsync(100);
    expect(silent).toEqual(['a 1500', 'b 1500']);
    cutoff.stop();
  });
});
