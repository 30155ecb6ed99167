/** One numeric range of a host pattern, `[01:20]` at `index`; `width` > 0 keeps that many digits. */
export interface HostRange {
  whole: string;
  index: number;
  start: number;
  end: number;
  width: number;
}

/** Ansible's numeric range `[01:20]` (global: for matchAll and replace, which do not keep its lastIndex). */
export const hostRangePattern = /\[(\d+):(\d+)\]/g;

/**
 * The ranges of a host pattern, in order, written as Ansible writes them (`node[01:20]`, `10.0.0.[11:15]`): a start
 * written with a leading zero fixes the width, as Ansible expands it. The CLI's HOST arguments expand them, the
 * window's host filter matches them; a range that runs backwards is each caller's to refuse.
 */
export function hostRanges(pattern: string): HostRange[] {
  return [...pattern.matchAll(hostRangePattern)].map((match) => {
    const [whole, startText = '', endText = ''] = match;
    return {
      whole,
      index: match.index,
      start: Number(startText),
      end: Number(endText),
      width: startText.startsWith('0') ? startText.length : 0,
    };
  });
}

/** A glob as regular-expression source: `*` any run of characters, `?` one, everything else itself. */
export const globSource = (glob: string) =>
  glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
