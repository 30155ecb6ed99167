import { createHash } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleFileEntry, BundleManifest } from '../../common/bundle-manifest';
import { manifestFileName, signatureFileName } from '../bundles/bundle-tree';
import { bundleFileSources } from '../bundles/delta-base';
import { statFile } from '../fs/callback-fs';
import { coreError } from '../i18n/format-core-message';

/** One file as it must lie on the deploy node: split parts joined into the whole. */
export interface PushItem {
  path: string;
  size: number;
  sha256: string;
  /** Permission bits to give the copy (tools/ binaries must stay executable). */
  mode: number;
  entry: Pick<BundleFileEntry, 'path' | 'parts'>;
}

/**
 * The manifest's files plus the manifest and its signature, so the node holds a bundle that verifies as it lies. For a
 * delta (its complete manifest, see completeManifest) the files it reuses are read from its base beside it.
 */
export async function pushItemsOf(bundleDir: string, manifest: BundleManifest): Promise<PushItem[]> {
  const items: PushItem[] = [];
  for (const name of [manifestFileName, signatureFileName]) {
    const bytes = await readFile(join(bundleDir, name)).catch(() => undefined);
    if (!bytes) throw coreError('not_found', 'deploy.bundle-file-missing', { name, bundleDir }, 'bundle');
    items.push({
      path: name,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mode: 0o644,
      entry: { path: name },
    });
  }
  const sources = await bundleFileSources(bundleDir, manifest);
  // All at once: one after the other, thousands of stats were a visible part of an unchanged push.
  const modes = await Promise.all(
    sources.map((source) =>
      statFile(join(bundleDir, source.parts?.[0]?.path ?? source.path)).then((info) =>
        info.mode & 0o111 ? 0o755 : 0o644,
      ),
    ),
  );
  manifest.files.forEach((file, index) =>
    items.push({ path: file.path, size: file.size, sha256: file.sha256, mode: modes[index]!, entry: sources[index]! }),
  );
  return items;
}

/** Random access to one bundle file, across its parts when it is stored split. */
export class BundleFileReader {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private readonly pieces: { path: string; start: number; size: number }[];

  constructor(
    private readonly bundleDir: string,
    entry: PushItem['entry'],
    size: number,
  ) {
    let start = 0;
    this.pieces = (entry.parts ?? [{ path: entry.path, size }]).map((part) => {
      const piece = { path: part.path, start, size: part.size };
      start += part.size;
      return piece;
    });
  }

  /** Reads exactly `length` bytes at `position` (the caller stays within the file). */
  async read(position: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const at = position + filled;
      const piece = this.pieces.find((candidate) => at >= candidate.start && at < candidate.start + candidate.size);
      if (!piece) throw new Error(`read past the end of ${this.pieces[0]?.path}`);
      const handle = await this.handleOf(piece.path);
      const want = Math.min(length - filled, piece.start + piece.size - at);
      const { bytesRead } = await handle.read(out, filled, want, at - piece.start);
      if (bytesRead === 0) throw coreError('conflict', 'deploy.bundle-file-short', { path: piece.path }, 'bundle');
      filled += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    for (const handle of this.handles.values()) await (await handle).close();
    this.handles.clear();
  }

  private handleOf(path: string): Promise<FileHandle> {
    let handle = this.handles.get(path);
    if (!handle) {
      handle = open(join(this.bundleDir, path), 'r');
      this.handles.set(path, handle);
    }
    return handle;
  }
}
