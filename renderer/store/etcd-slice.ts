import type { Api } from '../../electron/common/api';
import type { EtcdBackupList, EtcdBackupResult } from '../../electron/common/etcd-api';
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
  /** Reads the project's backup index (no login). */
  loadEtcdBackups(): Promise<void>;
  /** Takes a snapshot on an etcd member with the selected profile and the deploy key, then lists again. */
  backUpEtcd(): Promise<void>;
}

export function createEtcdSlice(api: Api): SliceCreator<EtcdSlice> {
  return (set, get) => ({
    etcdBackups: null,
    etcdBackupsProjectId: null,
    lastEtcdBackup: null,
    etcdBackingUp: false,
    etcdBackupError: null,

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
  });
}
