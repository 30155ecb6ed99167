import { describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost } from '../../../../electron/common/cluster-plan';
import type { RunOptions, RunRecord, RunState } from '../../../../electron/common/run';
import type { UpgradeRecord } from '../../../../electron/common/upgrade';
import { advanceUpgrade, type UpgradeWork } from '../../../../electron/node/upgrade/advance-upgrade';
import { controlPlaneLimit, nodeSteps, presetSteps } from '../../../../electron/node/upgrade/upgrade-steps';

const host = (name: string, roles: Partial<ClusterHost['roles']>): ClusterHost => ({
  name,
  address: `10.0.0.${name.slice(-1)}`,
  roles: { ...noRoles, ...roles },
});
const hosts = [
  host('n1', {}),
  host('n2', { controlPlane: true, etcd: true, worker: true }),
  host('n3', { worker: true }),
  host('n4', { worker: true }),
];

const upgrade = (overrides: Partial<UpgradeRecord> = {}): UpgradeRecord => ({
  id: 'u-1',
  projectId: 'p',
  from: { bundleId: 'old', kubesprayVersion: '2.23.3', kubernetesVersion: '1.27.7' },
  to: { bundleId: 'new', kubesprayVersion: '2.23.3', kubernetesVersion: '1.28.6' },
  pauseBetweenNodes: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  done: [],
  steps: nodeSteps(hosts, '1.28.6'),
  state: 'running',
  ...overrides,
});

/** Records every call in order; runs end as `outcomes` says per --limit (succeeded otherwise). */
function fakeWork(options: { snapshotFails?: boolean; outcomes?: Record<string, RunState> } = {}) {
  const calls: string[] = [];
  const started: RunOptions[] = [];
  const saved: UpgradeRecord[] = [];
  const ends = new Map<string, RunState>();
  const work: UpgradeWork = {
    snapshot: async () => {
      calls.push('snapshot');
      if (options.snapshotFails) throw new Error('etcdctl: context deadline exceeded');
      return { file: 's.db', sha256: 'a'.repeat(64) };
    },
    push: async (id) => void calls.push(`push ${id}`),
    serve: async (id) => void calls.push(`serve ${id}`),
    switchBundle: async (to) => void calls.push(`switch ${to.bundleId} ${to.kubernetesVersion}`),
    start: async (runOptions) => {
      const id = `r${started.length + 1}`;
      started.push(runOptions);
      calls.push(`run ${runOptions.limit ?? runOptions.tags}`);
      ends.set(id, options.outcomes?.[runOptions.limit ?? ''] ?? 'succeeded');
      return { id } as RunRecord;
    },
    ended: async (runId) => ({ id: runId, state: ends.get(runId) ?? 'succeeded' }) as RunRecord,
    save: async (record) => void saved.push(structuredClone(record)),
  };
  return { work, calls, started, saved };
}

describe('nodeSteps', () => {
  it('upgrades the control plane and etcd first, one at a time, then each other node in a run of its own', () => {
    const steps = nodeSteps(hosts, '1.28.6');
    expect(steps.map((step) => step.options.limit)).toEqual([controlPlaneLimit, 'n3', 'n4']);
    expect(steps[0]!.options.extraVars).toEqual({ kube_version: 'v1.28.6', serial: 1 });
    expect(steps[1]!.options).toEqual({
      playbook: 'upgrade-cluster.yml',
      limit: 'n3',
      extraVars: { kube_version: 'v1.28.6' },
    });
  });

  it('refuses a plan without a control plane', () => {
    expect(() => nodeSteps([host('n3', { worker: true })], '1.28.6')).toThrow(
      expect.objectContaining({ field: 'hosts', i18n: { id: 'upgrade.no-control-plane', params: {} } }),
    );
  });
});

describe('advanceUpgrade', () => {
  it('takes the snapshot first, pushes, serves and switches the bundle, then runs every step', async () => {
    const { work, calls, saved } = fakeWork();
    const done = await advanceUpgrade(upgrade(), work);
    expect(calls).toEqual([
      'snapshot',
      'push new',
      'serve new',
      'switch new 1.28.6',
      `run ${controlPlaneLimit}`,
      'run n3',
      'run n4',
    ]);
    expect(done.state).toBe('succeeded');
    expect(done.snapshot?.file).toBe('s.db');
    expect(saved.at(-1)?.steps.every((step) => step.state === 'succeeded')).toBe(true);
  });

  it('stops before any change when the snapshot fails', async () => {
    const { work, calls } = fakeWork({ snapshotFails: true });
    const stopped = await advanceUpgrade(upgrade(), work);
    expect(calls).toEqual(['snapshot']);
    expect(stopped.state).toBe('stopped');
    expect(stopped.i18n).toEqual({
      id: 'upgrade.stage-failed',
      params: { stage: 'snapshot', detail: expect.stringMatching(/^etcdctl: context deadline/) },
    });
  });

  it('says where a failed run stopped it, and goes on from that step when called again', async () => {
    const first = fakeWork({ outcomes: { n3: 'failed' } });
    const stopped = await advanceUpgrade(upgrade(), first.work);
    expect(stopped.state).toBe('stopped');
    expect(stopped.i18n).toEqual({ id: 'upgrade.stopped-at', params: { step: 'n3', runId: 'r2', state: 'failed' } });
    expect(stopped.message).toBe('Stopped at n3: run r2 failed. The same upgrade command goes on from there.');
    expect(first.calls.at(-1)).toBe('run n3');
    const again = fakeWork();
    const finished = await advanceUpgrade(stopped, again.work);
    expect(again.calls).toEqual(['run n3', 'run n4']);
    expect(finished.state).toBe('succeeded');
  });

  it('pauses after each node when asked, and the next call does the next node only', async () => {
    const first = fakeWork();
    const paused = await advanceUpgrade(upgrade({ pauseBetweenNodes: true }), first.work);
    expect(paused.state).toBe('paused');
    expect(paused.i18n).toEqual({ id: 'upgrade.paused', params: { step: controlPlaneLimit, next: 'n3' } });
    const second = fakeWork();
    const next = await advanceUpgrade(paused, second.work);
    expect(second.calls).toEqual(['run n3']);
    expect(next.i18n?.params).toEqual({ step: 'n3', next: 'n4' });
    const last = fakeWork();
    expect((await advanceUpgrade(next, last.work)).state).toBe('succeeded');
    expect(last.calls).toEqual(['run n4']);
  });

  it('follows a step whose run was under way when it stopped instead of starting it again', async () => {
    const record = upgrade({ done: ['snapshot', 'push', 'services', 'bundle'] });
    record.steps[0] = { ...record.steps[0]!, runId: 'r-live', state: 'running' };
    const { work, calls } = fakeWork();
    await advanceUpgrade(record, work);
    expect(calls).toEqual(['run n3', 'run n4']);
  });

  it('runs a preset from the same bundle without a push or a switch, after the snapshot', async () => {
    const { work, calls, started } = fakeWork();
    const from = upgrade().from;
    await advanceUpgrade(upgrade({ to: from, preset: 'network', steps: presetSteps('network', '1.27.7') }), work);
    expect(calls).toEqual(['snapshot', 'run network']);
    expect(started[0]).toEqual({ playbook: 'cluster.yml', tags: 'network', extraVars: { kube_version: 'v1.27.7' } });
  });
});

describe('advanceUpgrade when a run is no longer followed', () => {
  it('stops, and the next call follows that run instead of starting another', async () => {
    const first = fakeWork({ outcomes: { n3: 'lost' } });
    const stopped = await advanceUpgrade(upgrade(), first.work);
    expect(stopped.i18n).toEqual({ id: 'upgrade.stopped-at', params: { step: 'n3', runId: 'r2', state: 'lost' } });
    expect(stopped.steps[1]).toMatchObject({ runId: 'r2', state: 'running' });
    const again = fakeWork();
    await advanceUpgrade(stopped, again.work);
    expect(again.calls).toEqual(['run n4']);
  });
});
