import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type {
  EtcdBackup,
  EtcdBackupList,
  EtcdBackupResult,
  EtcdRestoreResult,
} from '../../../electron/common/etcd-api';
import { formatBytes } from '../../../electron/common/format-bytes';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { useLoadForProject } from '../../store/use-load-for-project';
import { ErrorText } from '../../ui/error-text';
import { formatDateTime } from '../../ui/format-date-time';
import { TableHead } from '../../ui/table-head';
import { TitledSection } from '../../ui/titled-section';
import { EtcdRestoreDialog } from './etcd-restore-dialog';
import { EtcdSchedule } from './etcd-schedule';
import './etcd-backups.css';
import { RowButton } from '../../ui/row-button';

const columns: MessageId[] = [
  'operate.etcd.col.taken',
  'operate.etcd.col.member',
  'operate.etcd.col.revision',
  'operate.etcd.col.keys',
  'operate.etcd.col.size',
  'operate.etcd.col.sha256',
  'operate.etcd.col.restore',
];

function BackupsTable({ list, onRestore }: { list: EtcdBackupList; onRestore?: (backup: EtcdBackup) => void }) {
  const intl = useIntl();
  if (list.backups.length === 0) return <p className="muted">{intl.formatMessage({ id: 'operate.etcd.empty' })}</p>;
  return (
    <table className="table etcd-backups" aria-label={intl.formatMessage({ id: 'operate.etcd.title' })}>
      <TableHead columns={columns.map((id) => intl.formatMessage({ id }))} />
      <tbody>
        {list.backups.map((backup) => (
          <tr key={backup.file}>
            <td>
              {formatDateTime(backup.takenAt, intl.locale)}
              <div className="muted etcd-backups__file">{backup.file}</div>
            </td>
            <td>
              {backup.member.name}
              {backup.takenBy === 'timer' && (
                <div className="muted">
                  <FormattedMessage id="operate.etcd.byTimer" />
                </div>
              )}
            </td>
            <td>{backup.revision}</td>
            <td>{backup.totalKeys}</td>
            <td>{formatBytes(backup.sizeBytes, intl.locale)}</td>
            <td className="etcd-backups__sha" title={backup.sha256}>
              {backup.sha256.slice(0, 16)}…
            </td>
            <td>
              <RowButton
                textId="operate.etcd.restore.button"
                labelId="operate.etcd.restore.button.label"
                values={{ file: backup.file }}
                disabled={!onRestore}
                onClick={() => onRestore?.(backup)}
              />
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
      <FormattedMessage
        id="operate.etcd.done"
        values={{ member: backup.member.name, revision: backup.revision, removed: result.removed.length }}
      />
    </p>
  );
}

function LastRestore({ result }: { result: EtcdRestoreResult }) {
  const healthy = result.health.filter((member) => member.healthy).length;
  return (
    <p className="etcd-backups__done" role="status">
      <FormattedMessage
        id="operate.etcd.restore.done"
        values={{ revision: result.backup.revision, members: result.members.length, healthy }}
      />
    </p>
  );
}

/** The Restore dialog's state: which snapshot it asks about, and the call once confirmed. */
function useRestore() {
  const [asking, setAsking] = useState<EtcdBackup | null>(null);
  const { restoreEtcd } = useAirsprayPick('restoreEtcd');
  const members = useAirspray(
    useShallow(
      (state) => state.currentProject?.cluster.hosts.filter((host) => host.roles.etcd).map((host) => host.name) ?? [],
    ),
  );
  const dialog = asking && (
    <EtcdRestoreDialog
      backup={asking}
      members={members}
      onClose={() => setAsking(null)}
      onConfirm={(ignoreMismatch) => {
        setAsking(null);
        void restoreEtcd(asking.file, ignoreMismatch);
      }}
    />
  );
  return { ask: setAsking, dialog };
}

/** etcd snapshots taken on a member over the deploy key and kept on the stick, the last N of them. */
export function EtcdBackupsPanel() {
  const { list, last, busy, error, restored, restoring, restoreError } = useAirspray(
    useShallow((state) => ({
      list: state.etcdBackupsProjectId === state.currentProject?.id ? state.etcdBackups : null,
      last: state.lastEtcdBackup,
      busy: state.etcdBackingUp,
      error: state.etcdBackupError,
      restored: state.lastEtcdRestore,
      restoring: state.etcdRestoring,
      restoreError: state.etcdRestoreError,
    })),
  );
  const restore = useRestore();
  const { loadEtcdBackups, backUpEtcd } = useAirsprayPick('loadEtcdBackups', 'backUpEtcd');
  useLoadForProject(loadEtcdBackups);

  return (
    <TitledSection titleId="operate.etcd.title" className="etcd-backups-panel">
      <p className="muted">
        <FormattedMessage
          id="operate.etcd.help"
          values={{ hasList: Boolean(list), folder: list?.folder ?? '', kept: list?.kept ?? 0 }}
        />
      </p>
      <div className="toolbar">
        <button type="button" className="btn" disabled={busy || restoring} onClick={() => void backUpEtcd()}>
          <FormattedMessage id={busy ? 'operate.etcd.backingUp' : 'operate.etcd.backUp'} />
        </button>
        {restoring && (
          <span className="muted" role="status">
            <FormattedMessage id="operate.etcd.restore.running" />
          </span>
        )}
      </div>
      <ErrorText message={error?.message ?? restoreError?.message} />
      {last && list?.backups.some((backup) => backup.file === last.backup.file) && <LastBackup result={last} />}
      {restored && <LastRestore result={restored} />}
      <EtcdSchedule disabled={busy || restoring} />
      {list && <BackupsTable list={list} {...(busy || restoring ? {} : { onRestore: restore.ask })} />}
      {restore.dialog}
    </TitledSection>
  );
}
