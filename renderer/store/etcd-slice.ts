import type { Api } from '../../electron/common/api';
import type { EtcdBackupList, EtcdBackupResult } from '../../electron/common/etcd-api';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, openProjectId, sshCallParams } from './session-slice';

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

    backUpEtcd: async () => {
      const params = sshCallParams(
        get(),
        'Pick a credential profile with a sudo password, or add one on the Access step.',
      );
      if (!params) return;
      if (isRefusal(params)) return set({ etcdBackupError: params }, false, 'etcd/refused');
      const id = params.projectId;
      set({ etcdBackingUp: true, etcdBackupError: null, lastEtcdBackup: null }, false, 'etcd/backing-up');
      try {
        const result = await api.call('etcd.backup', params);
        if (isStillOpen(get(), id)) set({ lastEtcdBackup: result, etcdBackingUp: false }, false, 'etcd/backed-up');
        await get().loadEtcdBackups();
      } catch (error) {
        if (isStillOpen(get(), id))
          set({ etcdBackingUp: false, etcdBackupError: fieldErrorOf(error) }, false, 'etcd/backup-failed');
      }
    },
  });
}
