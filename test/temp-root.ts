import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder of a test run (the tests', the servers' and Chromium's they start) goes under one folder,
 * removed when the run ends: tests leave no airspray-* folders behind in the machine's /tmp.
 */
export default async function useTemporaryRoot(): Promise<() => Promise<void>> {
  const previous = process.env.TMPDIR;
  const root = await mkdtemp(join(tmpdir(), 'airspray-test-run-'));
  process.env.TMPDIR = root;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(root, { recursive: true, force: true });
  };
}
