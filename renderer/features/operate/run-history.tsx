import { useAirspray } from '../../store/store-context';
import { selectShownRun } from '../../store/runs-slice';
import { RunStateBadge } from '../deploy/run-view';
import { useRunReportDownload } from '../deploy/use-run-report-download';
import { TableHead } from '../../ui/table-head';

/** Every run of this cluster, newest first: when, who, what, how it ended; open one in the terminal or export it. */
export function RunHistory() {
  const runs = useAirspray((state) => state.runs);
  const shownId = useAirspray((state) => selectShownRun(state)?.id);
  const showRun = useAirspray((state) => state.showRun);
  const download = useRunReportDownload();

  if (runs.length === 0) return <p className="muted">No runs yet: the Deploy step starts the first one.</p>;
  return (
    <table className="table run-history" aria-label="Run history">
      <TableHead
        columns={[
          'When',
          'Who',
          'Playbook',
          'State',
          { label: 'Exit code', className: 'num' },
          { label: <span className="visually-hidden">Actions</span> },
        ]}
      />
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} aria-current={run.id === shownId ? 'true' : undefined}>
            <td>{new Date(run.startedAt).toLocaleString()}</td>
            <td>{run.startedBy}</td>
            <td title={run.commandLine}>{run.playbook}</td>
            <td>
              <RunStateBadge state={run.state} />
            </td>
            <td className="num">{run.exitCode ?? '—'}</td>
            <td className="run-history__actions">
              <button
                type="button"
                className="btn btn--small"
                aria-label={`Open run ${run.id}`}
                onClick={() => showRun(run.id)}
              >
                Open
              </button>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                aria-label={`Download report of run ${run.id}`}
                onClick={() => void download(run.id)}
              >
                Download report
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
