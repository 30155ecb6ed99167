import type { FileHandle } from 'node:fs/promises';

/** Where a view can leave out lines of a run's log: the log from `at` to `to` scrolls out of its terminal unseen. */
export interface LogJump {
  /** The first line start at or after where the view is. */
  at: number;
  /** A later line start, where the colours are the defaults, followed by at least as many lines as the view keeps. */
  to: number;
}

/**
 * Where, in whole lines, the first byte is that a terminal may carry past its line; -1 when there is none. Text, CR,
 * tab and colours (SGR) end with the line. Anything else may: C0 controls but LF, CR, tab and ESC; DEL; C1 controls
 * (U+0080-U+009F in UTF-8); any escape but SGR. The same rule as the view's own jump scroll
 * (renderer/features/deploy/jump-scroll.ts). It allocates nothing and takes ~55 ms per 50 MiB of kubespray log:
 * regular expressions over a latin1 copy took ~160 ms, and 50 MiB of strings to collect.
 */
export function firstOutlivingItsLine(bytes: Uint8Array): number {
  const end = bytes.length;
  // Four aligned bytes at a time: a word of printable ASCII (0x20-0x7e), most of a log, is passed whole.
  const wordsFrom = Math.min(end, (4 - (bytes.byteOffset & 3)) & 3);
  const wordCount = (end - wordsFrom) >> 2;
  const words =
    wordCount > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + wordsFrom, wordCount) : new Int32Array(0);
  const wordsTo = wordsFrom + words.length * 4;
  let index = 0;
  while (index < end) {
    if (index >= wordsFrom && index < wordsTo && ((index - wordsFrom) & 3) === 0) {
      const word = words[(index - wordsFrom) >> 2]!;
      // A byte below 0x20 sets its top bit in (word - 0x20...) & ~word, one of 0x7f-0xfe in word + 0x01... (0xff
      // wraps, and is plain). A borrow or carry between bytes only raises a false alarm, which the bytes below clear.
      if (((((word - 0x20202020) & ~word) | (word + 0x01010101)) & 0x80808080) === 0) {
        index += 4;
        continue;
      }
    }
    const byte = bytes[index]!;
    if (byte === 0x1b) {
      if (bytes[index + 1] !== 0x5b) return index;
      let parameter = index + 2;
      while (parameter < end && bytes[parameter]! >= 0x30 && bytes[parameter]! <= 0x3b) parameter++;
      if (bytes[parameter] !== 0x6d) return index;
      index = parameter;
    } else if (
      (byte < 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) ||
      byte === 0x7f ||
      (byte === 0xc2 && bytes[index + 1]! >= 0x80 && bytes[index + 1]! <= 0x9f)
    ) {
      return index;
    }
    index++;
  }
  return -1;
}

// eslint-disable-next-line no-control-regex
const colourReset = /^\x1b\[0*m/;
const lineFeed = 0x0a;
const escape = 0x1b;
const blockBytes = 4 * 1024 * 1024;
/**
 * The most of the log's end held to find a skip, and the longest line scanned: past these no skip is offered (the
 * view reads on in order), so a hostile log or keepLines costs bounded memory and time.
 */
const maxHeldBytes = 64 * 1024 * 1024;
/** Line starts looked at for default colours before giving up: input that never resets its colours costs little. */
const colourTries = 4096;

/**
 * Jump scroll for one run's log, read from its file (which only grows): the native-speed scans (regular expression,
 * indexOf) find the skip without reading the log byte by byte in JavaScript. A line followed by more lines than the
 * terminal keeps scrolls out before it is seen, so leaving it out changes nothing, provided everything before the
 * skip is plain (nothing in it outlives its line) and the colours are the defaults where writing goes on.
 */
export class LogJumpIndex {
  /** The log is plain up to here (a line start). */
  private plainTo = 0;
  /** Where something that outlives its line was found: no skip past it, ever. */
  private notPlainAt = Number.POSITIVE_INFINITY;
  /** Bytes after plainTo that arrived without their line's end. */
  private partialLine: Buffer[] = [];
  private partialBytes = 0;

  /**
   * The log grew by `data` at `offset` (a followed run): scanned as it arrives, so a view's first read does not
   * wait for the whole log to be scanned. Out of order, it is left to the reads.
   */
  arrived(offset: number, data: Buffer): void {
    if (this.notPlainAt !== Number.POSITIVE_INFINITY || offset !== this.plainTo + this.partialBytes) return;
    const lastLineEnd = data.lastIndexOf(lineFeed) + 1;
    if (lastLineEnd === 0) {
      // A line beyond reason is not held (as in plainBefore): no skip past it.
      if (this.partialBytes + data.length > maxHeldBytes) {
        this.notPlainAt = this.plainTo;
        this.holdPartialLine(Buffer.alloc(0));
      } else {
        this.partialLine.push(Buffer.from(data));
        this.partialBytes += data.length;
      }
      return;
    }
    // The line begun before goes on in one piece with its end; the whole lines after it are scanned where they lie.
    const firstLineEnd = data.indexOf(lineFeed) + 1;
    this.scan(
      this.partialBytes > 0
        ? Buffer.concat([...this.partialLine, data.subarray(0, firstLineEnd)])
        : data.subarray(0, firstLineEnd),
    );
    this.scan(data.subarray(firstLineEnd, lastLineEnd));
    this.holdPartialLine(Buffer.from(data.subarray(lastLineEnd)));
  }

  /** The bytes after the last line feed so far, joined once their line ends. */
  private holdPartialLine(start: Buffer): void {
    this.partialLine = start.length > 0 ? [start] : [];
    this.partialBytes = start.length;
  }

  /** Where the view at `from` may skip to, for a log of `size` bytes and a terminal that keeps `keepLines` lines. */
  async plan(file: FileHandle, size: number, from: number, keepLines: number): Promise<LogJump | undefined> {
    const at = await lineStartFrom(file, from, size);
    if (at === undefined) return undefined;
    const tail = new Tail(file, size, at);
    let to = await tail.lineStartFollowedBy(keepLines);
    // The lines counted after a skip must all reach the scrollback: the log must be plain to its last whole line.
    const lastLineEnd = await tail.lineStartFollowedBy(0);
    for (let tries = 0; to !== undefined && to > at && tries < colourTries; tries++) {
      if (await tail.defaultColoursAt(to))
        return lastLineEnd !== undefined && (await this.plainBefore(file, lastLineEnd)) ? { at, to } : undefined;
      to = await tail.previousLineStart(to);
    }
    return undefined;
  }

  /** Whether the log is plain from its first byte up to `end` (a line start); scans what it has not yet. */
  private async plainBefore(file: FileHandle, end: number): Promise<boolean> {
    while (this.notPlainAt === Number.POSITIVE_INFINITY && this.plainTo < end) {
      const start = this.plainTo;
      const block = Buffer.alloc(Math.min(blockBytes, end - start));
      const { bytesRead } = await file.read(block, 0, block.length, start);
      // Only whole lines: an escape is never cut in two (one that spans a line feed is not plain anyway).
      let lines = block.subarray(
        0,
        start + bytesRead === end ? bytesRead : block.lastIndexOf(lineFeed, bytesRead - 1) + 1,
      );
      if (lines.length === 0) {
        // One line longer than a block: read it in one piece, unless it is beyond reason.
        const lineEnd = (await lineStartFrom(file, start + bytesRead, end)) ?? end;
        if (lineEnd - start > maxHeldBytes) {
          this.notPlainAt = Math.min(this.notPlainAt, start);
          break;
        }
        lines = Buffer.alloc(lineEnd - start);
        await file.read(lines, 0, lines.length, start);
      }
      // What arrived meanwhile may have been scanned already.
      if (this.plainTo !== start) continue;
      this.holdPartialLine(Buffer.alloc(0));
      this.scan(lines);
    }
    return end <= this.notPlainAt;
  }

  private scan(lines: Buffer): void {
    if (this.notPlainAt !== Number.POSITIVE_INFINITY) return;
    const found = firstOutlivingItsLine(lines);
    if (found >= 0) this.notPlainAt = this.plainTo + found;
    this.plainTo += lines.length;
  }
}

/** `from` itself when a line starts there, else the start of the next line; undefined when none before `size`. */
async function lineStartFrom(file: FileHandle, from: number, size: number): Promise<number | undefined> {
  if (from === 0) return 0;
  for (let position = from - 1; position < size; position += blockBytes) {
    const block = Buffer.alloc(Math.min(blockBytes, size - position));
    const { bytesRead } = await file.read(block, 0, block.length, position);
    const feed = block.subarray(0, bytesRead).indexOf(lineFeed);
    if (feed >= 0) return position + feed + 1 < size ? position + feed + 1 : undefined;
    if (bytesRead === 0) return undefined;
  }
  return undefined;
}

/** The end of the log, read backwards block by block as far as a question needs. */
class Tail {
  private data = Buffer.alloc(0);
  /** Log offset of data's first byte. */
  private start: number;

  constructor(
    private readonly file: FileHandle,
    size: number,
    /** Lines are not looked for before this (the view is past them). */
    private readonly floor: number,
  ) {
    this.start = size;
  }

  /** Reads one more block before what is held, not before `limit`; false when there is nothing more to read. */
  private async extend(limit: number): Promise<boolean> {
    if (this.start <= limit || this.data.length >= maxHeldBytes) return false;
    // Blocks grow with what is held, so copying it all each time stays linear.
    const start = Math.max(limit, this.start - Math.max(blockBytes, this.data.length));
    const block = Buffer.alloc(this.start - start);
    await this.file.read(block, 0, block.length, start);
    this.data = Buffer.concat([block, this.data]);
    this.start = start;
    return true;
  }

  /** The latest line start with at least `count` line feeds from it to the end of the log. */
  async lineStartFollowedBy(count: number): Promise<number | undefined> {
    let seen = 0;
    let position = this.data.length - 1;
    for (;;) {
      for (
        let feed = this.data.lastIndexOf(lineFeed, position);
        feed >= 0;
        feed = this.data.lastIndexOf(lineFeed, feed - 1)
      ) {
        // The line feed before the line start followed by `count` more.
        if (++seen === count + 1) return this.start + feed + 1;
        if (feed === 0) break;
      }
      const held = this.data.length;
      if (!(await this.extend(this.floor))) return undefined;
      position = this.data.length - held - 1;
    }
  }

  /** The start of the line before the one starting at `lineStart`, if it is after the floor. */
  async previousLineStart(lineStart: number): Promise<number | undefined> {
    for (;;) {
      const feed = lineStart - 2 >= this.start ? this.data.lastIndexOf(lineFeed, lineStart - 2 - this.start) : -1;
      if (feed >= 0) return this.start + feed + 1;
      if (!(await this.extend(this.floor))) return undefined;
    }
  }

  /** Whether the last escape before `offset` resets the colours (or there is none): they are the defaults there. */
  async defaultColoursAt(offset: number): Promise<boolean> {
    for (;;) {
      const found = offset > this.start ? this.data.lastIndexOf(escape, offset - 1 - this.start) : -1;
      if (found >= 0) return colourReset.test(this.data.toString('latin1', found, found + 16));
      if (this.start === 0) return true;
      // Colours set before the floor last as well: read on back to the log's first byte if need be.
      if (!(await this.extend(0))) return false;
    }
  }
}
