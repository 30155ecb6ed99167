import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PushItem } from '../../../../electron/node/deploy/bundle-source';
import { tarOfFiles } from '../../../../electron/node/deploy/tar-stream';

const run = promisify(execFile);

describe('tar stream of small bundle files', () => {
  it('is read back by GNU tar byte for byte: long paths (pax), empty files, modes, padding, many chunks', async () => {
    const work = await mkdtemp(join(tmpdir(), 'airspray-tar-'));
    const source = join(work, 'bundle');
    const longPath = `kubespray/${'deeply-nested-folder/'.repeat(14)}a-file-name-longer-than-one-hundred-characters.yml`;
    const files: { path: string; body: Buffer; mode: number }[] = [
      { path: longPath, body: randomBytes(700), mode: 0o644 },
      { path: 'tools/registry', body: randomBytes(5000), mode: 0o755 },
      { path: 'files/empty', body: Buffer.alloc(0), mode: 0o644 },
      ...Array.from({ length: 300 }, (_, index) => ({ path: `kubespray/roles/r${index % 7}/f${index}.yml`, body: randomBytes(index * 13), mode: 0o644 })),
    ];
    for (const file of files) {
      await mkdir(dirname(join(source, file.path)), { recursive: true });
      await writeFile(join(source, file.path), file.body);
    }
    const items: PushItem[] = files.map((file) => ({ path: file.path, size: file.body.length, sha256: '', mode: file.mode, entry: { path: file.path } }));
    const chunks: Buffer[] = [];
    let fileBytes = 0;
    for await (const chunk of tarOfFiles(source, items, new Date('2026-11-01T12:00:00Z'))) {
      chunks.push(chunk.data);
      fileBytes += chunk.fileBytes;
    }
    expect(fileBytes).toBe(files.reduce((sum, file) => sum + file.body.length, 0));
    expect(chunks.length).toBeGreaterThan(2);
    const archive = join(work, 'out.tar');
    await writeFile(archive, Buffer.concat(chunks));
    const target = join(work, 'extracted');
    await mkdir(target);
    await run('tar', ['-x', '-f', archive, '-C', target]);
    for (const file of files) {
      expect((await readFile(join(target, file.path))).equals(file.body), file.path).toBe(true);
      expect((await stat(join(target, file.path))).mode & 0o777).toBe(file.mode & ~0o022);
    }
    expect((await stat(join(target, 'tools/registry'))).mtime.toISOString()).toBe('2026-11-01T12:00:00.000Z');
  });

  it('refuses a file whose size changed since verification, by name', async () => {
    const work = await mkdtemp(join(tmpdir(), 'airspray-tar-'));
    await writeFile(join(work, 'grown'), 'more than the manifest says');
    const pack = async () => {
      for await (const chunk of tarOfFiles(work, [{ path: 'grown', size: 3, sha256: '', mode: 0o644, entry: { path: 'grown' } }], new Date())) expect(chunk).toBeDefined();
    };
    await expect(pack()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('grown changed since the bundle was verified') });
  });
});
