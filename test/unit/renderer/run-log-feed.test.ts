import { describe, expect, it, vi } from 'vitest';
import { RunLogFeed } from '../../../renderer/features/deploy/run-log-feed';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A stored log the test grows, read in chunks of `chunk` bytes as runs.log does (up to 8 MiB there). */
function storedLog(initial: string, chunk = 4) {
  let log = bytes(initial);
  const reads: number[] = [];
  return {
    reads,
    append: (more: string) => (log = Buffer.concat([log, bytes(more)])),
    read: async (from: number) => {
      reads.push(from);
      return { data: log.subarray(from, from + chunk), logBytes: log.length };
    },
  };
}

/** A feed over `stored` and the chunks it has shown so far. */
function feedOver(stored: ReturnType<typeof storedLog>) {
  const shown: Uint8Array[] = [];
  return { shown, feed: new RunLogFeed(stored.read, (chunk) => shown.push(chunk)) };
}

/** A feed that has replayed a stored log of one line ("one\n", read in one chunk), the log growing after it. */
async function replayedOneLine() {
  const stored = storedLog('one\n', 100);
  const { shown, feed } = feedOver(stored);
  await feed.replay();
  return { stored, shown, feed };
}

describe('RunLogFeed', () => {
  it('replays the stored log in chunks, then shows live output once, cutting what overlaps', async () => {
    const stored = storedLog('PLAY [all] ***\n');
    const { shown, feed } = feedOver(stored);
    // Output that arrives during the replay, partly already in the stored log.
    const replaying = feed.replay();
    feed.receive(11, bytes('***\nTASK'));
    await replaying;
    feed.receive(15, bytes('TASK [x]\n'));
    feed.receive(0, bytes('PLAY'));
    expect(text(shown)).toBe('PLAY [all] ***\nTASK [x]\n');
    expect(feed.shownBytes).toBe(24);
    expect(stored.reads.slice(0, 3)).toEqual([0, 4, 8]);
  });

  it('stops reading the stored log where live output it already holds goes on', async () => {
    const stored = storedLog('0123456789abcdefghij', 4);
    const { shown, feed } = feedOver(stored);
    // Live output from byte 6 arrives as the replay starts: only 0-7 come from the stored log.
    const replaying = feed.replay();
    feed.receive(6, bytes('6789abcdefghij'));
    await replaying;
    expect(text(shown)).toBe('0123456789abcdefghij');
    expect(stored.reads).toEqual([0, 4]);
  });

  it('fills a gap from the stored log before showing later output', async () => {
    const stored = storedLog('abcd', 100);
    const { shown, feed } = feedOver(stored);
    await feed.replay();
    // efgh was sent before this view listened; the server has it stored by the time it is asked.
    stored.append('efghijkl');
    feed.receive(8, bytes('ijkl'));
    await tick();
    expect(text(shown)).toBe('abcdefghijkl');
    feed.receive(4, bytes('efgh'));
    expect(text(shown)).toBe('abcdefghijkl');
  });

  it('waits for the stored log to catch up when a gap is not stored yet, and loses nothing', async () => {
    const stored = storedLog('ab', 100);
    const { shown, feed } = feedOver(stored);
    await feed.replay();
    feed.receive(4, bytes('ef'));
    await tick();
    expect(text(shown)).toBe('ab');
    stored.append('cdef');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(text(shown)).toBe('abcdef');
    feed.stop();
  });

  it("catches up to a finished run's length when the last output never arrived", async () => {
    const { stored, shown, feed } = await replayedOneLine();
    stored.append('PLAY RECAP\n');
    feed.catchUp(15);
    await tick();
    expect(text(shown)).toBe('one\nPLAY RECAP\n');
  });

  it("leaves out what the stored log's reader skipped, in order, and reads on only when the terminal has room", async () => {
    const log = bytes('head\nskipped 1\nskipped 2\ntail\n');
    const at = 5;
    const to = log.indexOf(bytes('tail')[0]!, at + 1) === -1 ? 0 : Buffer.from(log).indexOf('tail');
    const reads: number[] = [];
    const events: string[] = [];
    let room: () => void = () => undefined;
    const feed = new RunLogFeed(
      async (from) => {
        reads.push(from);
        if (from === 0)
          return {
            data: Buffer.concat([log.subarray(0, at), log.subarray(to)]),
            logBytes: log.length,
            skip: { at, to },
          };
        return { data: log.subarray(from), logBytes: log.length };
      },
      (chunk) => events.push(`write ${new TextDecoder().decode(chunk)}`),
      undefined,
      { skip: (count) => events.push(`skip ${count}`), room: () => new Promise<void>((resolve) => (room = resolve)) },
    );
    const replaying = feed.replay();
    await tick();
    // Nothing is read while the terminal has no room.
    expect(reads).toEqual([]);
    room();
    await tick();
    expect(events).toEqual(['write head\n', `skip ${to - at}`, 'write tail\n']);
    expect(feed.shownBytes).toBe(log.length);
    room();
    await replaying;
    expect(reads).toEqual([0, log.length]);
  });

  it('reads what a far-behind view was only told of (output without data), skipping from where it is', async () => {
    const { stored, shown, feed } = await replayedOneLine();
    stored.append('two\nthree\n');
    // The core sent no data with these: the view fetches them.
    feed.catchUp(8);
    feed.catchUp(14);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(text(shown)).toBe('one\ntwo\nthree\n');
    expect(feed.shownBytes).toBe(14);
  });

  it('reads what a far-behind view was told of once the growth pauses, however far behind, or at once when the run ended', async () => {
    vi.useFakeTimers();
    try {
      const stored = storedLog('', 100);
      const feed = new RunLogFeed(stored.read, () => undefined);
      await feed.replay();
      const readsBefore = stored.reads.length;
      stored.append('x'.repeat(30));
      for (let grown = 10; grown <= 30; grown += 10) {
        feed.grew(grown);
        await vi.advanceTimersByTimeAsync(20);
      }
      // Still growing every 20 ms: not read yet.
      expect(stored.reads.length).toBe(readsBefore);
      await vi.advanceTimersByTimeAsync(40);
      expect(stored.reads.length).toBeGreaterThan(readsBefore);
      expect(feed.shownBytes).toBe(30);
      // 100 MiB behind is no reason to read mid-race: each read makes the terminal parse all the lines it keeps.
      const readsThen = stored.reads.length;
      feed.grew(30 + 100 * 1024 * 1024);
      await vi.advanceTimersByTimeAsync(20);
      expect(stored.reads.length).toBe(readsThen);
      await vi.advanceTimersByTimeAsync(20);
      expect(stored.reads.length).toBeGreaterThan(readsThen);
      feed.stop();

      // The run ended: its last growth is read at once, without waiting for quiet.
      const ended = storedLog('', 100);
      const endedFeed = new RunLogFeed(ended.read, () => undefined);
      await endedFeed.replay();
      const readsBeforeEnd = ended.reads.length;
      ended.append('z'.repeat(30));
      endedFeed.grew(10);
      await vi.advanceTimersByTimeAsync(0);
      expect(ended.reads.length).toBe(readsBeforeEnd);
      endedFeed.grew(30, true);
      await vi.advanceTimersByTimeAsync(0);
      expect(ended.reads.length).toBeGreaterThan(readsBeforeEnd);
      expect(endedFeed.shownBytes).toBe(30);
      endedFeed.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
