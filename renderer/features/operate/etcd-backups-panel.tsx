import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EtcdBackupList, EtcdBackupResult } from '../../../electron/common/etcd-api';
import { formatBytes } from '../../../electron/common/format-bytes';
import { useAirspray } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { TableHead } from '../../ui/table-head';
import './etcd-backups.css';

function BackupsTable({ list }: { list: EtcdBackupList }) {
  if (list.backups.length === 0) return <p className="muted">No snapshot yet.</p>;
  return (
    <table className="table etcd-backups" aria-label="etcd backups">
      <TableHead columns={['Taken', 'Member', 'Revision', 'Keys', 'Size', 'sha256']} />
      <tbody>
        {list.backups.map((backup) => (
          <tr key={backup.file}>
            <td>
              {new Date(backup.takenAt).toLocaleString()}
              <div className="muted etcd-backups__file">{backup.file}</div>
            </td>
            <td>{backup.member.name}</td>
            <td>{backup.revision}</td>
            <td>{backup.totalKeys}</td>
            <td>{formatBytes(backup.sizeBytes)}</td>
            <td className="etcd-backups__sha" title={backup.sha256}>
              {backup.sha256.slice(0, 16)}…
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LastBackup({ result }: { result: EtcdBackupResult }) {
  const { backup } = result;
  return (
    <p className="etcd-backups__done" role="status">
      Snapshot from {backup.member.name} at revision {backup.revision} saved, sha256 checked
      {result.removed.length > 0 &&
        `; removed ${result.removed.length} older one${result.removed.length > 1 ? 's' : ''}`}
      .
    </p>
  );
}

/** etcd snapshots taken on a member over the deploy key and kept on the stick, the last N of them. */
export function EtcdBackupsPanel() {
  const { projectId, list, last, busy, error } = useAirspray(
    useShallow((state) => ({
      projectId: state.currentProject?.id,
      list: state.etcdBackupsProjectId === state.currentProject?.id ? state.etcdBackups : null,
      last: state.lastEtcdBackup,
      busy: state.etcdBackingUp,
      error: state.etcdBackupError,
    })),
  );
  const { loadEtcdBackups, backUpEtcd } = useAirspray(
    useShallow((state) => ({ loadEtcdBackups: state.loadEtcdBackups, backUpEtcd: state.backUpEtcd })),
  );
  useEffect(() => {
    if (projectId) void loadEtcdBackups();
  }, [projectId, loadEtcdBackups]);

  return (
    <section aria-label="etcd backups" className="etcd-backups-panel">
      <h2 className="section-title">etcd backups</h2>
      <p className="muted">
        A snapshot taken on an etcd member with kubespray&apos;s certificates, checked, and copied to the data folder
        {list && ` (${list.folder}), keeping the last ${list.kept}`}.
      </p>
      <div className="etcd-backups__actions">
        <button type="button" className="btn" disabled={busy} onClick={() => void backUpEtcd()}>
          {busy ? 'Backing up…' : 'Back up etcd'}
        </button>
      </div>
      <ErrorText message={error?.message} />
      {last && list?.backups.some((backup) => backup.file === last.backup.file) && <LastBackup result={last} />}
      {list && <BackupsTable list={list} />}
    </section>
  );
}
