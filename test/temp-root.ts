import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set once per test run: the projects' setups share the first one's root rather than nest one in another. */
const rootVariable = 'AIRSPRAY_TEST_TMP_ROOT';

/**
 * Every temporary folder of a test run (the tests', the servers' and Chromium's they start) goes under one short
 * folder in the machine's temporary folder, removed when the run ends: tests leave no airspray-* folders behind.
 * Flat and short on purpose: Chromium's singleton socket and the hostile-name tests' paths have length limits.
 */
export default async function useTemporaryRoot(): Promise<() => Promise<void>> {
  if (process.env[rootVariable]) return async () => undefined;
  const previous = process.env.TMPDIR;
  const root = await mkdtemp(join(tmpdir(), 'astmp-'));
  process.env.TMPDIR = root;
  process.env[rootVariable] = root;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[rootVariable];
    await rm(root, { recursive: true, force: true });
  };
}
