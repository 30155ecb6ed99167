import { Terminal, type IBufferLine } from '@xterm/xterm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminalWriter } from '../../../renderer/features/deploy/terminal-writer';
import { kubesprayLog } from '../../support/kubespray-log';

// xterm.js parses and keeps its buffer without a DOM: the terminals here are never opened (no renderer), so they show
// exactly what the Run terminal's xterm holds for the same input, read through xterm's public buffer API.
interface Size {
  scrollback: number;
  rows: number;
  cols: number;
}

const newTerminal = (size: Size) => new Terminal({ ...size, convertEol: true, disableStdin: true, allowProposedApi: true });

/** A line as the screen shows it: each cell's text, colours (with their modes) and style. */
function cells(line: IBufferLine | undefined, cols: number): string {
  if (!line) return '<none>';
  const parts: string[] = [line.isWrapped ? 'wrapped' : ''];
  for (let x = 0; x < cols; x++) {
    const cell = line.getCell(x);
    if (!cell) break;
    parts.push(`${cell.getChars()}|${cell.getWidth()}|${cell.getFgColorMode()}:${cell.getFgColor()}|${cell.getBgColorMode()}:${cell.getBgColor()}|${cell.isBold()}${cell.isItalic()}${cell.isUnderline()}${cell.isInverse()}${cell.isDim()}`);
  }
  return parts.join(' ');
}

/** Everything the terminal keeps: every buffer line (scrollback and screen), the cursor and where the screen is. */
function contents(terminal: Terminal, size: Size) {
  const buffer = terminal.buffer.active;
  return {
    length: buffer.length,
    cursor: [buffer.cursorX, buffer.cursorY, buffer.baseY],
    lines: Array.from({ length: buffer.length }, (_, y) => cells(buffer.getLine(y), size.cols)),
  };
}

const writeAll = (terminal: Terminal, data: Uint8Array | string) => new Promise<void>((resolve) => terminal.write(data, resolve));

/** The input through a TerminalWriter with jump scroll, arriving in `pieces` while earlier writes are still being parsed. */
async function throughWriter(size: Size, pieces: Uint8Array[], chunkBytes = 4096) {
  const terminal = newTerminal(size);
  let accounted = 0;
  let outstanding = 0;
  let settled: (() => void) | undefined;
  const writer = new TerminalWriter(
    (data, inputBytes, written) => {
      outstanding++;
      terminal.write(data, () => {
        accounted += inputBytes;
        outstanding--;
        written();
        if (outstanding === 0) settled?.();
      });
    },
    { chunkBytes, highWaterBytes: chunkBytes * 2 },
    { keepLines: () => size.scrollback + 2 * terminal.rows },
  );
  for (const piece of pieces) writer.push(piece);
  while (outstanding > 0 || writer.waitingBytes > 0) await new Promise<void>((resolve) => (settled = resolve));
  return { terminal, accounted, skipped: writer.skippedBytes };
}

const bytes = (text: string) => new TextEncoder().encode(text);

function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const point of [...points, data.length]) {
    if (point > at) pieces.push(data.subarray(at, point));
    at = Math.max(at, point);
  }
  return pieces;
}

async function expectSameAsParsingEverything(size: Size, input: Uint8Array, pieces: Uint8Array[], chunkBytes?: number) {
  const full = newTerminal(size);
  await writeAll(full, input);
  const jumped = await throughWriter(size, pieces, chunkBytes);
  expect(jumped.accounted).toBe(input.length);
  expect(contents(jumped.terminal, size)).toEqual(contents(full, size));
  full.dispose();
  jumped.terminal.dispose();
  return jumped.skipped;
}

describe('jump scroll', () => {
  it('leaves a recorded kubespray log unparsed up to its last lines, and the scrollback and screen as if it had parsed all of it', async () => {
    const size = { scrollback: 1000, rows: 24, cols: 80 };
    const input = bytes(kubesprayLog(2 * 1024 * 1024));
    const skipped = await expectSameAsParsingEverything(size, input, split(input, [4096, 100_000, 700_000]));
    // Most of the backlog was never parsed.
    expect(skipped).toBeGreaterThan(input.length * 0.8);
  });

  it('skips nothing when fewer lines wait than the terminal keeps', async () => {
    const size = { scrollback: 1000, rows: 24, cols: 80 };
    const input = bytes(Array.from({ length: 1000 }, (_, index) => `line ${index}\n`).join(''));
    expect(await expectSameAsParsingEverything(size, input, [input])).toBe(0);
  });

  it('keeps a colour that runs on across lines, and parses everything after a sequence that outlives its line', async () => {
    const size = { scrollback: 50, rows: 5, cols: 20 };
    const lines = (from: number, count: number) => Array.from({ length: count }, (_, index) => `row ${from + index}\n`).join('');
    const colourRunsOn = bytes(`\x1b[41;1m${lines(0, 300)}\x1b[0m${lines(300, 300)}\x1b[32mgreen ${lines(600, 200)}`);
    expect(await expectSameAsParsingEverything(size, colourRunsOn, [colourRunsOn])).toBeGreaterThan(0);
    // A scroll region from here on: lines that follow no longer reach the scrollback, so none of them may be skipped.
    const region = bytes(`${lines(0, 100)}\x1b[2;4r${lines(100, 500)}`);
    const regionSkipped = await expectSameAsParsingEverything(size, region, [region]);
    expect(regionSkipped).toBeLessThan(lines(0, 100).length);
  });

  it('shows the same as parsing everything for any plain or not-so-plain input, in any pieces', async () => {
    const size = { scrollback: 12, rows: 4, cols: 30 };
    const plain = fc.constantFrom('ok', 'a', 'changed: [node1]', 'x'.repeat(43), '日本語テキスト', '\x1b[44m', '\t|', '\r', '\n', '\n', '\n', '\x1b[0m', '\x1b[m', '\x1b[0;32m', '\x1b[1;41m', '\x1b[38;5;0m');
    // Not auto-wrap off: xterm itself then shows a wide character split across two writes differently from a whole one,
    // whatever was skipped.
    const outlivesItsLine = fc.constantFrom('\x1b[A', '\x1b[2J', '\x1b[5D', '\x1b[?25l', '\x1bM', '\x08', '\u009b1m', '\x1b(0q', '\x1b[2;3r');
    const token = fc.oneof({ arbitrary: plain, weight: 600 }, { arbitrary: outlivesItsLine, weight: 1 });
    let inputsWithSkips = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 400, size: 'max' }), fc.array(fc.nat(), { maxLength: 6 }), async (tokens, cuts) => {
        const input = bytes(tokens.join(''));
        if ((await expectSameAsParsingEverything(size, input, split(input, cuts), 64)) > 0) inputsWithSkips++;
      }),
      { numRuns: 300 },
    );
    // The property is about skipping: a good share of the inputs must have had lines skipped.
    expect(inputsWithSkips).toBeGreaterThan(100);
  });
});
