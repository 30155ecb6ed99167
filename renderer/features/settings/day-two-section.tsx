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
  return (
    <section className="settings-section" aria-label="Day two">
      <h2 className="section-title">Day two</h2>
      <div className="settings-grid">
        <Field
          label="etcd backups kept"
          hint={`The newest snapshots kept in the project's folder; older ones are removed. Empty: ${defaultEtcdBackupsKept}.`}
        >
          {(input) => (
            <WholeNumberInput
              {...input}
              min={1}
              max={100}
              fallback={1}
              optional
              placeholder={String(defaultEtcdBackupsKept)}
              value={settings.etcdBackupsKept}
              onChange={(etcdBackupsKept) => set({ etcdBackupsKept })}
            />
          )}
        </Field>
      </div>
    </section>
  );
}
