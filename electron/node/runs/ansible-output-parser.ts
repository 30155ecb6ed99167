import type { FailedTask, HostCounts, RunDigest } from '../../common/run';

// Terminal colour and cursor codes (ESC [ ... final byte), which Ansible adds with ANSIBLE_FORCE_COLOR.
// eslint-disable-next-line no-control-regex
const ansiEscape = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
export const stripAnsi = (text: string) => text.replace(ansiEscape, '');

type Outcome = 'ok' | 'changed' | 'skipped' | 'rescued' | 'ignored' | 'ignored-changed' | 'failed' | 'unreachable';
const severity: Record<Outcome, number> = { skipped: 0, ok: 1, rescued: 1, changed: 2, ignored: 2, 'ignored-changed': 3, failed: 4, unreachable: 5 };

/** What one task result adds to the counts, the way Ansible's recap tallies it (changed and ignored count as ok too). */
function contribution(outcome: Outcome): Partial<HostCounts> {
  switch (outcome) {
    case 'ok':
      return { ok: 1 };
    case 'changed':
      return { ok: 1, changed: 1 };
    case 'skipped':
      return { skipped: 1 };
    case 'rescued':
      return { rescued: 1 };
    case 'ignored':
      return { ok: 1, ignored: 1 };
    case 'ignored-changed':
      return { ok: 1, changed: 1, ignored: 1 };
    case 'failed':
      return { failed: 1 };
    case 'unreachable':
      return { unreachable: 1 };
  }
}

/** Each outcome's contribution as key-value pairs, made once: counting runs for every result line of a long log. */
const contributions = new Map((Object.keys(severity) as Outcome[]).map((outcome) => [outcome, Object.entries(contribution(outcome)) as [keyof HostCounts, number][]]));

/** Adds (sign 1) or takes back (sign -1) what `outcome` contributes to `counts`. */
function add(counts: HostCounts, outcome: Outcome, sign: 1 | -1): void {
  for (const [key, value] of contributions.get(outcome)!) counts[key] += sign * value;
}

const emptyCounts = (): HostCounts => ({ ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
const maxFailureMessage = 2000;
const maxFailures = 500;

/** First letters of the lines the parser reads (headers, results), so other lines skip the regular expressions. */
const headerStarts = new Set([...'PTR'].map((letter) => letter.charCodeAt(0)));
const resultStarts = new Set([...'ocsfri'].map((letter) => letter.charCodeAt(0)));

const outcomes: Record<string, Outcome> = { ok: 'ok', changed: 'changed', skipping: 'skipped', rescued: 'rescued', ignored: 'ignored' };

/** The host inside "ok: [node1]" or "ok: [node1 -> node2]" (a delegated task counts for the first). */
const hostOf = (bracketed: string) => (bracketed.includes(' -> ') ? bracketed.split(' -> ')[0]!.trim() : bracketed.trim());

/**
 * Reads Ansible's default stdout callback as it streams (any chunking, colours or not) and keeps the digest the UI
 * shows: current play and task, per-host counts, failed tasks with their messages, and the final recap.
 */
export class AnsibleOutputParser {
  private partial = '';
  private readonly digest: RunDigest = { tasksStarted: 0, hosts: {}, failures: [] };
  private inRecap = false;
  /** How each host's result for the current task was counted: loops print one line per item, the recap one per task. */
  private readonly countedThisTask = new Map<string, Outcome>();
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
    const text = this.partial + chunk;
    const end = text.lastIndexOf('\n');
    this.partial = text.slice(end + 1);
    if (end < 0) return;
    // Colours never span a line feed: the complete lines lose theirs in one pass, cheaper than one per line.
    const complete = text.slice(0, end);
    for (const line of (complete.includes('\x1b') ? stripAnsi(complete) : complete).split('\n')) this.readLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  /** Flushes a last line without a newline. */
  end(): RunDigest {
    if (this.partial) this.readLine(stripAnsi(this.partial));
    this.partial = '';
    return this.snapshot();
  }

  snapshot(): RunDigest {
    return structuredClone(this.digest);
  }

  private counts(host: string): HostCounts {
    return (this.digest.hosts[host] ??= emptyCounts());
  }

  private readLine(line: string): void {
    if (this.openFailure) {
      if (line.startsWith(' ') || line.startsWith('}') || line.startsWith('\t')) {
        if (this.openFailure.message.length < maxFailureMessage) this.openFailure.message = `${this.openFailure.message}\n${line}`.slice(0, maxFailureMessage);
        return;
      }
      this.openFailure = undefined;
    }
    const header = headerStarts.has(line.charCodeAt(0)) ? /^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP) ?(?:\[(.*)\])? ?\**$/.exec(line) : null;
    if (header) {
      const [, kind, name = ''] = header;
      this.inRecap = kind === 'PLAY RECAP';
      if (kind === 'PLAY') this.digest.play = name;
      if (kind === 'TASK' || kind === 'RUNNING HANDLER') {
        this.digest.task = name;
        this.digest.tasksStarted += 1;
      }
      this.countedThisTask.clear();
      return;
    }
    if (this.inRecap) {
      const recap = /^(\S+)\s*:\s*(.*)$/.exec(line);
      if (!recap) return;
      const counts = emptyCounts();
      for (const [, key, value] of recap[2]!.matchAll(/(\w+)=(\d+)/g)) {
        if (key! in counts) counts[key as keyof HostCounts] = Number(value);
      }
      this.digest.recap = { ...this.digest.recap, [recap[1]!]: counts };
      return;
    }
    if (line.trim() === '...ignoring') {
      this.ignoreLastFailure();
      return;
    }
    const result = resultStarts.has(line.charCodeAt(0)) ? /^(ok|changed|skipping|fatal|failed|rescued|ignored): \[([^\]]+)\](?::? ?(.*))?$/.exec(line) : null;
    if (!result) return;
    const [, status, bracketed, rest = ''] = result;
    const host = hostOf(bracketed!);
    if (status === 'fatal' || status === 'failed') {
      const unreachable = rest.includes('UNREACHABLE!');
      this.count(host, unreachable ? 'unreachable' : 'failed');
      // A host that vanishes mid-task is "FAILED! … Failed to connect to the host via ssh" to Ansible, and counted as
      // failed in its recap; the operator is told what it is: the host became unreachable.
      const lostConnection = unreachable || rest.includes('Failed to connect to the host via ssh');
      this.recordFailure(host, lostConnection ? 'unreachable' : 'failed', rest);
      return;
    }
    this.count(host, outcomes[status!]!);
  }

  /** Counts a host once per task, keeping its worst result (a loop prints a line per item). */
  private count(host: string, outcome: Outcome): void {
    const previous = this.countedThisTask.get(host);
    if (previous !== undefined && severity[previous] >= severity[outcome]) return;
    const counts = this.counts(host);
    if (previous !== undefined) add(counts, previous, -1);
    add(counts, outcome, 1);
    this.countedThisTask.set(host, outcome);
  }

  /** "...ignoring" follows a failure that ignore_errors absorbed: it counts as ok (and changed, if it changed). */
  private ignoreLastFailure(): void {
    const failure = this.digest.failures.at(-1);
    if (!failure || failure.kind !== 'failed') return;
    this.digest.failures.pop();
    this.openFailure = undefined;
    // A failure after a worse result of the same task (unreachable) was never counted: nothing to take back.
    if (this.countedThisTask.get(failure.host) !== 'failed') return;
    const changed = /"changed": true/.test(failure.message);
    this.countedThisTask.delete(failure.host);
    const counts = this.counts(failure.host);
    counts.failed -= 1;
    add(counts, changed ? 'ignored-changed' : 'ignored', 1);
    this.countedThisTask.set(failure.host, changed ? 'ignored-changed' : 'ignored');
  }

  private recordFailure(host: string, kind: FailedTask['kind'], rest: string): void {
    const json = rest.replace(/^(?:\(item=.*?\) )?(?:FAILED!|UNREACHABLE!) => /, '');
    const failure: FailedTask = { host, play: this.digest.play ?? '', task: this.digest.task ?? '', kind, message: json.slice(0, maxFailureMessage) };
    if (this.digest.failures.length < maxFailures) this.digest.failures.push(failure);
    this.openFailure = json.trim().endsWith('{') ? failure : undefined;
  }
}

// Lives in common so the UI names a failure's reason the same way the CLI and the report do.
export { failureReason } from '../../common/run-failure-reason';
