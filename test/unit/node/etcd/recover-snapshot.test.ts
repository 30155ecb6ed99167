import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost } from '../../../../electron/common/cluster-plan';
import type { EtcdBackup } from '../../../../electron/common/etcd-api';
import { storeBackup } from '../../../support/stored-backup';
import { lifecycleProcedure } from '../../../../electron/common/node-lifecycle';
import type { ProjectDocument } from '../../../../electron/common/project';
import type { RunOptions, RunRecord } from '../../../../electron/common/run';
import { etcdBackupFolder } from '../../../../electron/node/etcd/backup-index';
import { findRecoverSnapshot } from '../../../../electron/node/etcd/recover-snapshot';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { NodeLifecycleService, requireConfirmation } from '../../../../electron/node/runs/node-lifecycle-service';
import type { RunService } from '../../../../electron/node/runs/run-service';

const member = (name: string, index: number): ClusterHost => ({
  name,
  address: `10.0.0.${index}`,
  roles: { ...noRoles, controlPlane: true, etcd: true },
});
const hosts = [member('cp1', 2), member('cp2', 3), member('cp3', 4)];
const file = '20261206T021500.123Z-cp1.db';
const bytes = Buffer.from('an etcd snapshot');

let store: ProjectStore;
let project: ProjectDocument;
let other: ProjectDocument;
let backup: EtcdBackup;

const storeProjectBackup = (owner: ProjectDocument, file: string) =>
  storeBackup(etcdBackupFolder(store.projectFolder(owner.id)), bytes, {
    file,
    takenAt: '2026-12-06T02:15:00.123Z',
    member: { name: 'cp1', address: '10.0.0.2' },
    revision: 40213,
  });

beforeEach(async () => {
  store = new ProjectStore(join(await mkdtemp(join(tmpdir(), 'recover-snapshot-')), 'data'));
  const created = await store.create('prod');
  project = await store.update(created.id, created.revision, (current) => ({
    ...current,
    cluster: { ...current.cluster, hosts },
  }));
  other = await store.create('staging');
  backup = await storeProjectBackup(project, file);
  await storeProjectBackup(other, '20261201T000000.000Z-cp1.db');
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: Error & { code?: string; field?: string }) => ({
      code: error.code,
      field: error.field,
      message: error.message,
    }),
  );

describe('findRecoverSnapshot', () => {
  it("finds the project's backup by its file or its path, and places it under the cluster's folder on the deploy node", async () => {
    const path = '/var/lib/airspray/etcd-snapshots/prod/20261206T021500.123Z-cp1.db';
    expect(await findRecoverSnapshot(store, project, file)).toEqual({ backup, path });
    const onStick = join(etcdBackupFolder(store.projectFolder(project.id)), file);
    expect(await findRecoverSnapshot(store, project, onStick)).toEqual({ backup, path });
  });

  it('refuses an unknown backup, listing the known ones, on the snapshot field', async () => {
    expect(await refusal(findRecoverSnapshot(store, project, 'nope.db'))).toEqual({
      code: 'not_found',
      field: 'snapshot',
      message: `nope.db is not an etcd backup of this project (airspray etcd backups lists them: ${file}).`,
    });
    expect(await refusal(findRecoverSnapshot(store, project, '/tmp/elsewhere/' + file))).toMatchObject({
      code: 'not_found',
      field: 'snapshot',
    });
  });

  it("refuses another project's backup by file or path, naming that project", async () => {
    const theirs = '20261201T000000.000Z-cp1.db';
    const expected = {
      code: 'conflict',
      field: 'snapshot',
      message: `${theirs} is an etcd backup of the project staging, not of prod: restoring it would put that cluster's state into this one. Pick one of prod's backups (airspray etcd backups --project prod).`,
    };
    expect(await refusal(findRecoverSnapshot(store, project, theirs))).toEqual(expected);
    const path = join(etcdBackupFolder(store.projectFolder(other.id)), theirs);
    expect(await refusal(findRecoverSnapshot(store, project, path))).toEqual(expected);
  });
});

describe('a recovery from a stored backup', () => {
  it('gives the run -e etcd_snapshot and keeps the backup in the procedure; only a recovery takes one', async () => {
    const snapshot = await findRecoverSnapshot(store, project, file);
    const procedure = lifecycleProcedure(hosts, { action: 'recover', hosts: ['cp2'], snapshot: file }, snapshot);
    expect(procedure.runs[0]!.options.extraVars).toEqual({ etcd_retries: 10, etcd_snapshot: snapshot.path });
    expect(procedure.snapshot).toEqual(snapshot);
    expect(lifecycleProcedure(hosts, { action: 'recover', hosts: ['cp2'] }).runs[0]!.options.extraVars).toEqual({
      etcd_retries: 10,
    });
    expect(() => lifecycleProcedure(hosts, { action: 'add', hosts: ['cp3'], snapshot: file })).toThrow(
      expect.objectContaining({ code: 'invalid_params', field: 'snapshot' }),
    );
  });

  it('names the backup, its time and revision, and that every write after it is lost, beside what may be lost', async () => {
    const snapshot = await findRecoverSnapshot(store, project, file);
    const procedure = lifecycleProcedure(hosts, { action: 'recover', hosts: ['cp2'], snapshot: file }, snapshot);
    expect(() => requireConfirmation(procedure)).toThrow(
      /^Recovering deletes what is left on cp2 .* Confirm to go on \(--confirm\)\. With the backup 20261206T021500\.123Z-cp1\.db \(taken 2026-12-06T02:15:00\.123Z on cp1, etcd revision 40213\): if etcd lost its quorum, kubespray restores it from this backup .*every write to the cluster after 2026-12-06T02:15:00\.123Z is lost/,
    );
    const confirmed = { ...procedure, request: { ...procedure.request, confirm: true } };
    expect(() => requireConfirmation(confirmed)).not.toThrow();
  });
});

/** A run service that records the deploy node's lending and the runs started; every run succeeds. */
function fakeRuns() {
  const calls: string[] = [];
  const runs = {
    onDeployNode: async () => void calls.push('push'),
    start: async ({ options }: { options: RunOptions }) => {
      calls.push(`start ${JSON.stringify(options.extraVars)}`);
      return { id: 'r1' } as RunRecord;
    },
    attach: async () => undefined,
    whenEnded: async () => ({ id: 'r1', state: 'succeeded' }) as RunRecord,
  } as unknown as RunService;
  return { runs, calls };
}

describe('NodeLifecycleService with a snapshot', () => {
  const login = { credential: { label: 'ops', user: 'ops', auth: { kind: 'password' as const, password: 'pw' } } };
  const request = { action: 'recover' as const, hosts: ['cp2'], snapshot: file, confirm: true };

  it('pushes the snapshot to the deploy node just before the run that reads it', async () => {
    const { runs, calls } = fakeRuns();
    const lifecycle = new NodeLifecycleService({ projects: store, runs });
    const done = await (await lifecycle.begin(project.id, request, login)).advancing;
    expect(done.state).toBe('succeeded');
    expect(calls).toEqual([
      'push',
      `start {"etcd_retries":10,"etcd_snapshot":"/var/lib/airspray/etcd-snapshots/prod/${file}"}`,
    ]);
  });

  it('refuses, before reaching any host, a snapshot whose file on the stick lost its recorded sha256', async () => {
    await writeFile(join(etcdBackupFolder(store.projectFolder(project.id)), file), 'changed');
    const { runs, calls } = fakeRuns();
    const lifecycle = new NodeLifecycleService({ projects: store, runs });
    expect(await refusal(lifecycle.begin(project.id, request, login))).toMatchObject({
      code: 'conflict',
      field: 'snapshot',
      message: expect.stringMatching(/^The snapshot .* has sha256 [0-9a-f]{64}, its index records/),
    });
    expect(await refusal(lifecycle.checkedProcedure(project.id, request))).toMatchObject({ field: 'snapshot' });
    expect(calls).toEqual([]);
  });
});
