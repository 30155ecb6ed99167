import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnsibleOutputParser, failureReason, stripAnsi } from '../../../../electron/node/runs/ansible-output-parser';

const run = promisify(execFile);
const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'ansible');

/** Real output of Debian's ansible-playbook, coloured as a run on the deploy node is. */
let output = '';
beforeAll(async () => {
  const result = await run(
    'ansible-playbook',
    ['-i', join(fixtures, 'parser-inventory.ini'), join(fixtures, 'parser-playbook.yml')],
    {
      env: { ...process.env, ANSIBLE_FORCE_COLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '' },
    },
  ).catch((error: { stdout: string }) => error);
  output = result.stdout;
}, 60_000);

function parseInChunks(text: string, chunkSizes: () => number) {
  const parser = new AnsibleOutputParser();
  for (let at = 0; at < text.length;) {
    const size = chunkSizes();
    parser.push(text.slice(at, at + size));
    at += size;
  }
  return parser.end();
}

describe('AnsibleOutputParser on real ansible-playbook output', () => {
  it('counts each host as the PLAY RECAP does, before the recap arrives', () => {
    const digest = parseInChunks(output, () => 1 + Math.floor(Math.random() * 300));
    expect(digest.recap).toBeDefined();
    expect(digest.hosts).toEqual(digest.recap);
    expect(Object.keys(digest.recap!).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(digest.recap!.alpha).toMatchObject({ failed: 1, ignored: 1 });
    expect(digest.recap!.gamma).toMatchObject({ unreachable: 1 });
  });

  it('reads the same digest whatever the chunking, even byte by byte', () => {
    expect(parseInChunks(output, () => 1)).toEqual(parseInChunks(output, () => output.length));
  });

  it('reads the same digest without colours and with CRLF line ends', () => {
    const digest = parseInChunks(output, () => 4096);
    expect(parseInChunks(stripAnsi(output), () => 1 + Math.floor(Math.random() * 300))).toEqual(digest);
    expect(parseInChunks(output.replaceAll('\n', '\r\n'), () => 1 + Math.floor(Math.random() * 300))).toEqual(digest);
  });

  it('lists the failed tasks with host, task and reason, and not the ignored ones', () => {
    const digest = parseInChunks(output, () => 4096);
    const failures = digest.failures.map((failure) => ({
      host: failure.host,
      task: failure.task,
      kind: failure.kind,
      reason: failureReason(failure.message),
    }));
    expect(failures).toEqual([
      {
        host: 'gamma',
        task: 'Change something',
        kind: 'unreachable',
        reason: expect.stringMatching(/connect to host 127\.0\.0\.1 port 1/i),
      },
      { host: 'alpha', task: 'Fail for real on alpha', kind: 'failed', reason: 'alpha fails on purpose' },
    ]);
    expect(digest.play).toBe('Parser fixture play');
    expect(digest.tasksStarted).toBe(7);
  });

  it('takes nothing back for an ignored failure that followed an unreachable result of the same task', () => {
    const parser = new AnsibleOutputParser();
    parser.push('TASK [x] ***\nfatal: [node1]: UNREACHABLE! => {}\nfailed: [node1] => {}\n...ignoring\n');
    expect(parser.end().hosts.node1).toMatchObject({ unreachable: 1, failed: 0, ok: 0, ignored: 0 });
  });

  it("counts every included file as ok for each host it names, a loop's too", () => {
    const parser = new AnsibleOutputParser();
    parser.push(
      'TASK [os : Include distro tasks] ***\nincluded: /k/roles/os/tasks/debian.yml for node1, node2\nincluded: /k/roles/os/tasks/extra.yml for node1\n',
    );
    parser.push(
      'TASK [download : Download] ***\nincluded: /k/roles/download/tasks/file.yml for node2 => (item=kubelet)\n',
    );
    const { hosts } = parser.end();
    expect(hosts).toEqual({ node1: expect.objectContaining({ ok: 2 }), node2: expect.objectContaining({ ok: 2 }) });
  });

  it('takes only lines with counts from the recap, not the profile_tasks timings after it', () => {
    const parser = new AnsibleOutputParser();
    parser.push('PLAY RECAP ***\nnode1 : ok=2 changed=1 unreachable=0 failed=0 skipped=3 rescued=0 ignored=0\n\n');
    parser.push('Saturday 05 December 2026  16:51:07 +0000 (0:01:09.106)       0:02:56.438 *****\n=====\n');
    parser.push(
      'kubernetes/preinstall : Install packages requirements ------------------ 69.11s\nbootstrap-os : Gather facts --- 2.06s\n',
    );
    expect(Object.keys(parser.end().recap ?? {})).toEqual(['node1']);
  });

  it('counts a host the output calls __proto__ or constructor like any other, and leaves Object.prototype alone', () => {
    const parser = new AnsibleOutputParser();
    parser.push('TASK [x] ***\nok: [__proto__]\nchanged: [constructor]\nok: [node1]\n');
    const digest = parser.end();
    expect(Object.keys(digest.hosts).sort()).toEqual(['__proto__', 'constructor', 'node1']);
    expect(Object.getOwnPropertyDescriptor(digest.hosts, '__proto__')?.value).toMatchObject({ ok: 1 });
    expect(Object.getOwnPropertyDescriptor(digest.hosts, 'constructor')?.value).toMatchObject({ ok: 1, changed: 1 });
    expect(({} as Record<string, unknown>).ok).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'ok')).toBe(false);
  });
});
