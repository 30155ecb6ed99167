import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepTarget } from '../../../../electron/node/discovery/parse-targets';
import { eachTarget, planTargets } from '../../../../electron/node/discovery/parse-targets';
import { sweep } from '../../../../electron/node/discovery/sweep';

// A silent range without a lab: every 127.x address reaches one listener that never accepts. Once its queue of
// one is full, Linux drops the SYNs it gets, as a silent host's network does.
let listener: ChildProcess;
let port: number;

beforeAll(async () => {
  listener = spawn('python3', [
    '-c',
    'import socket,sys,time\ns=socket.socket()\ns.bind(("0.0.0.0",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)',
  ]);
  const [line] = (await once(listener.stdout!, 'data')) as [Buffer];
  port = Number(line.toString().trim());
});
afterAll(() => listener.kill());

describe('sweep of a large silent range', () => {
  it('keeps at most `concurrency` connections open and pulls targets no further ahead than that', async () => {
    const concurrency = 500;
    const plan = planTargets('127.64.0.0/18');
    let pulled = 0;
    function* counted(): Generator<SweepTarget> {
      for (const target of eachTarget(plan)) {
        pulled += 1;
        yield target;
      }
    }
    let peakInFlight = 0;
    let peakAhead = 0;
    const classes = new Map<string, number>();
    const outcome = await sweep(counted(), {
      ports: [port],
      concurrency,
      connectsPerSecond: 100_000,
      connectTimeoutMs: 100,
      bannerTimeoutMs: 100,
      onResult: (result, { scanned, inFlight }) => {
        peakInFlight = Math.max(peakInFlight, inFlight);
        peakAhead = Math.max(peakAhead, pulled - scanned);
        classes.set(result.class, (classes.get(result.class) ?? 0) + 1);
      },
    });
    expect(outcome).toEqual({ scanned: plan.total, cancelled: false });
    expect(classes.get('silent')).toBeGreaterThan(plan.total * 0.9);
    expect(peakInFlight).toBeLessThanOrEqual(concurrency);
    expect(peakAhead).toBeLessThanOrEqual(concurrency);
    // The pool was used, not one connection at a time.
    expect(peakAhead).toBeGreaterThan(concurrency / 2);
  });

  it('stops at once when cancelled and reports nothing after', async () => {
    const controller = new AbortController();
    let reported = 0;
    const outcome = await sweep(eachTarget(planTargets('127.65.0.0/16')), {
      ports: [port],
      concurrency: 200,
      connectsPerSecond: 100_000,
      connectTimeoutMs: 100,
      signal: controller.signal,
      onResult: () => {
        reported += 1;
        if (reported === 300) controller.abort();
      },
    });
    expect(outcome).toEqual({ scanned: 300, cancelled: true });
    expect(reported).toBe(300);
  });
});
