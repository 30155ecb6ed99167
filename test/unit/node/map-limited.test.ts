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

  it('answers an empty list at once', async () => {
    expect(await mapLimited([], 4, () => Promise.reject(new Error('never called')))).toEqual([]);
  });
});
