import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { MessageId } from '../../i18n/catalogs';
import type { OfflineServicesResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistError, ChecklistItem, MainButton } from './checklist-item';
import { OutcomeTable, okClass } from './outcome-table';
import { ActionRow } from '../../ui/action-row';

type HealthReport = OfflineServicesResult['reports'][number];
type CheckName = HealthReport['checks'][number]['name'];

const checkColumns: { name: CheckName; label: MessageId }[] = [
  { name: 'registry', label: 'deploy.services.col.registry' },
  { name: 'image', label: 'deploy.services.col.image' },
  { name: 'file', label: 'deploy.services.col.file' },
  { name: 'repo', label: 'deploy.services.col.repo' },
];

function HealthTable({ reports }: { reports: HealthReport[] }) {
  return (
    <OutcomeTable
      labelId="deploy.services.table"
      columnIds={['deploy.services.col.from', ...checkColumns.map((column) => column.label)]}
      rows={reports}
      rowKey={(report) => report.from}
    >
      {(report) => (
        <>
          <td className="mono">
            {report.from === 'laptop' ? <FormattedMessage id="deploy.services.thisComputer" /> : report.from}
          </td>
          {checkColumns.map((column) => {
            const check = report.checks.find((entry) => entry.name === column.name);
            if (!check) return <td key={column.name}>—</td>;
            return (
              <td key={column.name} title={`${check.url}: ${check.detail}`}>
                <span className={okClass(check.ok)}>
                  <FormattedMessage id={check.ok ? 'deploy.check.ok' : 'deploy.check.failed'} />
                </span>
                {!check.ok && <span className="deploy-table__detail">{check.detail}</span>}
              </td>
            );
          })}
        </>
      )}
    </OutcomeTable>
  );
}

/** Step 3: the registry and file server on the deploy node as systemd units, checked from here and from every host. */
export function OfflineServicesItem() {
  const intl = useIntl();
  const services = useAirspray(useShallow((state) => state.offlineServices));
  const start = useAirspray((state) => state.startOfflineServices);
  const check = useAirspray((state) => state.checkOfflineServices);
  const harbor = useAirspray((state) => state.currentProject?.cluster.settings.registry.kind === 'harbor');
  const working = services.state === 'working';
  const failedReports = services.result?.reports.filter((report) => !report.ok).length ?? 0;
  const summary = services.result
    ? services.result.ok
      ? intl.formatMessage(
          { id: 'deploy.services.healthy' },
          { time: new Date(services.checkedAt ?? '').toLocaleTimeString(intl.locale) },
        )
      : intl.formatMessage(
          { id: 'deploy.services.problems' },
          { failed: failedReports, total: services.result.reports.length },
        )
    : intl.formatMessage({ id: harbor ? 'deploy.services.aboutHarbor' : 'deploy.services.about' });

  return (
    <ChecklistItem
      number={3}
      titleId={harbor ? 'deploy.services.titleHarbor' : 'deploy.services.title'}
      state={services.state}
      summary={summary}
    >
      <ActionRow
        className="checklist-item__actions"
        note={
          working && (
            <FormattedMessage
              id={services.action === 'start' ? 'deploy.services.starting' : 'deploy.services.checking'}
            />
          )
        }
      >
        <MainButton number={3} disabled={working} onClick={() => void start()}>
          <FormattedMessage id={services.result?.ok ? 'deploy.services.startAgain' : 'deploy.services.start'} />
        </MainButton>
        <button type="button" className="btn btn--ghost" disabled={working} onClick={() => void check()}>
          <FormattedMessage id="deploy.services.check" />
        </button>
      </ActionRow>
      <ChecklistError error={services.error} />
      {services.result && <HealthTable reports={services.result.reports} />}
    </ChecklistItem>
  );
}
