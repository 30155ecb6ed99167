import { FormattedMessage, useIntl } from 'react-intl';
import { defaultEtcdBackupsKept, type ClusterSettings } from '../../../electron/common/cluster-plan';
import { Field } from '../../ui/text-field';
import { WholeNumberInput } from '../../ui/whole-number-input';

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
    <section className="settings-section" aria-label={intl.formatMessage({ id: 'settings.dayTwo.title' })}>
      <h2 className="section-title">
        <FormattedMessage id="settings.dayTwo.title" />
      </h2>
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
    </section>
  );
}
