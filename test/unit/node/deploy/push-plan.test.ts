import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeState } from '../../../../electron/node/deploy/bundle-receiver';
import type { PushItem } from '../../../../electron/node/deploy/bundle-source';
import { PushJournal } from '../../../../electron/node/deploy/push-journal';
import { remoteRoot } from '../../../../electron/node/deploy/remote-layout';
import {
  assertRoomOnNode,
  frameBytes,
  framesOf,
  planPush,
  remoteStateOf,
  type Transfer,
} from '../../../../electron/node/deploy/push-plan';

const sha = (letter: string) => letter.repeat(64);
const item = (path: string, size: number, letter = 'a'): PushItem => ({
  path,
  size,
  sha256: sha(letter),
  mode: 0o644,
  entry: { path },
});
const noLog = { failed: () => undefined };
const folders: string[] = [];
afterEach(async () => Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true }))));

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'airspray-push-plan-'));
  folders.push(folder);
  return folder;
}

function state(
  files: [string, number, string][],
  record?: Record<string, { size: number; mtime: string; sha256: string }>,
): NodeState {
  return {
    files,
    record: record ? JSON.stringify({ formatVersion: 1, files: record }) : null,
    free: 10 ** 12,
    mount: '/var',
  };
}

describe('the push plan', () => {
  it('skips files the record vouches for without hashing them, hashes same-sized ones, and sends the rest smallest first', async () => {
    const items = [
      item('big', 5000, 'b'),
      item('recorded', 10, 'r'),
      item('same', 20, 's'),
      item('differs', 30, 'd'),
      item('small', 1, 'm'),
    ];
    const remote = remoteStateOf(
      state(
        [
          ['recorded', 10, '1'],
          ['same', 20, '2'],
          ['differs', 30, '3'],
          ['big', 100, '4'],
        ],
        { recorded: { size: 10, mtime: '1', sha256: sha('r') } },
      ),
    );
    const asked: string[][] = [];
    const plan = await planPush(items, remote, await PushJournal.open(undefined, '/d', noLog), async (paths) => {
      asked.push(paths);
      return new Map([
        ['same', sha('s')],
        ['differs', sha('x')],
      ]);
    });
    expect(asked).toEqual([['same', 'differs']]);
    expect(plan.toSend.map((sent) => sent.path)).toEqual(['small', 'differs', 'big']);
    expect(plan.bytesToSend).toBe(5031);
    expect(plan.transfers.map((transfer) => transfer.ranges)).toEqual([
      [{ start: 0, end: 1, acked: 0 }],
      [{ start: 0, end: 30, acked: 0 }],
      [{ start: 0, end: 5000, acked: 0 }],
    ]);
    expect(plan.resumed).toEqual([]);
    expect(plan.recordStands).toBe(false);
  });

  it('lets the record stand only when nothing is sent and every file is as recorded', async () => {
    const items = [item('one', 10, 'o')];
    const remote = remoteStateOf(state([['one', 10, '1']], { one: { size: 10, mtime: '1', sha256: sha('o') } }));
    const plan = await planPush(items, remote, await PushJournal.open(undefined, '/d', noLog), async () => new Map());
    expect(plan.toSend).toEqual([]);
    expect(plan.recordStands).toBe(true);
    const touched = remoteStateOf(state([['one', 10, 'later']], { one: { size: 10, mtime: '1', sha256: sha('o') } }));
    const hashedAgain = await planPush(
      items,
      touched,
      await PushJournal.open(undefined, '/d', noLog),
      async () => new Map([['one', sha('o')]]),
    );
    expect(hashedAgain.toSend).toEqual([]);
    expect(hashedAgain.recordStands).toBe(false);
  });

  it('resumes a file from the ranges a journal for the same destination kept, and neither hashes it nor resumes a changed one', async () => {
    const folder = await scratch();
    const path = join(folder, 'journal.json');
    const size = 3 * frameBytes;
    const ranges: [number, number, number][] = [[0, size, frameBytes]];
    await writeFile(
      path,
      JSON.stringify({
        formatVersion: 1,
        destination: '/d',
        files: { half: { sha256: sha('h'), size, ranges }, changed: { sha256: sha('o'), size, ranges } },
      }),
    );
    const items = [item('half', size, 'h'), item('changed', size, 'n')];
    const remote = remoteStateOf(
      state([
        ['half', size, '1'],
        ['changed', size, '2'],
      ]),
    );
    const asked: string[][] = [];
    const plan = await planPush(items, remote, await PushJournal.open(path, '/d', noLog), async (paths) => {
      asked.push(paths);
      return new Map();
    });
    expect(asked).toEqual([['changed']]);
    const half = plan.transfers.find((transfer) => transfer.item.path === 'half')!;
    expect(half.ranges).toEqual([{ start: 0, end: size, acked: frameBytes }]);
    expect(plan.resumed).toEqual([half]);
    expect(plan.transfers.find((transfer) => transfer.item.path === 'changed')!.ranges).toEqual([
      { start: 0, end: size, acked: 0 },
    ]);

    const elsewhere = await planPush(
      items,
      remote,
      await PushJournal.open(path, '/other', noLog),
      async () => new Map(),
    );
    expect(elsewhere.resumed).toEqual([]);
  });

  it('refuses a push that would leave less than the reserve free, naming what to free', () => {
    const remote = remoteStateOf({ ...state([['grown', 400, '1']]), free: 1000 });
    expect(() => assertRoomOnNode([item('grown', 600)], remote, 700)).not.toThrow();
    expect(() => assertRoomOnNode([item('grown', 600), item('new', 200)], remote, 700)).toThrow(
      expect.objectContaining({
        field: 'destination',
        i18n: {
          id: 'deploy.no-space',
          params: {
            free: '1 kB',
            needed: '400 B',
            reserve: '700 B',
            missing: '100 B',
            mount: '/var',
            root: remoteRoot,
          },
        },
      }),
    );
    expect(() => assertRoomOnNode([], { ...remote, free: 0 }, 700)).not.toThrow();
  });
});

describe('the frames of a push', () => {
  it("cuts each missing range into frames from its acknowledged offset and marks each file's last frame", () => {
    let id = 0;
    const transfer: Transfer = {
      item: item('f', 3 * frameBytes + 5),
      ranges: [{ start: 0, end: 3 * frameBytes + 5, acked: frameBytes }],
      hashed: false,
      written: false,
    };
    const frames = framesOf([transfer], () => (id += 1));
    expect(frames.map(({ id: frameId, offset, length, last }) => ({ frameId, offset, length, last }))).toEqual([
      { frameId: 1, offset: frameBytes, length: frameBytes, last: false },
      { frameId: 2, offset: 2 * frameBytes, length: frameBytes, last: false },
      { frameId: 3, offset: 3 * frameBytes, length: 5, last: true },
    ]);
  });

  it('asks for the hash of a file whose every byte was acknowledged with one empty frame', () => {
    const transfer: Transfer = {
      item: item('done', 10),
      ranges: [{ start: 0, end: 10, acked: 10 }],
      hashed: false,
      written: true,
    };
    expect(framesOf([transfer], () => 7)).toEqual([
      { id: 7, transfer, range: undefined, offset: 0, length: 0, last: true, acked: false },
    ]);
  });
});

describe('the push journal', () => {
  const large = item('large', frameBytes + 1, 'l');
  const transfers = (acked: number): Transfer[] => [
    { item: large, ranges: [{ start: 0, end: large.size, acked }], hashed: false, written: false },
    {
      item: item('small', frameBytes, 's'),
      ranges: [{ start: 0, end: frameBytes, acked: 5 }],
      hashed: false,
      written: false,
    },
  ];

  it('keeps the acknowledged ranges of files over one frame, for this destination, and is gone once removed', async () => {
    const path = join(await scratch(), 'journal.json');
    const journal = await PushJournal.open(path, '/d', noLog);
    await journal.save(() => transfers(7));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      formatVersion: 1,
      destination: '/d',
      files: { large: { sha256: sha('l'), size: large.size, ranges: [[0, large.size, 7]] } },
    });
    const reopened = await PushJournal.open(path, '/d', noLog);
    expect(reopened.unfinished(large)).toBe(true);
    expect(reopened.unfinished({ ...large, sha256: sha('z') })).toBe(false);
    expect(reopened.resumableRanges(large, true)).toEqual([{ start: 0, end: large.size, acked: 7 }]);
    expect(reopened.resumableRanges(large, false)).toBeUndefined();
    await reopened.remove();
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });

  it('writes the ranges as they are when each save starts, so the last save wins', async () => {
    const path = join(await scratch(), 'journal.json');
    const journal = await PushJournal.open(path, '/d', noLog);
    let current = transfers(1);
    const first = journal.save(() => current);
    current = transfers(2);
    const second = journal.save(() => current);
    current = transfers(3);
    await Promise.all([first, second]);
    expect(JSON.parse(await readFile(path, 'utf8')).files.large.ranges).toEqual([[0, large.size, 3]]);
  });

  it('logs a failed background save once and lets the push go on', async () => {
    const folder = await scratch();
    const failures: string[] = [];
    const journal = await PushJournal.open(join(folder, 'missing', 'journal.json'), '/d', {
      failed: (doing) => failures.push(doing),
    });
    journal.saveInBackground(() => transfers(1));
    journal.saveInBackground(() => transfers(2));
    await journal.remove();
    expect(failures).toEqual([`Saving the push journal ${join(folder, 'missing', 'journal.json')}`]);
  });

  it('ignores a torn journal or one for another destination', async () => {
    const path = join(await scratch(), 'journal.json');
    await writeFile(path, '{"formatVersion":1,');
    expect((await PushJournal.open(path, '/d', noLog)).unfinished(large)).toBe(false);
    await writeFile(
      path,
      JSON.stringify({
        formatVersion: 1,
        destination: '/other',
        files: { large: { sha256: sha('l'), size: large.size, ranges: [[0, large.size, 1]] } },
      }),
    );
    expect((await PushJournal.open(path, '/d', noLog)).unfinished(large)).toBe(false);
  });
});
