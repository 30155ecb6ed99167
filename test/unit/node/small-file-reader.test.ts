import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmallFileReader } from '../../../electron/node/fs/small-file-reader';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'airspray-small-files-'));
  for (const name of ['a', 'b', 'c']) await writeFile(join(folder, name), `file ${name}`);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SmallFileReader', () => {
  it('reads in place until the turn has spent its budget, through the thread pool after that, and in place again the next turn', async () => {
    // A budget any read uses up: the first read of a turn is in place, the rest of the turn goes to the pool.
    const reader = new SmallFileReader(1e-9);
    const first = reader.read(join(folder, 'a'));
    const second = reader.read(join(folder, 'b'));
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(second).toBeInstanceOf(Promise);
    expect(first.toString()).toBe('file a');
    expect((await second).toString()).toBe('file b');
    await nextTurn();
    const third = reader.read(join(folder, 'c'));
    expect(Buffer.isBuffer(third)).toBe(true);
    expect(third.toString()).toBe('file c');
  });

  it('reads every file of a turn in place within a budget they fit in', () => {
    const reader = new SmallFileReader(10_000);
    const bodies = ['a', 'b', 'c', 'a', 'b'].map((name) => reader.read(join(folder, name)));
    expect(bodies.every((body) => Buffer.isBuffer(body))).toBe(true);
  });

  it('fails a missing file with its own error either way', async () => {
    const reader = new SmallFileReader(1e-9);
    expect(() => reader.read(join(folder, 'missing'))).toThrow(/ENOENT/);
    await expect(reader.read(join(folder, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
