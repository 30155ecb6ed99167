import type { RunOptions, RunRecord } from '../../electron/common/run';

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
