import type { Api } from '../../electron/common/api';
import type { EtcdBackupList, EtcdBackupResult, EtcdRestoreResult } from '../../electron/common/etcd-api';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { callOpenProjectHosts } from './host-call';
import { isStillOpen, openProjectId } from './session-slice';

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
  /** Reads the project's backup index (no login). */
  loadEtcdBackups(): Promise<void>;
  /** Takes a snapshot on an etcd member with the selected profile and the deploy key, then lists again. */
  backUpEtcd(): Promise<void>;
  /** Restores the snapshot `file` onto every etcd member, the operator having confirmed what is lost. */
  restoreEtcd(file: string, ignoreMemberMismatch: boolean): Promise<void>;
}

export function createEtcdSlice(api: Api): SliceCreator<EtcdSlice> {
  return (set, get) => ({
    etcdBackups: null,
    etcdBackupsProjectId: null,
    lastEtcdBackup: null,
    etcdBackingUp: false,
    etcdBackupError: null,
    lastEtcdRestore: null,
    etcdRestoring: false,
    etcdRestoreError: null,

    loadEtcdBackups: async () => {
      const id = openProjectId(get());
      if (!id) return;
      try {
        const list = await api.call('etcd.backups', { projectId: id });
        if (isStillOpen(get(), id)) set({ etcdBackups: list, etcdBackupsProjectId: id }, false, 'etcd/listed');
      } catch (error) {
        if (isStillOpen(get(), id)) set({ etcdBackupError: fieldErrorOf(error) }, false, 'etcd/list-failed');
      }
    },

    backUpEtcd: () =>
      callOpenProjectHosts(get, (params) => api.call('etcd.backup', params), {
        refused: (error) => set({ etcdBackupError: error }, false, 'etcd/refused'),
        busy: () => set({ etcdBackingUp: true, etcdBackupError: null, lastEtcdBackup: null }, false, 'etcd/backing-up'),
        done: (result) => {
          set({ lastEtcdBackup: result, etcdBackingUp: false }, false, 'etcd/backed-up');
          return get().loadEtcdBackups();
        },
        failed: (error) => set({ etcdBackingUp: false, etcdBackupError: error }, false, 'etcd/backup-failed'),
      }),

    restoreEtcd: (file, ignoreMemberMismatch) =>
      callOpenProjectHosts(
        get,
        (params) => api.call('etcd.restore', { ...params, backup: file, confirm: true, ignoreMemberMismatch }),
        {
          refused: (error) => set({ etcdRestoreError: error }, false, 'etcd/restore-refused'),
          busy: () =>
            set({ etcdRestoring: true, etcdRestoreError: null, lastEtcdRestore: null }, false, 'etcd/restoring'),
          done: (result) => set({ lastEtcdRestore: result, etcdRestoring: false }, false, 'etcd/restored'),
          failed: (error) => set({ etcdRestoring: false, etcdRestoreError: error }, false, 'etcd/restore-failed'),
        },
      ),
  });
}
