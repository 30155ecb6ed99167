import { useIntl } from 'react-intl';
import type { EtcdBackup } from '../../../electron/common/etcd-api';
import { recoverSnapshotMessage } from '../../../electron/common/recover-control-plane';
import { formatCoreMessage } from '../../i18n/core-message';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { useLoadForProject } from '../../store/use-load-for-project';
import { formatDateTime } from '../../ui/format-date-time';
import { SelectField } from '../../ui/text-field';

/** The open project's stored etcd backups, newest first, listed once the project is open. */
function useStoredBackups(): EtcdBackup[] {
  const list = useAirspray((state) =>
    state.etcdBackupsProjectId === state.currentProject?.id ? state.etcdBackups : null,
  );
  const { loadEtcdBackups } = useAirsprayPick('loadEtcdBackups');
  useLoadForProject(loadEtcdBackups);
  return list?.backups ?? [];
}

/** The stored etcd backup a recovery restores from if etcd lost its quorum (kubespray's etcd_snapshot), or none. */
export function RecoverSnapshotPicker({ value, onChange }: { value: string; onChange(file: string): void }) {
  const intl = useIntl();
  const backups = useStoredBackups();
  return (
    <SelectField
      className="operate-field"
      label={intl.formatMessage({ id: 'operate.recover.snapshot' })}
      value={backups.some((backup) => backup.file === value) ? value : ''}
      onChange={onChange}
    >
      <option value="">{intl.formatMessage({ id: 'operate.recover.snapshot.none' })}</option>
      {backups.map((backup) => (
        <option key={backup.file} value={backup.file}>
          {intl.formatMessage(
            { id: 'operate.recover.snapshot.option' },
            {
              taken: formatDateTime(backup.takenAt, intl.locale),
              revision: backup.revision,
              member: backup.member.name,
            },
          )}
        </option>
      ))}
    </SelectField>
  );
}

/** What restoring from the picked backup loses, beside what recovering may lose (nothing when none is picked). */
export function RecoverSnapshotLoss({ file }: { file: string }) {
  const intl = useIntl();
  const picked = useStoredBackups().find((backup) => backup.file === file);
  if (!picked) return null;
  return (
    <p className="field-error" role="note">
      {formatCoreMessage(intl, recoverSnapshotMessage(picked))}
    </p>
  );
}
