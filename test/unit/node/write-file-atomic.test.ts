import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/node/fs/write-file-atomic';

describe('writeFileAtomic', () => {
  it('replaces the content, leaves no temp file and keeps the file private', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airspray-atomic-'));
    const path = join(dir, 'doc.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['doc.json']);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file and no temp file when the folder is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airspray-atomic-'));
    await expect(writeFileAtomic(join(dir, 'missing', 'doc.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
