import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quoteShellArg } from '../../../../electron/node/ssh/shell-quote';
import {
  encodeFrameHeader,
  receiverCommand,
  ReplyReader,
  type FrameHeader,
  type NodeState,
  type ReceiverReply,
} from '../../../../electron/node/deploy/bundle-receiver';

// The receiver runs on the deploy node; here it runs under this machine's own python3 and sh, the same programs.
type FrameReply = Exclude<ReceiverReply, { kind: 'state' }>;

function runReceiver(
  destination: string,
  mode: 'receive' | 'hash',
  input: Buffer,
  umask = '022',
): Promise<{ code: number | null; stdout: string; stderr: string; state?: NodeState; replies: FrameReply[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `umask ${umask}; ${receiverCommand(destination, mode, '.airspray-push')}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const reader = new ReplyReader();
    const replies: FrameReply[] = [];
    let state: NodeState | undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const reply of reader.push(chunk)) {
        if (reply.kind === 'state') state = reply.state;
        else replies.push(reply);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, replies, ...(state ? { state } : {}) }));
    child.stdin.end(input);
  });
}

const frame = (header: FrameHeader, body: Buffer) => Buffer.concat([encodeFrameHeader(header), body]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('bundle receiver (python3 on the deploy node)', () => {
  it('runs bundle-receiver.py as it is in the tree, whole, with python3 in isolated mode', async () => {
    const program = await readFile(
      join(import.meta.dirname, '../../../../electron/node/deploy/bundle-receiver.py'),
      'utf8',
    );
    expect(program).toMatch(/^def receive\(/m);
    expect(receiverCommand('/var/lib/airspray/bundles/b', 'receive', '.airspray-push')).toContain(
      `exec python3 -I -S -c ${quoteShellArg(program)} receive '.airspray-push'`,
    );
  });

  it('writes frames at their offsets, acknowledges each once written, and hashes each file when complete', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    const large = randomBytes(3 * 1024 * 1024 + 17);
    const small = randomBytes(999);
    const odd = 'kubespray/it\'s "quoted"\n$(not run)/é.yml';
    const input = Buffer.concat([
      frame(
        {
          id: 1,
          path: 'files/large',
          size: large.length,
          mode: 0o644,
          offset: 0,
          length: 2 * 1024 * 1024,
          last: false,
        },
        large.subarray(0, 2 * 1024 * 1024),
      ),
      frame(
        {
          id: 2,
          path: 'files/large',
          size: large.length,
          mode: 0o644,
          offset: 2 * 1024 * 1024,
          length: large.length - 2 * 1024 * 1024,
          last: true,
        },
        large.subarray(2 * 1024 * 1024),
      ),
      frame(
        { id: 3, path: 'tools/registry', size: small.length, mode: 0o755, offset: 0, length: small.length, last: true },
        small,
      ),
      frame({ id: 4, path: odd, size: 0, mode: 0o644, offset: 0, length: 0, last: true }, Buffer.alloc(0)),
    ]);
    const { code, replies, stderr } = await runReceiver(destination, 'receive', input);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Each frame is answered once, when written; a file's last frame by the file's hash alone (all its bytes came in
    // this session, hashed on their way to disk). The small whole files are made on the second thread, so their
    // answers may come before or after the large file's.
    expect(replies.map((reply) => reply.id).sort()).toEqual([1, 2, 3, 4]);
    expect(replies.filter((reply) => reply.kind === 'written').map((reply) => reply.id)).toEqual([1]);
    expect(
      new Map(
        replies
          .filter((reply) => reply.kind === 'hashed')
          .map((reply) => [reply.id, reply.kind === 'hashed' ? reply.sha256 : '']),
      ),
    ).toEqual(
      new Map([
        [2, sha256(large)],
        [3, sha256(small)],
        [4, sha256(Buffer.alloc(0))],
      ]),
    );
    expect((await readFile(join(destination, 'files/large'))).equals(large)).toBe(true);
    expect((await stat(join(destination, 'tools/registry'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(destination, odd))).size).toBe(0);
    // The PID file (its folder made on the way) is removed by the receiver that wrote it.
    await expect(stat(join(destination, '.airspray-push/receiver.pid'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('makes thousands of small files on its second thread while large frames follow them, each answered with its hash', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    const smalls = Array.from({ length: 3000 }, (_, index) => ({
      path: `roles/role-${index % 30}/task-${index}.yml`,
      body: randomBytes(index % 7 === 0 ? 64 * 1024 : 100 + (index % 2000)),
    }));
    const large = randomBytes(2 * 1024 * 1024 + 5);
    const frames = smalls.map(({ path, body }, index) =>
      frame({ id: index + 1, path, size: body.length, mode: 0o640, offset: 0, length: body.length, last: true }, body),
    );
    frames.push(
      frame(
        { id: 3001, path: 'files/large', size: large.length, mode: 0o644, offset: 0, length: 1024 * 1024, last: false },
        large.subarray(0, 1024 * 1024),
      ),
    );
    frames.push(
      frame(
        {
          id: 3002,
          path: 'files/large',
          size: large.length,
          mode: 0o644,
          offset: 1024 * 1024,
          length: large.length - 1024 * 1024,
          last: true,
        },
        large.subarray(1024 * 1024),
      ),
    );
    frames.push(
      Buffer.from(
        `${JSON.stringify({ r: [...smalls.map(({ path, body }) => [path, sha256(body)]), ['files/large', sha256(large)]] })}\n`,
      ),
    );
    const { code, replies, stderr } = await runReceiver(destination, 'receive', Buffer.concat(frames));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const hashes = new Map(
      replies.flatMap((reply) => (reply.kind === 'hashed' ? [[reply.id, reply.sha256] as const] : [])),
    );
    expect(hashes.size).toBe(3001);
    smalls.forEach(({ body }, index) => expect(hashes.get(index + 1)).toBe(sha256(body)));
    expect(hashes.get(3002)).toBe(sha256(large));
    for (const { path, body } of [smalls[0]!, smalls[7]!, smalls[2999]!]) {
      expect((await readFile(join(destination, path))).equals(body)).toBe(true);
      expect((await stat(join(destination, path))).mode & 0o777).toBe(0o640);
    }
    // The record is written after the second thread made every file: all 3001 are in it.
    const record = JSON.parse(await readFile(join(destination, '.airspray-push/verified.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(Object.keys(record.files)).toHaveLength(3001);
  });

  it('fails, naming the file, when the second thread cannot make a small file', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    // A folder where the file should be: it can be neither made nor opened for writing.
    await mkdir(join(destination, 'roles/blocked.yml'), { recursive: true });
    const body = Buffer.from('x: 1\n');
    const { code, stderr, replies } = await runReceiver(
      destination,
      'receive',
      frame(
        {
          id: 1,
          path: 'roles/blocked.yml',
          size: body.length,
          mode: 0o644,
          offset: 0,
          length: body.length,
          last: true,
        },
        body,
      ),
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain('writing roles/blocked.yml: Is a directory');
    expect(replies).toEqual([]);
  });

  it('resumes a file from an offset without touching the bytes before it, hashing it read back, and a bare last frame only hashes', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    const body = randomBytes(100_000);
    // What an interrupted push left: the first 40,000 bytes, the file already sized.
    await writeFile(join(destination, 'part'), Buffer.concat([body.subarray(0, 40_000), Buffer.alloc(60_000)]));
    const resumed = await runReceiver(
      destination,
      'receive',
      frame(
        { id: 7, path: 'part', size: body.length, mode: 0o644, offset: 40_000, length: 60_000, last: true },
        body.subarray(40_000),
      ),
    );
    expect(resumed.replies).toEqual([
      { kind: 'written', id: 7 },
      { kind: 'hashed', id: 7, sha256: sha256(body) },
    ]);
    const hashOnly = await runReceiver(
      destination,
      'receive',
      frame({ id: 8, path: 'part', size: body.length, mode: 0o644, offset: 0, length: 0, last: true }, Buffer.alloc(0)),
    );
    expect(hashOnly.replies).toEqual([
      { kind: 'written', id: 8 },
      { kind: 'hashed', id: 8, sha256: sha256(body) },
    ]);
    // A longer file of the same name is cut to the frame's size.
    await writeFile(join(destination, 'shrunk'), randomBytes(500));
    await runReceiver(
      destination,
      'receive',
      frame({ id: 9, path: 'shrunk', size: 3, mode: 0o644, offset: 0, length: 3, last: true }, Buffer.from('abc')),
    );
    expect(await readFile(join(destination, 'shrunk'), 'utf8')).toBe('abc');
  });

  it('makes a missing destination the login user may make, and gives every file its mode whatever the umask, made now or already there', async () => {
    const destination = join(await mkdtemp(join(tmpdir(), 'airspray-receiver-')), 'bundles', 'b-1');
    await expect(stat(destination)).rejects.toMatchObject({ code: 'ENOENT' });
    const tool = Buffer.from('#!/bin/sh\n');
    const input = (id: number, mode: number) =>
      Buffer.concat([
        frame(
          { id, path: 'tools/registry', size: tool.length, mode, offset: 0, length: tool.length, last: true },
          tool,
        ),
        frame(
          { id: id + 1, path: 'files/plain', size: 1, mode: 0o644, offset: 0, length: 1, last: true },
          Buffer.from('x'),
        ),
      ]);
    const made = await runReceiver(destination, 'receive', input(1, 0o755), '077');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect((await stat(destination)).isDirectory()).toBe(true);
    expect((await stat(join(destination, 'tools/registry'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(destination, 'files/plain'))).mode & 0o777).toBe(0o644);
    // Pushed again with another mode: the file there takes it.
    await runReceiver(destination, 'receive', input(3, 0o700));
    expect((await stat(join(destination, 'tools/registry'))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(destination, 'tools/registry'))).toEqual(tool);
  });

  it('refuses paths leaving the destination and a stream that ends inside a frame, with exit 1 and a message', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    // One whole-file frame for `path`, whose header says `size` bytes while `bytes` follow.
    const receiveOne = (path: string, size: number, bytes: string) =>
      runReceiver(
        destination,
        'receive',
        frame({ id: 1, path, size, mode: 0o644, offset: 0, length: size, last: true }, Buffer.from(bytes)),
      );
    const escape = await receiveOne('../outside', 1, 'x');
    expect(escape.code).toBe(1);
    expect(escape.stderr).toContain('refusing a path outside the destination');
    const cut = await receiveOne('short', 10, '12345');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('the stream ended inside short');
    // What did arrive was written and stays (a resume point is only what was acknowledged, which here is nothing).
    expect(cut.replies).toEqual([]);
  });

  it('a last record header records size, mtime and sha256 of files known good, and the next receiver reports them alike', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    await writeFile(join(destination, 'kept'), 'sent by an earlier push');
    const good = Buffer.from('good bytes');
    const bad = Buffer.from('bytes that differ from the manifest');
    const input = Buffer.concat([
      frame(
        { id: 1, path: 'dir/good', size: good.length, mode: 0o644, offset: 0, length: good.length, last: true },
        good,
      ),
      frame({ id: 2, path: 'bad', size: bad.length, mode: 0o644, offset: 0, length: bad.length, last: true }, bad),
      Buffer.from(
        `${JSON.stringify({
          r: [
            ['dir/good', sha256(good)],
            ['bad', sha256(Buffer.from('what the manifest says'))],
            ['kept', 'a'.repeat(64)],
            ['missing', 'b'.repeat(64)],
          ],
        })}\n`,
      ),
    ]);
    const { code, stderr } = await runReceiver(destination, 'receive', input);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const record = JSON.parse(await readFile(join(destination, '.airspray-push/verified.json'), 'utf8')) as {
      files: Record<string, { size: number; mtime: string; sha256: string }>;
    };
    // `bad` was hashed here and differs, `missing` is not there; `kept` was not sent now, so the caller's word stands.
    expect(Object.keys(record.files).sort()).toEqual(['dir/good', 'kept']);
    expect(record.files['dir/good']).toMatchObject({ size: good.length, sha256: sha256(good) });
    const next = await runReceiver(destination, 'receive', Buffer.alloc(0));
    expect(next.code).toBe(0);
    const state = next.state!;
    expect(JSON.parse(state.record!)).toEqual(record);
    const entries = new Map(state.files.map(([path, size, mtime]) => [path, { size, mtime }]));
    // The push's own folder is not listed; sizes and mtimes are those the record holds; free space and mount.
    expect([...entries.keys()].sort()).toEqual(['bad', 'dir/good', 'kept']);
    expect(entries.get('dir/good')).toEqual({ size: good.length, mtime: record.files['dir/good']!.mtime });
    expect(entries.get('kept')!.mtime).toBe(record.files.kept!.mtime);
    expect(state.free).toBeGreaterThan(0);
    expect(state.mount).toMatch(/^\//);
  });

  it('stops a receiver an earlier session left in the same folder before reporting the state', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    // An earlier receiver whose link went: alive, still waiting for input.
    const earlier = spawn('sh', ['-c', receiverCommand(destination, 'receive', '.airspray-push')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => earlier.stdout.once('data', resolve));
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      earlier.once('exit', (_code, signal) => resolve(signal)),
    );
    const next = await runReceiver(destination, 'receive', Buffer.alloc(0));
    expect(next.code).toBe(0);
    expect(await ended).toBe('SIGTERM');
  });

  it('hash mode prints one sha256 per NUL-separated path, in order, and - for a missing one', async () => {
    const destination = await mkdtemp(join(tmpdir(), 'airspray-receiver-'));
    await writeFile(join(destination, 'a'), 'alpha');
    await writeFile(join(destination, 'b c'), 'beta');
    const { stdout, code } = await runReceiver(destination, 'hash', Buffer.from('b c\0missing\0a\0'));
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([sha256(Buffer.from('beta')), '-', sha256(Buffer.from('alpha')), '']);
  });
});
