import { appendFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstOutlivingItsLine, LogJumpIndex } from '../../../../electron/node/runs/log-jump';
import { RunService } from '../../../../electron/node/runs/run-service';
import { DeployKeyStore } from '../../../../electron/node/deploy/deploy-key-store';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { RunLogFeed } from '../../../../renderer/features/deploy/run-log-feed';
import { kubesprayLog } from '../../../support/kubespray-log';
import {
  expectSameAsParsingEverything,
  countInputsWithSkips,
  numberedRows,
  split,
  writerIntoTerminal,
  type TerminalSize,
} from '../../../support/xterm-contents';

// The server's jump scroll (runs.log with keepLines) through the view's real path: RunService.readLog on a log file,
// the RunLogFeed, the TerminalWriter and xterm. The terminal must end exactly as if it had parsed every byte.

const bytes = (text: string) => new TextEncoder().encode(text);
const projectId = '3f0c6a52-7d1e-4c59-9a43-0b3e2f1d8c11';
let dataDir: string;
let runs: RunService;
let runCount = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'airspray-log-jump-'));
  const projects = new ProjectStore(dataDir);
  runs = new RunService({
    dataDir,
    projects,
    version: 'test',
    keys: new DeployKeyStore((id) => projects.projectFolder(id)),
  });
});

afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function newRunLog(): Promise<{ runId: string; path: string }> {
  const runId = `r-jump-${runCount++}`;
  const folder = join(new ProjectStore(dataDir).projectFolder(projectId), 'runs', runId);
  await mkdir(folder, { recursive: true });
  const path = join(folder, 'log');
  await writeFile(path, '');
  return { runId, path };
}

/**
 * A view of the run, as the Run terminal builds it, reading the log in chunks of `chunkBytes`; `pieces` are appended
 * to the log one after the other, the view catching up after each.
 */
async function viewThroughServer(size: TerminalSize, pieces: Uint8Array[], chunkBytes: number) {
  const { runId, path } = await newRunLog();
  const { terminal, writer, accounted, settled } = writerIntoTerminal(size, 64);
  const keepLines = () => size.scrollback + 2 * terminal.rows;
  const failures: unknown[] = [];
  const feed = new RunLogFeed(
    async (from) => {
      const chunk = await runs.readLog(projectId, runId, from, chunkBytes, keepLines());
      return {
        data: new Uint8Array(chunk.data),
        logBytes: chunk.logBytes,
        ...(chunk.skip ? { skip: chunk.skip } : {}),
      };
    },
    (data) => writer.push(data),
    (failure) => failures.push(failure),
    { skip: (count) => writer.skip(count), room: () => writer.room() },
  );
  let logBytes = 0;
  await feed.replay();
  for (const piece of pieces) {
    await appendFile(path, piece);
    logBytes += piece.length;
    feed.catchUp(logBytes);
    while (feed.shownBytes < logBytes) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await settled();
  expect(failures).toEqual([]);
  return { terminal, accounted: accounted(), skipped: writer.skippedBytes };
}

/** The log grown in `pieces` ends in the view as all of it parsed; returns the bytes left unparsed. */
async function viewedAsEverything(size: TerminalSize, pieces: Uint8Array[], chunkBytes = 4096) {
  const viewed = await viewThroughServer(size, pieces, chunkBytes);
  await expectSameAsParsingEverything(size, Buffer.concat(pieces), viewed);
  return viewed.skipped;
}

// The rule as one regular expression over a latin1 reading (a char a byte): what the core ran before the byte loop.
// eslint-disable-next-line no-control-regex
const outlivesItsLine = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]|\xc2[\x80-\x9f]|\x1b(?!\[[0-9:;]*m)/;
/** Pieces of input: any byte, the bytes a terminal treats apart, escapes near an SGR, the UTF-8 lead of C1 controls. */
const rulePiece = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((byte) => [byte]),
  fc.constantFrom(0x0a, 0x0d, 0x09, 0x1b, 0x7f, 0x20, 0x41).map((byte) => [byte]),
  fc
    .tuple(
      fc.array(fc.integer({ min: 0x2f, max: 0x3c }), { maxLength: 4 }),
      fc.constantFrom(0x6d, 0x41, 0x0a),
      fc.boolean(),
    )
    .map(([parameters, final, bracket]) => [0x1b, ...(bracket ? [0x5b] : []), ...parameters, final]),
  fc.integer({ min: 0x7f, max: 0xa0 }).map((next) => [0xc2, next]),
  fc
    .string({
      unit: fc.integer({ min: 0x1e, max: 0x80 }).map((code) => String.fromCharCode(code)),
      minLength: 4,
      maxLength: 12,
    })
    .map((text) => [...Buffer.from(text, 'latin1')]),
);

describe('what outlives its line', () => {
  it('finds the same first byte as the regular expression, for any bytes', () => {
    fc.assert(
      // From any byte alignment: the loop reads aligned words where it can.
      fc.property(fc.array(rulePiece, { maxLength: 24 }), fc.integer({ min: 0, max: 3 }), (pieces, offset) => {
        const bytes = Buffer.from([0x20, 0x20, 0x20, ...pieces.flat()]).subarray(offset);
        expect(firstOutlivingItsLine(bytes)).toBe(bytes.toString('latin1').search(outlivesItsLine));
      }),
      { numRuns: 20_000 },
    );
  });

  it('passes text, CR, tab and colours, and stops at the first anything else', () => {
    expect(firstOutlivingItsLine(Buffer.from('\x1b[0;32mok: [node1]\x1b[0m\r\tdone é\n'))).toBe(-1);
    expect(firstOutlivingItsLine(Buffer.from('ok\n\x1b[2Aup\n'))).toBe(3);
    expect(firstOutlivingItsLine(Buffer.from('bell\x07\n'))).toBe(4);
    expect(firstOutlivingItsLine(Buffer.from('c1 \u0085\n'))).toBe(3);
    expect(firstOutlivingItsLine(Buffer.from('cut \x1b['))).toBe(4);
  });
});

describe('jump scroll on the server (runs.log with keepLines)', () => {
  it('sends a view opened on a long recorded log only its last lines, and the terminal ends as if it had parsed all of it', async () => {
    const size = { scrollback: 1000, rows: 24, cols: 80 };
    const input = bytes(kubesprayLog(2 * 1024 * 1024));
    const skipped = await viewedAsEverything(size, [input], 256 * 1024);
    expect(skipped).toBeGreaterThan(input.length * 0.9);
  });

  it('skips again as the log grows far past a view that is behind', async () => {
    const size = { scrollback: 200, rows: 10, cols: 80 };
    const input = bytes(kubesprayLog(600 * 1024));
    const skipped = await viewedAsEverything(size, split(input, [1000, 150_000, 151_000, 400_000]), 64 * 1024);
    expect(skipped).toBeGreaterThan(input.length * 0.8);
  });

  it('never skips past something that outlives its line, nor where a colour runs on', async () => {
    const size = { scrollback: 50, rows: 5, cols: 20 };
    const region = bytes(`${numberedRows(0, 100)}\x1b[2;4r${numberedRows(100, 500)}`);
    expect(await viewedAsEverything(size, [region])).toBeLessThan(numberedRows(0, 100).length);
    const colourRunsOn = bytes(`\x1b[41;1m${numberedRows(0, 600)}`);
    expect(await viewedAsEverything(size, [colourRunsOn])).toBe(0);
  });

  it('shows the same as parsing everything for any plain or not-so-plain log, grown in any pieces, read in any chunks', async () => {
    const size = { scrollback: 12, rows: 4, cols: 30 };
    const inputsWithSkips = await countInputsWithSkips(
      (_input, pieces, chunkBytes) => viewedAsEverything(size, pieces, chunkBytes),
      { maxCuts: 4, numRuns: 150, chunkBytes: fc.integer({ min: 16, max: 2048 }) },
    );
    // The property is about skipping: a good share of the logs must have had lines skipped (42-53 of 150 in five
    // runs; any line that outlives its line stops all skipping of that log).
    expect(inputsWithSkips).toBeGreaterThan(15);
  });

  it('plans the same skips from a log scanned as it arrived as from one read from its file, and none once it is not plain', async () => {
    const plain = Buffer.from(kubesprayLog(400 * 1024));
    const withRegion = Buffer.from(
      `${kubesprayLog(300 * 1024)}\x1b[2;4rafter a scroll region\n${kubesprayLog(100 * 1024)}`,
    );
    for (const input of [plain, withRegion]) {
      const { path } = await newRunLog();
      await writeFile(path, input);
      const file = await open(path);
      try {
        const pieces = split(input, [7, 1000, 65_536, 200_001, 310_000]).map((piece) => Buffer.from(piece));
        const inOrder = new LogJumpIndex();
        // Only the first piece in order (offset 0); the rest are left to the reads.
        const outOfOrder = new LogJumpIndex();
        let offset = 0;
        for (const [index, piece] of pieces.entries()) {
          inOrder.arrived(offset, piece);
          outOfOrder.arrived(index === 0 ? 0 : offset + 1, piece);
          offset += piece.length;
        }
        for (const [from, keepLines] of [
          [0, 100],
          [0, 5000],
          [150_000, 100],
          [299_000, 50],
          [320_000, 10],
        ] as const) {
          const fromFile = await new LogJumpIndex().plan(file, input.length, from, keepLines);
          if (input === plain) expect(fromFile?.to).toBeGreaterThan(from);
          else expect(fromFile).toBeUndefined();
          expect(await inOrder.plan(file, input.length, from, keepLines)).toEqual(fromFile);
          expect(await outOfOrder.plan(file, input.length, from, keepLines)).toEqual(fromFile);
        }
      } finally {
        await file.close();
      }
    }
  });

  it('holds no arriving line longer than it scans, and offers no skip past it', async () => {
    const index = new LogJumpIndex();
    const endless = Buffer.alloc(8 * 1024 * 1024, 0x78);
    for (let offset = 0; offset < 72 * 1024 * 1024; offset += endless.length) index.arrived(offset, endless);
    const lines = Buffer.from(Array.from({ length: 3000 }, (_, line) => `\x1b[0mok: [node${line}]\n`).join(''));
    index.arrived(72 * 1024 * 1024, Buffer.concat([Buffer.from('\n'), lines]));
    const { path } = await newRunLog();
    await writeFile(path, Buffer.concat([Buffer.alloc(72 * 1024 * 1024, 0x78), Buffer.from('\n'), lines]));
    const file = await open(path, 'r');
    try {
      expect(await index.plan(file, 72 * 1024 * 1024 + 1 + lines.length, 0, 100)).toBeUndefined();
    } finally {
      await file.close();
    }
  });

  // 65 MiB written and scanned: work that takes a minute on a busy two-core machine, not a wait.
  it(
    'offers no skip past a line longer than it scans (64 MiB), and answers a read from past the end with nothing',
    { timeout: 180_000 },
    async () => {
      const { runId, path } = await newRunLog();
      const lines = Array.from({ length: 3000 }, (_, index) => `ok: [node${index}]\n`).join('');
      await writeFile(path, `${'x'.repeat(65 * 1024 * 1024)}\n${lines}`);
      const read = await runs.readLog(projectId, runId, 0, 1024, 100);
      expect(read.skip).toBeUndefined();
      expect(read.data.length).toBe(1024);
      const past = await runs.readLog(projectId, runId, read.logBytes + 10, 1024, 100);
      expect(past.skip).toBeUndefined();
      expect(past.data.length).toBe(0);
    },
  );
});
