import { describe, expect, it } from 'vitest';
import type { EtcdBackup, EtcdBackupList, EtcdTimer } from '../../../electron/common/etcd-api';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi } from './scripted-api';

const project = projectDocument();
const backup: EtcdBackup = {
  file: '20260101T100000.000Z-node1.db',
  takenAt: '2026-01-01T10:00:00.000Z',
  member: { name: 'node1', address: '10.0.0.11' },
  sizeBytes: 20480,
  sha256: 'a'.repeat(64),
  revision: 12,
  totalKeys: 30,
  etcdHash: 1,
};
const empty: EtcdBackupList = { folder: '/data/p/etcd-backups', kept: 5, backups: [] };

describe('etcd slice', () => {
  it('backs up with the selected profile and passphrase, then lists the backups again', async () => {
    let backups: EtcdBackup[] = [];
    const api = new ScriptedApi()
      .on('etcd.backups', () => ({ ...empty, backups }))
      .on('etcd.backup', () => {
        backups = [backup];
        return { backup, folder: empty.folder, removed: [] };
      });
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    store.getState().setDeployKeyPassphrase('correct horse');
    await store.getState().loadEtcdBackups();
    expect(store.getState().etcdBackups).toEqual(empty);
    await store.getState().backUpEtcd();
    expect(api.callsOf('etcd.backup')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', keyPassphrase: 'correct horse' },
    ]);
    expect(store.getState()).toMatchObject({
      etcdBackups: { backups: [backup] },
      etcdBackupsProjectId: project.id,
      lastEtcdBackup: { backup },
      etcdBackingUp: false,
      etcdBackupError: null,
    });
  });

  it("restores with the confirmation and the operator's choice on member mismatch, and keeps the answer", async () => {
    const restored = { backup, members: [{ host: 'node1', etcdName: 'etcd1' }], health: [] };
    const api = new ScriptedApi().on('etcd.restore', () => restored);
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().restoreEtcd(backup.file, true);
    expect(api.callsOf('etcd.restore')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', backup: backup.file, confirm: true, ignoreMemberMismatch: true },
    ]);
    expect(store.getState()).toMatchObject({ lastEtcdRestore: restored, etcdRestoring: false, etcdRestoreError: null });
  });

  it('turns the timer on every N hours and off, and keeps what its member answered for this project', async () => {
    const on: EtcdTimer = { host: backup.member, every: '4h', keep: 5, lastRun: 'success', snapshots: [] };
    const api = new ScriptedApi().on('etcd.schedule', ({ every }) => (every === null ? { ...on, every: null } : on));
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().scheduleEtcd(4);
    expect(store.getState()).toMatchObject({ etcdTimer: on, etcdTimerProjectId: project.id, etcdTimerBusy: false });
    await store.getState().scheduleEtcd(null);
    expect(api.callsOf('etcd.schedule').map((call) => call.every)).toEqual(['4h', null]);
    expect(store.getState().etcdTimer?.every).toBeNull();
  });

  it("collects the timer's snapshots, keeps the answer, then lists the backups again", async () => {
    const timed = { ...backup, takenBy: 'timer' as const };
    const timer: EtcdTimer = { host: backup.member, every: '6h', keep: 2, lastRun: 'success', snapshots: [] };
    let backups: EtcdBackup[] = [];
    const api = new ScriptedApi()
      .on('etcd.backups', () => ({ ...empty, backups }))
      .on('etcd.collect', () => {
        backups = [timed];
        return { timer, collected: [timed], folder: empty.folder, removed: [] };
      });
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().collectEtcd();
    expect(api.callsOf('etcd.collect')).toEqual([{ projectId: project.id, credentialId: 'cred-1' }]);
    expect(store.getState()).toMatchObject({
      etcdTimer: timer,
      lastEtcdCollect: { collected: [timed] },
      etcdBackups: { backups: [timed] },
      etcdTimerError: null,
    });
  });
});
