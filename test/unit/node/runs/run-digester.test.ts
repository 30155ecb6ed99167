import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnsibleOutputParser } from '../../../../electron/node/runs/ansible-output-parser';
import { createRunDigester, type RunDigester } from '../../../../electron/node/runs/run-digester';
import { kubesprayLog } from '../../../support/kubespray-log';
import { repoRoot } from '../../../support/airspray-serve';

// npm test builds before it tests: the worker's script is the one the CLI and airspray serve run.
const builtWorker = join(repoRoot, 'dist', 'run-digest-worker.cjs');

const failingLog = [
  'PLAY [Deploy] ******',
  'TASK [Copy] ******',
  'ok: [node1]',
  'fatal: [node2]: FAILED! => {"changed": false, "msg": "no space left on device — écrit à moitié"}',
  'fatal: [node3]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh"}',
  '',
  'PLAY RECAP ******',
  'node1 : ok=1    changed=0    unreachable=0    failed=0',
  'node2 : ok=0    changed=0    unreachable=0    failed=1',
  'node3 : ok=0    changed=0    unreachable=1    failed=0',
  '',
].join('\n');

function expected(log: string, tasksPlanned?: number) {
  const parser = new AnsibleOutputParser(tasksPlanned);
  parser.push(log);
  return parser.end();
}

/** Pushes `log` in pieces that cut characters in two (UTF-8) and ends the digester. */
async function digestInPieces(digester: RunDigester, log: string) {
  const data = Buffer.from(log);
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 65_537 || 1)
    digester.push(data.subarray(at, at + size));
  return digester.end();
}

describe('run digesters', () => {
  const log = `${kubesprayLog(3 * 1024 * 1024)}${failingLog}`;

  it("in this thread: the digest of output pushed in any pieces is the parser's of the whole, and updates follow the output", async () => {
    let updates = 0;
    const digester = createRunDigester(40, () => updates++, join(repoRoot, 'no-such-worker.cjs'));
    expect(await digestInPieces(digester, log)).toEqual(expected(log, 40));
    expect(updates).toBeGreaterThan(0);
  });

  it('on the built worker thread, at the lowest priority: the same digest, with the plan given on the way', async () => {
    expect(existsSync(builtWorker), `${builtWorker} is missing: run npm run build`).toBe(true);
    // The nice value is field 19 of a thread's stat, the 17th after the command's closing parenthesis.
    const threadsAtNice19 = () =>
      readdirSync('/proc/self/task').filter(
        (task) => readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16] === '19',
      ).length;
    const before = threadsAtNice19();
    let updates = 0;
    const digester = createRunDigester(undefined, () => updates++, builtWorker);
    digester.plan(12);
    await expect.poll(threadsAtNice19).toBe(before + 1);
    expect(digester.snapshot().tasksPlanned).toBe(12);
    expect(await digestInPieces(digester, log)).toEqual(expected(log, 12));
    expect(updates).toBeGreaterThan(0);
    // At nice 19 the worker gets what a busy machine leaves: seconds on an idle one, minutes beside a CPU hog.
  }, 300_000);

  it('on the worker, output handed over moves there uncopied when its memory is its own, and is copied when shared', async () => {
    const digester = createRunDigester(undefined, () => undefined, builtWorker);
    const whole = Buffer.from(log);
    const own = Buffer.concat([whole.subarray(0, 1_000_000), whole.subarray(1_000_000, 2_000_000)]);
    const sharedOwner = Buffer.from(whole.subarray(2_000_000));
    const shared = sharedOwner.subarray(0, 1000);
    const small = Buffer.from(whole.subarray(2_001_000, 2_001_100));
    digester.push(own, true);
    digester.push(shared, true);
    digester.push(small, true);
    digester.push(sharedOwner.subarray(1100), false);
    // Moved: the caller's view of it is empty now. A slice, or a buffer of Node's pool, stays.
    expect(own.length).toBe(0);
    expect(shared.length).toBe(1000);
    expect(small.length).toBe(100);
    expect(await digester.end()).toEqual(expected(log));
  }, 300_000);
});
