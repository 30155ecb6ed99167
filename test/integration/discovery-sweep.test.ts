import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepResult } from '../../electron/common/discovery';
import { parseTargets } from '../../electron/node/discovery/parse-targets';
import { sweep, type SweepOptions } from '../../electron/node/discovery/sweep';
import { cutLink, killSshd, powerOff, powerOn, restoreLink, startSshd } from '../lab/lab';
import { hostAddress, labCidr, laptopAddress, nonSshAddress, resetAddresses } from '../lab/lab-network';
import { labHostCount } from '../lab/global-setup';
import { requireLab } from '../support/lab';

beforeAll(requireLab);

/** The sweep keeps no results: collect what it reports. */
async function sweepAll(input: string, options: SweepOptions): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  await sweep(parseTargets(input), {
    ...options,
    onResult: (result, counts) => {
      results.push(result);
      options.onResult?.(result, counts);
    },
  });
  return results;
}

const byAddress = (results: SweepResult[]) => new Map(results.map((result) => [result.address, result]));

/** The class a port-22 sweep finds lab host `index` in while `breakIt` holds; `mend` undoes it either way. */
async function classWhile(
  index: number,
  [breakIt, mend]: [(host: string) => Promise<unknown>, (host: string) => Promise<unknown>],
  connectTimeoutMs?: number,
): Promise<SweepResult['class'] | undefined> {
  await breakIt(`lab${index}`);
  try {
    const [result] = await sweepAll(hostAddress(index), {
      ports: [22],
      ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
    });
    return result?.class;
  } finally {
    await mend(`lab${index}`);
  }
}

describe('SSH sweep on the lab subnet', () => {
  it('classifies every address of the /24: SSH hosts, the non-SSH service, resets, and the silent sink', async () => {
    const results = await sweepAll(labCidr, { ports: [22] });
    expect(results).toHaveLength(254);
    const found = byAddress(results);
    for (let index = 1; index <= labHostCount; index += 1) {
      expect(found.get(hostAddress(index))).toMatchObject({
        class: 'ssh',
        port: 22,
        banner: expect.stringMatching(/^SSH-2\.0-OpenSSH_/),
      });
    }
    expect(found.get(nonSshAddress)).toMatchObject({ class: 'open-not-ssh', banner: '220 lab-mail ESMTP Postfix' });
    for (const address of [...resetAddresses, laptopAddress]) expect(found.get(address)?.class).toBe('closed');
    const silent = results.filter((result) => result.class === 'silent');
    expect(silent).toHaveLength(254 - labHostCount - 1 - resetAddresses.length - 1);
  });

  it('reports the best port when several are swept, and a cut link or a dead sshd as it is', async () => {
    const [first] = await sweepAll(hostAddress(2), { ports: [2222, 22] });
    expect(first).toMatchObject({ class: 'ssh', port: 22 });

    expect(await classWhile(3, [cutLink, restoreLink], 600)).toBe('silent');
    expect(await classWhile(4, [killSshd, startSshd])).toBe('closed');
  });

  it('sees a powered-off host go silent and come back as SSH when powered on', async () => {
    expect(await classWhile(4, [powerOff, powerOn], 1000)).toBe('silent');
    const [on] = await sweepAll(hostAddress(4), { ports: [22] });
    expect(on?.class).toBe('ssh');
  });

  it('stops when cancelled and keeps what it had', async () => {
    const controller = new AbortController();
    const results = await sweepAll(labCidr, {
      ports: [22],
      concurrency: 8,
      signal: controller.signal,
      onResult: (_result, { scanned }) => {
        if (scanned === 20) controller.abort();
      },
    });
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.length).toBeLessThan(254);
  });
});
