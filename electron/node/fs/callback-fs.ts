import { readFile, stat } from 'node:fs';
import { promisify } from 'node:util';

/**
 * fs's callback functions as promises, for the thousands of small files of a bundle: fs/promises goes through a
 * FileHandle and more promises per call. Here, 3000 files of 2 KiB, 64 at a time: readFile 44-107 ms of CPU
 * against 133-239 ms; stat 18-32 ms against 34-90 ms.
 */
export const readWholeFile = promisify(readFile);
export const statFile = promisify(stat);
