import { describe, expect, it } from 'vitest';
import { eachBounded } from './lab';
import {
  hostAddress,
  laptopAddress,
  maxHosts,
  nonSshAddress,
  resetAddresses,
  sinkAddresses,
  sweepRangeGateway,
} from './lab-network';

const lastOctet = (address: string) => Number(address.split('.')[3]);

describe('lab addresses', () => {
  it('gives the largest lab its hosts, and the sink every other address of the /24, the special ones included', () => {
    const hosts = Array.from({ length: maxHosts }, (_, index) => hostAddress(index + 1));
    const sink = sinkAddresses(maxHosts);
    expect(new Set(hosts).size).toBe(maxHosts);
    expect(hosts.every((address) => lastOctet(address) > 1 && lastOctet(address) < 250)).toBe(true);
    expect(hosts.filter((address) => sink.includes(address))).toEqual([]);
    expect(sink).not.toContain(laptopAddress);
    for (const special of [nonSshAddress, ...resetAddresses, sweepRangeGateway]) expect(sink).toContain(special);
    expect([laptopAddress, ...hosts, ...sink].map(lastOctet).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 254 }, (_, index) => index + 1),
    );
  });
});

describe('eachBounded', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await eachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5 * (item % 3)));
      seen.push(item);
      running -= 1;
    });
    expect(most).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('throws the first failure once the other items are done', async () => {
    const seen: number[] = [];
    const outcome = eachBounded([1, 2, 3, 4], 2, async (item) => {
      if (item === 2) throw new Error('host 2 did not boot');
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item);
    });
    await expect(outcome).rejects.toThrow('host 2 did not boot');
    expect(seen.sort()).toEqual([1, 3, 4]);
  });
});
