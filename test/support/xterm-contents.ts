import { Terminal, type IBufferLine } from '@xterm/xterm';
import fc from 'fast-check';
import { expect } from 'vitest';
import { TerminalWriter } from '../../renderer/features/deploy/terminal-writer';

// xterm.js parses and keeps its buffer without a DOM: the terminals here are never opened (no renderer), so they show
// exactly what the Run terminal's xterm holds for the same input, read through xterm's public buffer API.
export interface TerminalSize {
  scrollback: number;
  rows: number;
  cols: number;
}

export const newTerminal = (size: TerminalSize) =>
  new Terminal({ ...size, convertEol: true, disableStdin: true, allowProposedApi: true });

/** A line as the screen shows it: each cell's text, colours (with their modes) and style. */
function cells(line: IBufferLine | undefined, cols: number): string {
  if (!line) return '<none>';
  const parts: string[] = [line.isWrapped ? 'wrapped' : ''];
  for (let x = 0; x < cols; x++) {
    const cell = line.getCell(x);
    if (!cell) break;
    parts.push(
      `${cell.getChars()}|${cell.getWidth()}|${cell.getFgColorMode()}:${cell.getFgColor()}|${cell.getBgColorMode()}:${cell.getBgColor()}|${cell.isBold()}${cell.isItalic()}${cell.isUnderline()}${cell.isInverse()}${cell.isDim()}`,
    );
  }
  return parts.join(' ');
}

/** Everything the terminal keeps: every buffer line (scrollback and screen), the cursor and where the screen is. */
export function contents(terminal: Terminal, size: TerminalSize) {
  const buffer = terminal.buffer.active;
  return {
    length: buffer.length,
    cursor: [buffer.cursorX, buffer.cursorY, buffer.baseY],
    lines: Array.from({ length: buffer.length }, (_, y) => cells(buffer.getLine(y), size.cols)),
  };
}

export const writeAll = (terminal: Terminal, data: Uint8Array | string) =>
  new Promise<void>((resolve) => terminal.write(data, resolve));

/**
 * A fresh terminal fed by a TerminalWriter with jump scroll, as the Run terminal feeds xterm: counts the input bytes
 * its writes account for; `settled` resolves once everything given has been parsed.
 */
export function writerIntoTerminal(size: TerminalSize, chunkBytes: number) {
  const terminal = newTerminal(size);
  let accounted = 0;
  let outstanding = 0;
  let onIdle: (() => void) | undefined;
  const writer = new TerminalWriter(
    (data, inputBytes, written) => {
      outstanding++;
      terminal.write(data, () => {
        accounted += inputBytes;
        outstanding--;
        written();
        if (outstanding === 0) onIdle?.();
      });
    },
    { chunkBytes, highWaterBytes: chunkBytes * 2 },
    { keepLines: () => size.scrollback + 2 * terminal.rows },
  );
  return {
    terminal,
    writer,
    accounted: () => accounted,
    settled: async () => {
      while (outstanding > 0 || writer.waitingBytes > 0) await new Promise<void>((resolve) => (onIdle = resolve));
    },
  };
}

/** `data` cut at the given points (taken modulo its length, in any order). */
export function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const point of [...points, data.length]) {
    if (point > at) pieces.push(data.subarray(at, point));
    at = Math.max(at, point);
  }
  return pieces;
}

/**
 * Asserts that `viewed` (a terminal fed `input` some other way, with what its writes accounted for) holds exactly
 * what a terminal fed all of `input` holds, cell by cell; disposes both.
 */
export async function expectSameAsParsingEverything(
  size: TerminalSize,
  input: Uint8Array,
  viewed: { terminal: Terminal; accounted: number },
): Promise<void> {
  const full = newTerminal(size);
  await writeAll(full, input);
  expect(viewed.accounted).toBe(input.length);
  expect(contents(viewed.terminal, size)).toEqual(contents(full, size));
  full.dispose();
  viewed.terminal.dispose();
}

/**
 * Pieces of terminal input: mostly plain (text, wide characters, lines longer than the screen, CR, tab, colours), now
 * and then something that outlives its line (cursor moves, erase, modes, C1, charsets, scroll regions). Not
 * auto-wrap off: xterm itself then shows a wide character split across two writes differently from a whole one.
 */
export const terminalInputToken = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'ok',
      'a',
      'changed: [node1]',
      'x'.repeat(43),
      '日本語テキスト',
      '\x1b[44m',
      '\t|',
      '\r',
      '\n',
      '\n',
      '\n',
      '\x1b[0m',
      '\x1b[m',
      '\x1b[0;32m',
      '\x1b[1;41m',
      '\x1b[38;5;0m',
    ),
    weight: 600,
  },
  {
    arbitrary: fc.constantFrom(
      '\x1b[A',
      '\x1b[2J',
      '\x1b[5D',
      '\x1b[?25l',
      '\x1bM',
      '\x08',
      '\u009b1m',
      '\x1b(0q',
      '\x1b[2;3r',
    ),
    weight: 1,
  },
);

/** `count` plain lines "row N", numbered from `from`. */
export const numberedRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => `row ${from + index}\n`).join('');

/**
 * Runs `skipped` (which asserts its own outcome and returns the bytes it skipped) on `numRuns` random terminal inputs,
 * each cut at up to `maxCuts` places and given a chunk size from `chunkBytes`; returns how many inputs had a skip.
 */
export async function countInputsWithSkips(
  skipped: (input: Uint8Array, pieces: Uint8Array[], chunkBytes: number) => Promise<number>,
  { maxCuts, numRuns, chunkBytes }: { maxCuts: number; numRuns: number; chunkBytes: fc.Arbitrary<number> },
): Promise<number> {
  let inputsWithSkips = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(terminalInputToken, { minLength: 1, maxLength: 400, size: 'max' }),
      fc.array(fc.nat(), { maxLength: maxCuts }),
      chunkBytes,
      async (tokens, cuts, chunk) => {
        const input = new TextEncoder().encode(tokens.join(''));
        if ((await skipped(input, split(input, cuts), chunk)) > 0) inputsWithSkips++;
      },
    ),
    { numRuns },
  );
  return inputsWithSkips;
}
