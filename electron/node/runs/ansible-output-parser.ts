import type { FailedTask, HostCounts, RunDigest } from '../../common/run';

// Terminal colour and cursor codes (ESC [ ... final byte), which Ansible adds with ANSIBLE_FORCE_COLOR.
// eslint-disable-next-line no-control-regex
const ansiEscape = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
export const stripAnsi = (text: string) => text.replace(ansiEscape, '');

const outcomes = { ok: 'ok', changed: 'changed', skipping: 'skipped', rescued: 'rescued', ignored: 'ignored' } as const;
type Outcome = 'ok' | 'changed' | 'skipped' | 'rescued' | 'ignored' | 'ignored-changed' | 'failed' | 'unreachable';
const severity: Record<Outcome, number> = {
  skipped: 0,
  ok: 1,
  rescued: 1,
  changed: 2,
  ignored: 2,
  'ignored-changed': 3,
  failed: 4,
  unreachable: 5,
};

/**
 * What one task result adds to the counts, the way Ansible's recap tallies it (changed and ignored count as ok too).
 */
const tallies: Record<Outcome, readonly (keyof HostCounts)[]> = {
  ok: ['ok'],
  changed: ['ok', 'changed'],
  skipped: ['skipped'],
  rescued: ['rescued'],
  ignored: ['ok', 'ignored'],
  'ignored-changed': ['ok', 'changed', 'ignored'],
  failed: ['failed'],
  unreachable: ['unreachable'],
};

/** Adds (sign 1) or takes back (sign -1) one result, in place: this runs for every result line of a long log. */
function add(counts: HostCounts, outcome: Outcome, sign: 1 | -1): void {
  for (const key of tallies[outcome]) counts[key] += sign;
}

/**
 * The counts of `host` in `hosts`, added as its own property if need be: a host the output names "__proto__" or
 * "constructor" would otherwise reach Object.prototype (the output comes from the hosts).
 */
function ownCounts(hosts: Record<string, HostCounts>, host: string): HostCounts {
  if (!Object.hasOwn(hosts, host))
    Object.defineProperty(hosts, host, { value: emptyCounts(), enumerable: true, writable: true, configurable: true });
  return hosts[host]!;
}

const emptyCounts = (): HostCounts => ({
  ok: 0,
  changed: 0,
  unreachable: 0,
  failed: 0,
  skipped: 0,
  rescued: 0,
  ignored: 0,
});
const maxFailureMessage = 2000;
const maxFailures = 500;

/**
 * What a line can be by its first character, colours stripped: a header (P, T, R), a result (o, c, s, f, r, i), or
 * "...ignoring" once trimmed (a dot, or a character up to the space or past ASCII: where white space is). Other lines
 * (timestamps, module output) can't matter and skip the rest of the work, most of it in a long log.
 */
const headerLine = 1;
const resultLine = 2;
const ignoringLine = 3;
const asciiStarts = new Uint8Array(0x80);
for (const letter of 'PTR') asciiStarts[letter.charCodeAt(0)] = headerLine;
for (const letter of 'ocsfri') asciiStarts[letter.charCodeAt(0)] = resultLine;
for (let code = 0; code <= 0x20; code += 1) asciiStarts[code] = ignoringLine;
asciiStarts[0x2e] = ignoringLine;
const startKind = (code: number) => (code < 0x80 ? asciiStarts[code]! : ignoringLine);

/**
 * Where the code at text[at] (an ESC) ends, or -1 if ansiEscape doesn't match there: its parts share no character, so
 * no backtracking.
 */
function escapeEnd(text: string, at: number, end: number): number {
  if (text.charCodeAt(at + 1) !== 0x5b) return -1;
  let next = at + 2;
  let code = text.charCodeAt(next);
  while (next < end && ((code >= 0x30 && code <= 0x39) || code === 0x3b || code === 0x3f))
    code = text.charCodeAt(++next);
  while (next < end && code >= 0x20 && code <= 0x2f) code = text.charCodeAt(++next);
  return next < end && code >= 0x40 && code <= 0x7e ? next + 1 : -1;
}

/** Where text[from, end) ends without the carriage return of a CRLF line ending. */
const withoutCr = (text: string, from: number, end: number) =>
  end > from && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;

/**
 * How a result line starts, and what it counts as: nothing yet for a failure, whose text tells failed from unreachable.
 */
interface ResultStart {
  prefix: string;
  outcome: Outcome | undefined;
}

/** Result lines by first letter: "fatal" and "failed" share theirs, told apart by the third. */
const resultStarts: Record<number, ResultStart> = Object.fromEntries(
  (['ok', 'changed', 'skipping', 'rescued', 'ignored'] as const).map((status) => [
    status.charCodeAt(0),
    { prefix: `${status}: [`, outcome: outcomes[status] },
  ]),
);
const fatal: ResultStart = { prefix: 'fatal: [', outcome: undefined };
const failed: ResultStart = { prefix: 'failed: [', outcome: undefined };

/** How text[from, to) starts, as in "ok: [" or "fatal: [", if it is a result line. */
function resultStart(text: string, from: number, to: number): ResultStart | undefined {
  const code = text.charCodeAt(from);
  const start = code === 0x66 ? (text.charCodeAt(from + 2) === 0x74 ? fatal : failed) : resultStarts[code];
  if (start === undefined || from + start.prefix.length > to) return undefined;
  // Compared here: cheaper than a call to startsWith for these few characters.
  for (let at = 1; at < start.prefix.length; at += 1)
    if (text.charCodeAt(from + at) !== start.prefix.charCodeAt(at)) return undefined;
  return start;
}

/** What "." doesn't match; global, to search from a given index. */
const lineTerminator = /[\n\r\u2028\u2029]/g;

/** The host inside "ok: [node1]" or "ok: [node1 -> node2]" (a delegated task counts for the first). */
const hostOf = (bracketed: string) =>
  bracketed.includes(' -> ') ? bracketed.split(' -> ')[0]!.trim() : bracketed.trim();

/** The hash readResult computes of a host's name as it scans the line for "]". */
function hashOf(host: string): number {
  let hash = 0;
  for (let at = 0; at < host.length; at += 1) hash = (Math.imul(hash, 31) + host.charCodeAt(at)) | 0;
  return hash;
}

/** A host's counts in the digest, and how its result was counted in `section` (the lines after one header). */
interface HostState {
  host: string;
  counts: HostCounts;
  outcome: Outcome | undefined;
  section: number;
  /** The last section (task) in which a file was included for the host. */
  included?: number;
}

/**
 * Reads Ansible's default stdout callback as it streams (any chunking, colours or not) and keeps the digest the UI
 * shows: current play and task, per-host counts, failed tasks with their messages, and the final recap.
 */
export class AnsibleOutputParser {
  private partial = '';
  private readonly digest: RunDigest = { tasksStarted: 0, hosts: {}, failures: [] };
  private inRecap = false;
  /** By host: one lookup per result line. A host counts once per task though loops print a line per item. */
  private readonly hostStates = new Map<string, HostState>();
  /** The same states by a hash of the host's name, so that a result line finds its host without slicing the name. */
  private readonly hostsByHash = new Map<number, HostState>();
  /** Headers read: a host's outcome counts for the current task only while its section is this one. */
  private section = 0;
  /** A FAILED!/UNREACHABLE! result may continue on the lines after it (multi-line JSON). */
  private openFailure: FailedTask | undefined;

  constructor(tasksPlanned?: number) {
    if (tasksPlanned !== undefined) this.plan(tasksPlanned);
  }

  /** The tasks the run is expected to go through (ansible-playbook --list-tasks), for a progress estimate. */
  plan(tasksPlanned: number): void {
    this.digest.tasksPlanned = tasksPlanned;
  }

  push(chunk: string): void {
    const last = chunk.lastIndexOf('\n');
    if (last < 0) {
      this.partial += chunk;
      return;
    }
    let from = 0;
    if (this.partial) {
      // The held-back line ends in this chunk: join just that line, not the whole chunk.
      from = chunk.indexOf('\n') + 1;
      const line = this.partial + chunk.slice(0, from);
      this.partial = '';
      this.readLines(line, 0, line.length);
    }
    this.readLines(chunk, from, last + 1);
    this.partial = chunk.slice(last + 1);
  }

  /**
   * Reads the complete lines of text[from, to) (to just past a line feed). Most lines of a long log (timestamps,
   * blank lines, module output) can't matter: judged by their first character after any leading colour codes, they
   * are skipped without being sliced or stripped.
   */
  private readLines(text: string, from: number, to: number): void {
    // The first ESC at or after a position already passed: searched for again only once a read line goes past it.
    let escape = -1;
    for (let start = from; start < to;) {
      const end = text.indexOf('\n', start);
      let first = start;
      while (text.charCodeAt(first) === 0x1b) {
        const after = escapeEnd(text, first, end);
        if (after < 0) break;
        first = after;
      }
      if (this.openFailure || this.inRecap || (first < end && startKind(text.charCodeAt(first)) !== 0)) {
        if (escape < first) {
          escape = text.indexOf('\x1b', first);
          if (escape < 0) escape = to;
        }
        if (escape >= end) this.readLine(text, first, withoutCr(text, first, end));
        else {
          // The usual coloured line, "ESC[0;32mok: [node1]ESC[0m": colours only around its text, read in place.
          let tail = escape;
          while (text.charCodeAt(tail) === 0x1b) {
            const after = escapeEnd(text, tail, end);
            if (after < 0) break;
            tail = after;
          }
          if (tail === end) this.readLine(text, first, withoutCr(text, first, escape));
          else if (tail === end - 1 && text.charCodeAt(tail) === 0x0d) this.readLine(text, first, escape);
          else {
            const line = stripAnsi(text.slice(first, end));
            this.readLine(line, 0, withoutCr(line, 0, line.length));
          }
        }
      }
      start = end + 1;
    }
  }

  /** Flushes a last line without a newline. */
  end(): RunDigest {
    if (this.partial) {
      const line = stripAnsi(this.partial);
      this.readLine(line, 0, line.length);
    }
    this.partial = '';
    return this.snapshot();
  }

  snapshot(): RunDigest {
    return structuredClone(this.digest);
  }

  /** Reads one line, text[from, to), colours and line ending taken off; sliced only where a string is needed. */
  private readLine(text: string, from: number, to: number): void {
    if (this.openFailure) {
      const code = text.charCodeAt(from);
      if (from < to && (code === 0x20 || code === 0x7d || code === 0x09)) {
        if (this.openFailure.message.length < maxFailureMessage)
          this.openFailure.message = `${this.openFailure.message}\n${text.slice(from, to)}`.slice(0, maxFailureMessage);
        return;
      }
      this.openFailure = undefined;
    }
    // An empty line is neither header, recap, "...ignoring" nor result.
    if (from === to) return;
    const kind = startKind(text.charCodeAt(from));
    const header =
      kind === headerLine
        ? /^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP) ?(?:\[(.*)\])? ?\**$/.exec(text.slice(from, to))
        : null;
    if (header) {
      const [, kind, name = ''] = header;
      this.inRecap = kind === 'PLAY RECAP';
      if (kind === 'PLAY') this.digest.play = name;
      if (kind === 'TASK' || kind === 'RUNNING HANDLER') {
        this.digest.task = name;
        this.digest.tasksStarted += 1;
      }
      this.section += 1;
      return;
    }
    if (this.inRecap) {
      // Only lines with counts: kubespray's ansible.cfg adds profile_tasks, whose timings ("role : Task --- 2.04s")
      // follow.
      const recap = /^(\S+)\s*:\s*(ok=\d+.*)$/.exec(text.slice(from, to));
      if (!recap) return;
      const counts = emptyCounts();
      for (const [, key, value] of recap[2]!.matchAll(/(\w+)=(\d+)/g)) {
        if (key! in counts) counts[key as keyof HostCounts] = Number(value);
      }
      this.digest.recap = { ...this.digest.recap, [recap[1]!]: counts };
      return;
    }
    if (kind === ignoringLine) {
      if (text.slice(from, to).trim() === '...ignoring') this.ignoreLastFailure();
      return;
    }
    if (kind === resultLine) {
      if (text.startsWith('included: ', from)) this.readIncluded(text.slice(from, to));
      else this.readResult(text, from, to);
    }
  }

  /**
   * "included: FILE for node1, node2" (with " => (item=…)" in a loop): Ansible's recap counts every included file
   * as ok for each host, a loop's too.
   */
  private readIncluded(line: string): void {
    const hosts = line
      .slice(line.lastIndexOf(' for ') + 5)
      .split(' => ')[0]!
      .split(', ');
    for (const host of hosts) {
      if (!host) continue;
      const state = this.hostState(host, 0, host.length, hashOf(host));
      add(state.counts, 'ok', 1);
      // An include loop that skipped some items and included others is no skip for the host (Ansible counts a
      // loop as skipped only when every item was): take back the skip its skipped items counted.
      if (state.section === this.section && state.outcome === 'skipped') {
        add(state.counts, 'skipped', -1);
        state.outcome = undefined;
      }
      state.included = this.section;
    }
  }

  /**
   * By hand, what /^(ok|changed|skipping|fatal|failed|rescued|ignored): \[([^\]]+)\](?::? ?(.*))?$/ matched on the
   * line: the regular expression and the line's slice were most of the cost of a result line.
   */
  private readResult(text: string, from: number, to: number): void {
    const start = resultStart(text, from, to);
    if (start === undefined) return;
    const open = from + start.prefix.length;
    let close = open;
    let hash = 0;
    for (let code = text.charCodeAt(close); close < to && code !== 0x5d; code = text.charCodeAt(++close))
      hash = (Math.imul(hash, 31) + code) | 0;
    // The host is one character or more, and "." takes what follows it up to the end of the line.
    if (close === open || close === to) return;
    if (close + 1 < to) {
      lineTerminator.lastIndex = close + 1;
      if (lineTerminator.test(text) && lineTerminator.lastIndex <= to) return;
    }
    const state = this.hostState(text, open, close, hash);
    if (start.outcome !== undefined) {
      this.count(state, start.outcome);
      return;
    }
    let restStart = close + 1;
    if (restStart < to && text.charCodeAt(restStart) === 0x3a) restStart += 1;
    if (restStart < to && text.charCodeAt(restStart) === 0x20) restStart += 1;
    const rest = text.slice(restStart, to);
    const unreachable = rest.includes('UNREACHABLE!');
    this.count(state, unreachable ? 'unreachable' : 'failed');
    // A host that vanishes mid-task is "FAILED! … Failed to connect to the host via ssh" to Ansible, and counted as
    // failed in its recap; the operator is told what it is: the host became unreachable.
    const lostConnection = unreachable || rest.includes('Failed to connect to the host via ssh');
    this.recordFailure(state.host, lostConnection ? 'unreachable' : 'failed', rest);
  }

  /** The state of the host named by text[open, close), whose hash is `hash`. */
  private hostState(text: string, open: number, close: number, hash: number): HostState {
    const known = this.hostsByHash.get(hash);
    if (known !== undefined && known.host.length === close - open && text.startsWith(known.host, open)) return known;
    const bracketed = text.slice(open, close);
    const host = hostOf(bracketed);
    let state = this.hostStates.get(host);
    // Looked up once: digest.hosts[host] is the same object on every later lookup.
    if (state === undefined)
      this.hostStates.set(
        host,
        (state = { host, counts: ownCounts(this.digest.hosts, host), outcome: undefined, section: -1 }),
      );
    // Only a name written as is (not "node1 -> node2", nor padded) is found again by its text.
    if (host === bracketed) this.hostsByHash.set(hash, state);
    return state;
  }

  /** Counts a host once per task, keeping its worst result (a loop prints a line per item). */
  private count(state: HostState, outcome: Outcome): void {
    if (outcome === 'skipped' && state.included === this.section) return;
    const previous = state.section === this.section ? state.outcome : undefined;
    if (previous !== undefined && severity[previous] >= severity[outcome]) return;
    if (previous !== undefined) add(state.counts, previous, -1);
    add(state.counts, outcome, 1);
    state.outcome = outcome;
    state.section = this.section;
  }

  /** "...ignoring" follows a failure that ignore_errors absorbed: it counts as ok (and changed, if it changed). */
  private ignoreLastFailure(): void {
    const failure = this.digest.failures.at(-1);
    if (!failure || failure.kind !== 'failed') return;
    this.digest.failures.pop();
    this.openFailure = undefined;
    // A failure after a worse result of the same task (unreachable) was never counted: nothing to take back.
    const state = this.hostStates.get(failure.host);
    if (state?.section !== this.section || state.outcome !== 'failed') return;
    const changed = /"changed": true/.test(failure.message);
    state.counts.failed -= 1;
    state.outcome = changed ? 'ignored-changed' : 'ignored';
    add(state.counts, state.outcome, 1);
  }

  private recordFailure(host: string, kind: FailedTask['kind'], rest: string): void {
    const json = rest.replace(/^(?:\(item=.*?\) )?(?:FAILED!|UNREACHABLE!) => /, '');
    const failure: FailedTask = {
      host,
      play: this.digest.play ?? '',
      task: this.digest.task ?? '',
      kind,
      message: json.slice(0, maxFailureMessage),
    };
    if (this.digest.failures.length < maxFailures) this.digest.failures.push(failure);
    this.openFailure = json.trim().endsWith('{') ? failure : undefined;
  }
}

// Lives in common so the UI names a failure's reason the same way the CLI and the report do.
export { failureReason } from '../../common/run-failure-reason';
