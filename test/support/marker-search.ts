import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SearchedFile {
  path: string;
  bytes: Buffer;
}

/** The marker itself and its base64 at each of the three alignments (the inner part every encoding contains). */
export function needlesOf(marker: string): string[] {
  const forms = [marker];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.from(`${'x'.repeat(shift)}${marker}`).toString('base64');
    forms.push(encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4));
  }
  return forms;
}

/** Every file under `dir`, recursively, with its bytes. */
export async function filesUnder(dir: string): Promise<SearchedFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => ({
        path: join(entry.parentPath, entry.name),
        bytes: await readFile(join(entry.parentPath, entry.name)),
      })),
  );
}

/** "path: needle" for every needle found in a file's bytes. */
export function markerHits(files: readonly SearchedFile[], needles: readonly string[]): string[] {
  return files.flatMap((file) =>
    needles.filter((needle) => file.bytes.includes(needle)).map((needle) => `${file.path}: ${needle}`),
  );
}
