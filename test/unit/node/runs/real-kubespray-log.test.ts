import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnsibleOutputParser, failureReason, stripAnsi } from '../../../../electron/node/runs/ansible-output-parser';
import { countListedTasks } from '../../../../electron/node/runs/ansible-runtime';
import { createRunDigester } from '../../../../electron/node/runs/run-digester';
import { repoRoot } from '../../../support/airspray-serve';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'ansible');
/**
 * The real kubespray v2.23.3 cluster.yml with --tags bootstrap-os,preinstall on lab hosts lab2 and lab3 (see
 * docs/real-kubespray.md), as a run on the deploy node prints it: colours on, skipped hosts shown, profile_tasks on.
 */
const log = readFileSync(join(fixtures, 'kubespray-2.23.3-bootstrap-os-preinstall.log'), 'utf8');
/** `ansible-playbook --list-hosts --list-tasks` of the same run, as the run's start lists it for the estimate. */
const listing = readFileSync(join(fixtures, 'kubespray-2.23.3-bootstrap-os-preinstall.list-tasks.txt'), 'utf8');

function parseInChunks(text: string, size: (at: number) => number, tasksPlanned?: number) {
  const parser = new AnsibleOutputParser(tasksPlanned);
  for (let at = 0; at < text.length;) {
    const next = at + size(at);
    parser.push(text.slice(at, next));
    at = next;
  }
  return parser.end();
}

/** The PLAY RECAP as the log itself prints it, read here with a regular expression of its own. */
function recapInLog(): Record<string, Record<string, number>> {
  const recap = stripAnsi(log).split('PLAY RECAP')[1]!;
  const hosts: Record<string, Record<string, number>> = {};
  for (const [, host, counts] of recap.matchAll(/^(\S+)\s+:\s+(ok=.*)$/gm)) {
    hosts[host!] = Object.fromEntries(
      [...counts!.matchAll(/(\w+)=(\d+)/g)].map(([, key, value]) => [key!, Number(value)]),
    );
  }
  return hosts;
}

describe('the parser on the real kubespray log', () => {
  const digest = parseInChunks(log, (at) => 1 + ((at * 7919) % 4093));

  it('reads the recap the log prints, and nothing of the task timings after it', () => {
    const zero = { unreachable: 0, failed: 0, rescued: 0, ignored: 0 };
    // As the log's PLAY RECAP prints it.
    expect(recapInLog()).toEqual({
      lab2: { ok: 126, changed: 16, skipped: 244, ...zero },
      lab3: { ok: 91, changed: 16, skipped: 191, ...zero },
      localhost: { ok: 3, changed: 0, skipped: 0, ...zero },
    });
    expect(digest.recap).toEqual(recapInLog());
  });

  it('counts every host as the recap does before the recap arrives, include_tasks as ok', () => {
    const beforeRecap = parseInChunks(log.slice(0, log.indexOf('PLAY RECAP')), () => 65_536);
    expect(beforeRecap.recap).toBeUndefined();
    expect(beforeRecap.hosts).toEqual(digest.recap);
    expect(log).toMatch(/included: .*bootstrap-debian\.yml for lab2, lab3/);
  });

  it('gives the same digest in any chunking, colours or not', () => {
    expect(parseInChunks(log, () => 1)).toEqual(digest);
    expect(parseInChunks(stripAnsi(log), () => 8192)).toEqual(digest);
  });

  it('lists no failure, and ends on the last task of preinstall', () => {
    expect(digest.failures.map((failure) => `${failure.host}: ${failureReason(failure.message)}`)).toEqual([]);
    expect(digest.task).toMatch(/^kubernetes\/preinstall : /);
  });

  it('estimates progress from the listed tasks: every listed task of a host-matching play gets its header', () => {
    const planned = countListedTasks(listing);
    expect(planned).toBeGreaterThan(100);
    const headers = stripAnsi(log).match(/^(TASK|RUNNING HANDLER) \[/gm)!.length;
    expect(parseInChunks(log, () => 65_536, planned)).toMatchObject({ tasksPlanned: planned, tasksStarted: headers });
    // include_tasks adds headers the listing cannot know: the estimate reaches its end, never falls short of it.
    expect(headers).toBeGreaterThanOrEqual(planned);
  });

  it("the run digester (this thread) gives the parser's digest of the whole log", async () => {
    const digester = createRunDigester(
      countListedTasks(listing),
      () => undefined,
      join(repoRoot, 'no-such-worker.cjs'),
    );
    const data = Buffer.from(log);
    for (let at = 0; at < data.length; at += 3001) digester.push(data.subarray(at, at + 3001));
    expect(await digester.end()).toEqual(parseInChunks(log, () => log.length, countListedTasks(listing)));
  });
});

describe('the parser on the real kubespray log of a run through airspray run', () => {
  /**
   * cluster.yml --tags bootstrap-os,preinstall,download on lab2 and lab3, by
   * test/integration/real-kubespray-run.test.ts.
   */
  const runLog = readFileSync(join(fixtures, 'kubespray-2.23.3-airspray-run.log'), 'utf8');
  const digest = parseInChunks(runLog, (at) => 1 + ((at * 104_729) % 8191));

  it('reads the recap the log prints: every task passed on both hosts, downloads included', () => {
    const zero = { unreachable: 0, failed: 0, rescued: 0, ignored: 0 };
    expect(digest.recap).toEqual({
      lab2: { ok: 245, changed: 33, skipped: 402, ...zero },
      lab3: { ok: 169, changed: 27, skipped: 253, ...zero },
      localhost: { ok: 3, changed: 0, skipped: 0, ...zero },
    });
    expect(digest.failures).toEqual([]);
    expect(stripAnsi(runLog)).toMatch(/^TASK \[download : Download_file \| Download item\]/m);
  });

  it('gives the same digest in any chunking, colours or not', () => {
    expect(parseInChunks(stripAnsi(runLog), () => 65_536)).toEqual(digest);
  });

  it('keeps per-host counts while the log streams that end equal to the recap Ansible prints', () => {
    // The download role's include loop skips most items and includes the others: no skip for the host.
    expect(digest.hosts).toEqual(digest.recap);
  });
});

describe('an include loop that skips some items', () => {
  const section = (lines: string[]) =>
    ['', 'TASK [download : Download | Download files / images] ***', ...lines, ''].join('\n');
  const parse = (text: string) => parseInChunks(text, () => 17).hosts;

  it('counts the included files as ok and no skip when other items were included', () => {
    const text = section([
      "skipping: [n1] => (item={'key': 'cilium'}) ",
      'included: /k/roles/download/tasks/download_file.yml for n1 => (item=etcd)',
      "skipping: [n1] => (item={'key': 'flannel'}) ",
      'included: /k/roles/download/tasks/download_file.yml for n1 => (item=kubectl)',
    ]);
    expect(parse(text).n1).toMatchObject({ ok: 2, skipped: 0 });
  });

  it('counts one skip when every item was skipped', () => {
    const text = section([
      "skipping: [n1] => (item={'key': 'cilium'}) ",
      "skipping: [n1] => (item={'key': 'flannel'}) ",
      'skipping: [n1]',
    ]);
    expect(parse(text).n1).toMatchObject({ ok: 0, skipped: 1 });
  });
});
