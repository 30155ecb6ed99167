import { useIntl } from 'react-intl';
import { defaultEtcdBackupsKept, type ClusterSettings } from '../../../electron/common/cluster-plan';
import { Field } from '../../ui/text-field';
import { WholeNumberInput } from '../../ui/whole-number-input';
import { TitledSection } from '../../ui/titled-section';

/** Day-two settings: how many etcd snapshots the project's folder keeps (Operate step, etcd backups). */
export function DayTwoSection({
  settings,
  set,
}: {
  settings: ClusterSettings;
  set: (change: Partial<ClusterSettings>) => void;
}) {
  const intl = useIntl();
  return (
    <TitledSection titleId="settings.dayTwo.title" className="settings-section">
      <div className="settings-grid">
        <Field
          label={intl.formatMessage({ id: 'settings.dayTwo.etcdBackups' })}
          hint={intl.formatMessage({ id: 'settings.dayTwo.etcdBackups.hint' }, { count: defaultEtcdBackupsKept })}
        >
          {(input) => (
            <WholeNumberInput
              {...input}
              min={1}
              max={100}
              fallback={1}
              optional
              placeholder={intl.formatNumber(defaultEtcdBackupsKept)}
              value={settings.etcdBackupsKept}
              onChange={(etcdBackupsKept) => set({ etcdBackupsKept })}
            />
          )}
        </Field>
      </div>
    </TitledSection>
  );
}
