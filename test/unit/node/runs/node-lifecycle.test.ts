import { describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost, type HostRoles } from '../../../../electron/common/cluster-plan';
import { lifecycleProcedure, type LifecycleRecord } from '../../../../electron/common/node-lifecycle';
import type { RunRecord, RunState } from '../../../../electron/common/run';
import {
  advanceLifecycle,
  requireConfirmation,
  type LifecycleWork,
} from '../../../../electron/node/runs/node-lifecycle-service';

const host = (name: string, roles: Partial<HostRoles>): ClusterHost => ({
  name,
  address: '10.0.0.1',
  roles: { ...noRoles, ...roles },
});
const member = { controlPlane: true, etcd: true, worker: true };
const plan = ['cp1', 'cp2', 'cp3', 'cp4'].map((name) => host(name, member));

const replacement = (): LifecycleRecord => ({
  id: 'n-1',
  projectId: 'p',
  startedAt: '2026-01-01T00:00:00.000Z',
  procedure: lifecycleProcedure(plan, { action: 'replace', hosts: ['cp4'], replacing: ['cp3'] }),
  state: 'running',
});

const replacementRuns = [
  'cluster.yml etcd,kube_control_plane',
  'upgrade-cluster.yml etcd,kube_control_plane',
  'cluster.yml',
  'remove-node.yml',
  'cluster.yml',
];

/** Starts runs r1, r2, …; the run numbered `fails` ends failed, every other succeeds. */
function fakeWork(fails?: number, failState: RunState = 'failed') {
  const started: string[] = [];
  const work: LifecycleWork = {
    start: async (options) => {
      started.push(`${options.playbook} ${options.limit ?? ''}`.trim());
      return { id: `r${started.length}` } as RunRecord;
    },
    ended: async (runId) => ({ id: runId, state: runId === `r${fails}` ? failState : 'succeeded' }) as RunRecord,
    save: async () => undefined,
  };
  return { work, started };
}

describe('advanceLifecycle', () => {
  it('runs every step in order and ends succeeded', async () => {
    const { work, started } = fakeWork();
    const record = await advanceLifecycle(replacement(), work);
    expect(started).toEqual(replacementRuns);
    expect(record.state).toBe('succeeded');
  });

  it('stops at the failed step naming it, and the same record goes on from there', async () => {
    const first = fakeWork(2);
    const stopped = await advanceLifecycle(replacement(), first.work);
    expect(first.started).toHaveLength(2);
    expect(stopped.state).toBe('stopped');
    const command = 'upgrade-cluster.yml --limit etcd,kube_control_plane -e ignore_assert_errors=true';
    expect(stopped.i18n).toEqual({
      id: 'nodes.stopped-at',
      params: { step: 2, count: 5, command, runId: 'r2', state: 'failed' },
    });
    expect(stopped.message).toBe(
      `Stopped at step 2 of 5 (${command}): run r2 failed. The same command goes on from there.`,
    );
    const again = fakeWork();
    const ended = await advanceLifecycle(stopped, again.work);
    expect(again.started).toEqual(replacementRuns.slice(1));
    expect(ended.state).toBe('succeeded');
  });

  it('follows a run that was lost from sight instead of starting it again', async () => {
    const first = fakeWork(1, 'lost');
    const stopped = await advanceLifecycle(replacement(), first.work);
    expect(stopped.procedure.runs[0]).toMatchObject({ runId: 'r1', state: 'running' });
    const again = fakeWork();
    await advanceLifecycle(stopped, again.work);
    expect(again.started).toHaveLength(4);
  });
});

describe('requireConfirmation', () => {
  const three = plan.slice(0, 3);
  it('refuses a recovery without the confirmation, naming what may be lost; lets it and other procedures through', () => {
    const recover = lifecycleProcedure(three, { action: 'recover', hosts: ['cp2'] });
    expect(() => requireConfirmation(recover)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        field: 'confirm',
        i18n: { id: 'nodes.recover-loss', params: expect.objectContaining({ broken: 'cp2', confirm: 'yes' }) },
        message: expect.stringMatching(/^Recovering deletes .* Confirm to go on \(--confirm\)\.$/),
      }),
    );
    expect(() => requireConfirmation({ ...recover, request: { ...recover.request, confirm: true } })).not.toThrow();
    expect(() => requireConfirmation(replacement().procedure)).not.toThrow();
  });
});
