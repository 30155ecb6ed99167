import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BatchedAppender } from '../../../electron/node/fs/batched-appender';

let folder = '';
let fileHandlePrototype: FileHandle;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'airspray-appender-'));
  const probe = await open(join(folder, 'probe'), 'w');
  fileHandlePrototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
});
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let files = 0;
const newPath = () => join(folder, `log-${files++}`);

describe('BatchedAppender', () => {
  it('appends in call order after what the file held, and what is appended during a write goes out as one writev', async () => {
    const path = newPath();
    const before = await open(path, 'w');
    await before.write('held\n');
    await before.close();
    const writev = vi.spyOn(fileHandlePrototype, 'writev');
    const appender = await BatchedAppender.open(path);
    const appended = ['one\n', 'two\n', 'three\n', 'four\n'].map((line) => appender.append(Buffer.from(line)));
    await Promise.all(appended);
    await appender.close();
    expect(await readFile(path, 'utf8')).toBe('held\none\ntwo\nthree\nfour\n');
    // The first append starts a write; the three made while it is under way share the next one.
    expect(writev.mock.calls.map(([buffers]) => buffers.length)).toEqual([1, 3]);
  });

  it('writes again what a short write left, until every byte is in the file', async () => {
    const path = newPath();
    const { writev } = fileHandlePrototype;
    vi.spyOn(fileHandlePrototype, 'writev').mockImplementationOnce(function (
      this: FileHandle,
      buffers: readonly NodeJS.ArrayBufferView[],
    ) {
      // The disk takes three bytes of the first buffer only.
      return writev.call(this, [(buffers[0] as Buffer).subarray(0, 3)]);
    });
    const appender = await BatchedAppender.open(path);
    await appender.append(Buffer.from('abcdef'));
    await appender.close();
    expect(await readFile(path, 'utf8')).toBe('abcdef');
  });

  it('fails the append whose write failed and every append after it, and still closes', async () => {
    const path = newPath();
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.spyOn(fileHandlePrototype, 'writev').mockRejectedValueOnce(diskFull);
    const appender = await BatchedAppender.open(path);
    await expect(appender.append(Buffer.from('lost'))).rejects.toThrow('ENOSPC');
    await expect(appender.append(Buffer.from('after'))).rejects.toThrow('ENOSPC');
    await appender.close();
    expect(await readFile(path, 'utf8')).toBe('');
  });
});
