import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunOptions, RunRecord } from '../../electron/common/run';
import { ProjectStore } from '../../electron/node/projects/project-store';

/** A finished run record of `options` for unit tests (id, state and recap as told; the rest plain). */
export function finishedRun(options: RunOptions, overrides: Partial<RunRecord> = {}): RunRecord {
  const state = overrides.state ?? 'succeeded';
  return {
    id: 'r-1',
    projectId: 'p',
    cluster: 'lab',
    playbook: options.playbook,
    commandLine: '',
    options,
    startedAt: '2025-11-20T10:00:00.000Z',
    startedBy: 'ops',
    deployNode: '10.0.0.11',
    inventoryDigest: 'x',
    state,
    exitCode: state === 'succeeded' ? 0 : 2,
    logBytes: 0,
    digest: { tasksStarted: 0, hosts: {}, failures: [] },
    ...overrides,
  };
}

/** Stores `run` and its `log` in the project's folder under `dataDir`, as the core leaves a run it has finished. */
export async function writeRunRecord(dataDir: string, run: RunRecord, log: string): Promise<void> {
  const folder = join(new ProjectStore(dataDir).projectFolder(run.projectId), 'runs', run.id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'log'), log);
  await writeFile(join(folder, 'run.json'), JSON.stringify(run));
}
