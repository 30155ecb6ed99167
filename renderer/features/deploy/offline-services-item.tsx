import { useShallow } from 'zustand/react/shallow';
import type { OfflineServicesResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistError, ChecklistItem, useMainButtonClass } from './checklist-item';
import { OutcomeTable, okClass } from './outcome-table';

type HealthReport = OfflineServicesResult['reports'][number];
type CheckName = HealthReport['checks'][number]['name'];

const checkColumns: { name: CheckName; label: string }[] = [
  { name: 'registry', label: 'Registry' },
  { name: 'image', label: 'Image' },
  { name: 'file', label: 'File' },
  { name: 'repo', label: 'Repo' },
];

function HealthTable({ reports }: { reports: HealthReport[] }) {
  return (
    <OutcomeTable
      label="Offline services health"
      columns={['Checked from', ...checkColumns.map((column) => column.label)]}
      rows={reports}
      rowKey={(report) => report.from}
    >
      {(report) => (
        <>
          <td className="mono">{report.from === 'laptop' ? 'this computer' : report.from}</td>
          {checkColumns.map((column) => {
            const check = report.checks.find((entry) => entry.name === column.name);
            if (!check) return <td key={column.name}>—</td>;
            return (
              <td key={column.name} title={`${check.url}: ${check.detail}`}>
                <span className={okClass(check.ok)}>{check.ok ? 'ok' : 'failed'}</span>
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
  const mainButton = useMainButtonClass(3);
  const services = useAirspray(useShallow((state) => state.offlineServices));
  const start = useAirspray((state) => state.startOfflineServices);
  const check = useAirspray((state) => state.checkOfflineServices);
  const harbor = useAirspray((state) => state.currentProject?.cluster.settings.registry.kind === 'harbor');
  const working = services.state === 'working';
  const failedReports = services.result?.reports.filter((report) => !report.ok).length ?? 0;
  const summary = services.result
    ? services.result.ok
      ? `Healthy from this computer and every host (checked ${new Date(services.checkedAt ?? '').toLocaleTimeString()}).`
      : `${failedReports} of ${services.result.reports.length} places see a problem: start the services, or push the bundle first.`
    : harbor
      ? "The bundle's file server (files, repos) runs as a systemd unit, so it outlives the laptop and a reboot; images come from Harbor."
      : "The bundle's registry (images) and file server (files, repos) run as systemd units, so they outlive the laptop and a reboot.";

  return (
    <ChecklistItem
      number={3}
      title={harbor ? 'File server on the deploy node' : 'Registry and file server on the deploy node'}
      state={services.state}
      summary={summary}
    >
      <div className="checklist-item__actions">
        <button type="button" className={mainButton} disabled={working} onClick={() => void start()}>
          {services.result?.ok ? 'Start again' : 'Start the services'}
        </button>
        <button type="button" className="btn btn--ghost" disabled={working} onClick={() => void check()}>
          Check
        </button>
        {working && (
          <span className="small muted">
            {services.action === 'start'
              ? 'Starting the units, then checking from everywhere…'
              : 'Checking from here and from every host…'}
          </span>
        )}
      </div>
      <ChecklistError error={services.error} />
      {services.result && <HealthTable reports={services.result.reports} />}
    </ChecklistItem>
  );
}
