import { useIntl } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { selectShownRun } from '../../store/runs-slice';
import { RunStateBadge } from '../deploy/run-view';
import { useRunReportDownload } from '../deploy/use-run-report-download';
import { formatDateTime } from '../../ui/format-date-time';
import { TableHead } from '../../ui/table-head';
import { RowButton } from '../../ui/row-button';

/** Every run of this cluster, newest first: when, who, what, how it ended; open one in the terminal or export it. */
export function RunHistory() {
  const intl = useIntl();
  const text = (id: MessageId) => intl.formatMessage({ id });
  const runs = useAirspray((state) => state.runs);
  const shownId = useAirspray((state) => selectShownRun(state)?.id);
  const showRun = useAirspray((state) => state.showRun);
  const download = useRunReportDownload();

  if (runs.length === 0) return <p className="muted">{intl.formatMessage({ id: 'operate.history.empty' })}</p>;
  return (
    <table className="table run-history" aria-label={text('operate.history.title')}>
      <TableHead
        columns={[
          text('operate.history.col.when'),
          text('operate.history.col.who'),
          text('operate.history.col.playbook'),
          text('operate.history.col.state'),
          { label: text('operate.history.col.exitCode'), className: 'num' },
          { label: <span className="visually-hidden">{text('operate.history.col.actions')}</span> },
        ]}
      />
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} aria-current={run.id === shownId ? 'true' : undefined}>
            <td>{formatDateTime(run.startedAt, intl.locale)}</td>
            <td>{run.startedBy}</td>
            <td title={run.commandLine}>{run.playbook}</td>
            <td>
              <RunStateBadge state={run.state} />
            </td>
            <td className="num">{run.exitCode ?? '—'}</td>
            <td className="run-history__actions">
              <RowButton
                textId="operate.history.open"
                labelId="operate.history.openLabel"
                values={{ runId: run.id }}
                onClick={() => showRun(run.id)}
              />
              <RowButton
                textId="operate.history.report"
                labelId="operate.history.reportLabel"
                values={{ runId: run.id }}
                ghost
                onClick={() => void download(run.id)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
