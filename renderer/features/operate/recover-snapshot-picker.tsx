import { useIntl } from 'react-intl';
import { recoverSnapshotMessage } from '../../../electron/common/recover-control-plane';
import { formatCoreMessage } from '../../i18n/core-message';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { useLoadForProject } from '../../store/use-load-for-project';
import { formatDateTime } from '../../ui/format-date-time';
import { SelectField } from '../../ui/text-field';

/**
 * The stored etcd backup a recovery restores from if etcd lost its quorum (kubespray's etcd_snapshot), or none (a
 * snapshot of the first member); once one is picked, what restoring from it loses.
 */
export function RecoverSnapshotPicker({ value, onChange }: { value: string; onChange(file: string): void }) {
  const intl = useIntl();
  const list = useAirspray((state) =>
    state.etcdBackupsProjectId === state.currentProject?.id ? state.etcdBackups : null,
  );
  const { loadEtcdBackups } = useAirsprayPick('loadEtcdBackups');
  useLoadForProject(loadEtcdBackups);
  const backups = list?.backups ?? [];
  const picked = backups.find((backup) => backup.file === value);
  return (
    <>
      <SelectField
        className="operate-field"
        label={intl.formatMessage({ id: 'operate.recover.snapshot' })}
        value={picked ? value : ''}
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
      {picked && (
        <p className="field-error" role="note">
          {formatCoreMessage(intl, recoverSnapshotMessage(picked))}
        </p>
      )}
    </>
  );
}
