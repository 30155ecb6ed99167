import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/** A JSON file checked against `schema`; null when there is no such file (any other failure is thrown). */
export async function readJsonIfPresent<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | null> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? null : schema.parse(JSON.parse(text));
}
