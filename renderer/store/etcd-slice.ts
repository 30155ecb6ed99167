import type { Api } from '../../electron/common/api';
import type {
  EtcdBackupList,
  EtcdBackupResult,
  EtcdCollectResult,
  EtcdRestoreResult,
  EtcdTimer,
} from '../../electron/common/etcd-api';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callWithFlags, flagKeys, idleFlags, readOpenProject } from './host-call';

export interface EtcdSlice {
  /** The open project's etcd snapshots, newest first; null until listed. */
  etcdBackups: EtcdBackupList | null;
  etcdBackupsProjectId: string | null;
  /** The backup just taken, to say what it was and what retention removed. */
  lastEtcdBackup: EtcdBackupResult | null;
  etcdBackingUp: boolean;
  etcdBackupError: FieldError | null;
  /** The restore just done: which snapshot, the members and their health. */
  lastEtcdRestore: EtcdRestoreResult | null;
  etcdRestoring: boolean;
  etcdRestoreError: FieldError | null;
  /** The snapshot timer as its member last reported it (after a schedule or a collect); null until asked. */
  etcdTimer: EtcdTimer | null;
  /** The project etcdTimer and lastEtcdCollect belong to. */
  etcdTimerProjectId: string | null;
  /** The last collect: what it copied to the stick. */
  lastEtcdCollect: EtcdCollectResult | null;
  etcdTimerBusy: boolean;
  etcdTimerError: FieldError | null;
  /** Reads the project's backup index (no login). */
  loadEtcdBackups(): Promise<void>;
  /** Takes a snapshot on an etcd member with the selected profile and the deploy key, then lists again. */
  backUpEtcd(): Promise<void>;
  /** Installs the timer taking a snapshot every `everyHours` (null: removes it), keeping etcdBackupsKept there. */
  scheduleEtcd(everyHours: number | null): Promise<void>;
  /** Copies the timer's snapshots the stick lacks, reads the timer, then lists again. */
  collectEtcd(): Promise<void>;
  /** Restores the snapshot `file` onto every etcd member, the operator having confirmed what is lost. */
  restoreEtcd(file: string, ignoreMemberMismatch: boolean): Promise<void>;
}

const flags = flagKeys('etcdBackingUp', 'etcdBackupError', 'etcd/backup');
const restoreFlags = flagKeys('etcdRestoring', 'etcdRestoreError', 'etcd/restore');
const timerFlags = flagKeys('etcdTimerBusy', 'etcdTimerError', 'etcd/timer');

export function createEtcdSlice(api: Api): SliceCreator<EtcdSlice> {
  return (set, get) => ({
    ...idleFlags(flags, restoreFlags, timerFlags),
    etcdBackups: null,
    etcdBackupsProjectId: null,
    lastEtcdBackup: null,
    lastEtcdRestore: null,
    etcdTimer: null,
    etcdTimerProjectId: null,
    lastEtcdCollect: null,

    loadEtcdBackups: () =>
      readOpenProject(get, (projectId) => api.call('etcd.backups', { projectId }), {
        done: (list, id) => set({ etcdBackups: list, etcdBackupsProjectId: id }, false, 'etcd/listed'),
        failed: (error) => set({ etcdBackupError: error }, false, 'etcd/list-failed'),
      }),

    backUpEtcd: () =>
      callWithFlags(get, set, flags, (params) => api.call('etcd.backup', params), {
        cleared: { lastEtcdBackup: null },
        stored: (result) => ({ lastEtcdBackup: result }),
        then: () => get().loadEtcdBackups(),
      }),

    scheduleEtcd: (everyHours) =>
      callWithFlags(
        get,
        set,
        timerFlags,
        (params) => api.call('etcd.schedule', { ...params, every: everyHours === null ? null : `${everyHours}h` }),
        { stored: (timer, projectId) => ({ etcdTimer: timer, etcdTimerProjectId: projectId }) },
      ),

    collectEtcd: () =>
      callWithFlags(get, set, timerFlags, (params) => api.call('etcd.collect', params), {
        cleared: { lastEtcdCollect: null },
        stored: (result, projectId) => ({
          etcdTimer: result.timer,
          etcdTimerProjectId: projectId,
          lastEtcdCollect: result,
        }),
        then: () => get().loadEtcdBackups(),
      }),

    restoreEtcd: (file, ignoreMemberMismatch) =>
      callWithFlags(
        get,
        set,
        restoreFlags,
        (params) => api.call('etcd.restore', { ...params, backup: file, confirm: true, ignoreMemberMismatch }),
        { cleared: { lastEtcdRestore: null }, stored: (result) => ({ lastEtcdRestore: result }) },
      ),
  });
}
