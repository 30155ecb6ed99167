import { describe, expect, it, vi } from 'vitest';
import { OutputFlow, PauseReasons } from '../../../../electron/node/runs/output-flow';

const limits = { highWaterBytes: 1000, lowWaterBytes: 200, viewLeaseMs: 10_000 };

/** A stream that records what flow control asked of it; the clock is the test's. */
function setup() {
  const calls: string[] = [];
  let now = 0;
  const stream = { pause: () => calls.push('pause'), resume: () => calls.push('resume') };
  const flow = new OutputFlow(limits, () => now);
  flow.attach(stream, 0);
  return { flow, calls, advance: (ms: number) => (now += ms) };
}

describe('OutputFlow', () => {
  it('never pauses a run nobody is viewing', () => {
    const { flow, calls } = setup();
    flow.sent(50_000);
    expect(calls).toEqual([]);
    expect(flow.isPaused).toBe(false);
  });

  it('pauses when the view falls more than the high-water mark behind, and resumes only under the low-water mark', () => {
    const { flow, calls } = setup();
    expect(flow.acknowledge('view-0001', 0)).toBe(false);
    flow.sent(1000);
    expect(calls).toEqual([]);
    flow.sent(1001);
    expect(calls).toEqual(['pause']);
    flow.sent(1500);
    expect(flow.acknowledge('view-0001', 1000)).toBe(true);
    expect(calls).toEqual(['pause']);
    expect(flow.acknowledge('view-0001', 1300)).toBe(false);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('is not held back by a view that reads what it was told of from the copy, only by one that stops answering', () => {
    const { flow, calls } = setup();
    flow.acknowledge('reading-view', 0);
    flow.sent(900);
    expect(flow.acknowledge('reading-view', 0, 900)).toBe(false);
    flow.sent(1800);
    // Its terminal is far behind, so it reads from the copy (behindBytes), but it holds nothing back.
    expect(flow.acknowledge('reading-view', 100, 1800)).toBe(false);
    expect(flow.behindBytes).toBe(1700);
    // Told of less later (or only its terminal's progress): what it was told before still counts.
    expect(flow.acknowledge('reading-view', 200)).toBe(false);
    expect(calls).toEqual([]);
    // It stops answering while the log grows on: the stream waits for it.
    flow.sent(2801);
    expect(calls).toEqual(['pause']);
  });

  it('waits for the slowest view, and an acknowledgement never moves a view backwards', () => {
    const { flow, calls } = setup();
    flow.acknowledge('fast-view', 0);
    flow.acknowledge('slow-view', 0);
    flow.sent(3000);
    flow.acknowledge('fast-view', 3000);
    expect(flow.isPaused).toBe(true);
    flow.acknowledge('slow-view', 2900);
    flow.acknowledge('slow-view', 100);
    expect(flow.isPaused).toBe(false);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('counts a view that announced itself before the stream was attached, and what the core already holds as sent', () => {
    const calls: string[] = [];
    const flow = new OutputFlow(limits, () => 0);
    expect(flow.acknowledge('early-view', 0)).toBe(false);
    flow.attach({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 5000);
    expect(calls).toEqual(['pause']);
    flow.dispose();
  });

  it('lets a view that stopped acknowledging for its lease go, so a closed window holds nothing back', () => {
    const { flow, calls, advance } = setup();
    flow.acknowledge('closed-view', 0);
    flow.sent(5000);
    expect(flow.isPaused).toBe(true);
    advance(10_000);
    flow.acknowledge('new-view', 5000);
    expect(calls).toEqual(['pause', 'resume']);
    flow.dispose();
  });

  it('resumes by itself when the lease of a silent view ends while paused (no output comes to look again)', () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const flow = new OutputFlow(limits);
      flow.attach({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 0);
      flow.acknowledge('silent-view', 0);
      flow.sent(5000);
      vi.advanceTimersByTime(9_999);
      expect(calls).toEqual(['pause']);
      vi.advanceTimersByTime(1);
      expect(calls).toEqual(['pause', 'resume']);
      flow.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says how far the slowest view is behind what was sent, nothing without views', () => {
    const { flow } = setup();
    flow.sent(5000);
    expect(flow.behindBytes).toBe(0);
    flow.acknowledge('view-aaaa', 4000);
    flow.acknowledge('view-bbbb', 1500);
    expect(flow.behindBytes).toBe(3500);
  });

  it('pauses a stream while any of its reasons holds, and resumes it once none does', () => {
    const calls: string[] = [];
    const reasons = new PauseReasons({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    const views = reasons.for('views');
    views.pause();
    reasons.hold('writes', true);
    views.resume();
    expect(calls).toEqual(['pause']);
    reasons.hold('writes', false);
    reasons.hold('writes', false);
    expect(calls).toEqual(['pause', 'resume']);
  });
});
