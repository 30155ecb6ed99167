import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kubesprayLog } from '../../support/kubespray-log';
import {
  expectSameAsParsingEverything,
  countInputsWithSkips,
  numberedRows,
  split,
  writerIntoTerminal,
  type TerminalSize as Size,
} from '../../support/xterm-contents';

/**
 * The input through a TerminalWriter with jump scroll, arriving in `pieces` while earlier writes are still being
 * parsed.
 */
async function throughWriter(size: Size, pieces: Uint8Array[], chunkBytes = 4096) {
  const view = writerIntoTerminal(size, chunkBytes);
  for (const piece of pieces) view.writer.push(piece);
  await view.settled();
  return { terminal: view.terminal, accounted: view.accounted(), skipped: view.writer.skippedBytes };
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Input through the writer ends as all of it parsed; returns the bytes jump scroll skipped. */
async function jumpedAsEverything(size: Size, input: Uint8Array, pieces: Uint8Array[], chunkBytes?: number) {
  const jumped = await throughWriter(size, pieces, chunkBytes);
  await expectSameAsParsingEverything(size, input, jumped);
  return jumped.skipped;
}

describe('jump scroll', () => {
  it('leaves a recorded kubespray log unparsed up to its last lines, and the scrollback and screen as if it had parsed all of it', async () => {
    const size = { scrollback: 1000, rows: 24, cols: 80 };
    const input = bytes(kubesprayLog(2 * 1024 * 1024));
    const skipped = await jumpedAsEverything(size, input, split(input, [4096, 100_000, 700_000]));
    // Most of the backlog was never parsed.
    expect(skipped).toBeGreaterThan(input.length * 0.8);
  });

  it('skips nothing when fewer lines wait than the terminal keeps', async () => {
    const size = { scrollback: 1000, rows: 24, cols: 80 };
    const input = bytes(Array.from({ length: 1000 }, (_, index) => `line ${index}\n`).join(''));
    expect(await jumpedAsEverything(size, input, [input])).toBe(0);
  });

  it('keeps a colour that runs on across lines, and parses everything after a sequence that outlives its line', async () => {
    const size = { scrollback: 50, rows: 5, cols: 20 };
    const colourRunsOn = bytes(
      `\x1b[41;1m${numberedRows(0, 300)}\x1b[0m${numberedRows(300, 300)}\x1b[32mgreen ${numberedRows(600, 200)}`,
    );
    expect(await jumpedAsEverything(size, colourRunsOn, [colourRunsOn])).toBeGreaterThan(0);
    // A scroll region from here on: lines that follow no longer reach the scrollback, so none of them may be skipped.
    const region = bytes(`${numberedRows(0, 100)}\x1b[2;4r${numberedRows(100, 500)}`);
    const regionSkipped = await jumpedAsEverything(size, region, [region]);
    expect(regionSkipped).toBeLessThan(numberedRows(0, 100).length);
  });

  it('shows the same as parsing everything for any plain or not-so-plain input, in any pieces', async () => {
    const size = { scrollback: 12, rows: 4, cols: 30 };
    const inputsWithSkips = await countInputsWithSkips(
      (input, pieces, chunkBytes) => jumpedAsEverything(size, input, pieces, chunkBytes),
      { maxCuts: 6, numRuns: 300, chunkBytes: fc.constant(64) },
    );
    // The property is about skipping: a good share of the inputs must have had lines skipped.
    expect(inputsWithSkips).toBeGreaterThan(100);
  });
});
