/** The byte offsets, in a terminal's input, between which whole lines can go unparsed (see PlainLineIndex.plan). */
export interface JumpScrollPlan {
  /** The first line start at or after the terminal's position: bytes up to here are written as they are. */
  from: number;
  /** Where writing goes on, a line start whose colours are the defaults: bytes from `from` to here are skipped. */
  to: number;
}

/** Switches every SGR attribute back to the default: written where skipped lines would have left the colours. */
export const sgrReset = new TextEncoder().encode('\x1b[0m');

const enum Escape {
  None,
  Started,
  Csi,
}

/**
 * Indexes the line starts of a terminal's input for jump scroll. A line that is followed by more lines than the
 * terminal keeps (scrollback + rows) scrolls out before it is ever seen, so parsing it changes nothing, provided the
 * input only prints text, moves within its line (CR, tab) and sets colours (SGR): nothing that survives the line
 * (cursor moves up, scroll regions, modes, charsets, titles). The index records line starts only while the input
 * has been that plain from its first byte on; once anything else comes, no later line start is ever offered.
 */
export class PlainLineIndex {
  private plain = true;
  private escape = Escape.None;
  /** Whether the SGR sequence being read only resets (ESC[m, ESC[0m). */
  private resetOnly = true;
  /** Whether the colours are the defaults; conservative: only a reset makes it so. */
  private defaultColours = true;
  private previous = 0;
  private scanned = 0;
  /** Offsets just after each line feed; negative where the colours were not the defaults there. */
  private lineStarts: number[] = [];
  private first = 0;

  /** Reads the next bytes of the terminal's input. */
  scan(bytes: Uint8Array): void {
    for (let index = 0; index < bytes.length && this.plain; index++) {
      const byte = bytes[index]!;
      if (this.escape === Escape.Started) {
        this.escape = Escape.Csi;
        this.resetOnly = true;
        if (byte !== 0x5b) this.plain = false;
      } else if (this.escape === Escape.Csi) {
        if (byte === 0x6d) {
          this.escape = Escape.None;
          this.defaultColours = this.resetOnly;
        } else if (byte >= 0x30 && byte <= 0x3b) {
          if (byte !== 0x30) this.resetOnly = false;
        } else {
          this.plain = false;
        }
      } else if (byte === 0x1b) {
        this.escape = Escape.Started;
      } else if (byte === 0x0a) {
        const start = this.scanned + index + 1;
        this.lineStarts.push(this.defaultColours ? start : -start);
      } else if (
        (byte < 0x20 && byte !== 0x0d && byte !== 0x09) ||
        byte === 0x7f ||
        (this.previous === 0xc2 && byte >= 0x80 && byte <= 0x9f)
      ) {
        // Other C0 controls, DEL, and C1 controls (U+0080-U+009F in UTF-8) may change state beyond the line.
        this.plain = false;
      }
      this.previous = byte;
    }
    this.scanned += bytes.length;
  }

  /**
   * Passes over `count` input bytes left out before they got here: whole plain lines (the input stays plain) ending
   * where the colours are the defaults. No line start is recorded inside them.
   */
  skip(count: number): void {
    this.scanned += count;
    this.escape = Escape.None;
    this.defaultColours = true;
    this.previous = 0x0a;
  }

  /**
   * Lines from `position` on that scroll out before they could be seen, when the last `keepLines` lines are
   * written: undefined when there are none (too few lines waiting, or input that is not plain).
   */
  plan(position: number, keepLines: number): JumpScrollPlan | undefined {
    this.forget(position);
    const from = this.lineStarts[this.first];
    if (from === undefined) return undefined;
    // Line starts followed by at least keepLines line feeds; the latest one with default colours, looked for among a
    // bounded number so input that never resets its colours costs little.
    const latest = this.lineStarts.length - 1 - keepLines;
    for (let index = latest; index > this.first && index > latest - 4096; index--) {
      const start = this.lineStarts[index]!;
      if (start > 0) return { from: Math.abs(from), to: start };
    }
    return undefined;
  }

  /** Drops line starts before `position`: the terminal is past them. */
  private forget(position: number): void {
    while (this.first < this.lineStarts.length && Math.abs(this.lineStarts[this.first]!) < position) this.first++;
    if (this.first > 65_536 && this.first * 2 > this.lineStarts.length) {
      this.lineStarts = this.lineStarts.slice(this.first);
      this.first = 0;
    }
  }
}
