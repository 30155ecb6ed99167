import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../electron/node/map-limited';

describe('mapLimited', () => {
  it('never has more than the limit at work, answers in the items order and reports each as it ends', async () => {
    let atWork = 0;
    let most = 0;
    const reported: number[] = [];
    const results = await mapLimited(
      Array.from({ length: 40 }, (_, index) => index),
      6,
      async (item) => {
        atWork += 1;
        most = Math.max(most, atWork);
        // Later items end sooner, so the order of ending differs from the order of the items.
        await new Promise((resolve) => setTimeout(resolve, (40 - item) % 7));
        atWork -= 1;
        return item * 2;
      },
      (_result, done, total) => reported.push(done / total),
    );
    expect(most).toBe(6);
    expect(results).toEqual(Array.from({ length: 40 }, (_, index) => index * 2));
    expect(reported).toHaveLength(40);
    expect(reported.at(-1)).toBe(1);
  });

  it('throws the first failure and starts no work after it', async () => {
    const started: number[] = [];
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const run = mapLimited(
      Array.from({ length: 10 }, (_, index) => index),
      2,
      async (item) => {
        started.push(item);
        if (item === 2) throw new Error('item 2 failed');
        // Item 1 stays at work until after the failure; item 0 ends at once, so its worker takes 2 next.
        if (item === 1) await gate;
        return item;
      },
    );
    await expect(run).rejects.toThrow('item 2 failed');
    openGate();
    // Every continuation of the gate runs before the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
  });

  it('answers an empty list at once', async () => {
    expect(await mapLimited([], 4, () => Promise.reject(new Error('never called')))).toEqual([]);
  });
});
