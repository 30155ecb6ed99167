import { FormattedMessage, useIntl } from 'react-intl';
import type { HostCounts, RunDigest } from '../../../electron/common/run';
import { failureReason } from '../../../electron/common/run-failure-reason';
import { Fact } from '../../ui/fact';

const recapColumns = [
  'ok',
  'changed',
  'unreachable',
  'failed',
  'skipped',
] as const satisfies readonly (keyof HostCounts)[];
const rareColumns = ['rescued', 'ignored'] as const satisfies readonly (keyof HostCounts)[];

/** The recap's columns: the rare ones only when some host has them, so the table fits beside the terminal. */
function columnsOf(recap: Record<string, HostCounts>): (keyof HostCounts)[] {
  return [
    ...recapColumns,
    ...rareColumns.filter((column) => Object.values(recap).some((counts) => counts[column] > 0)),
  ];
}

function CountsTable({
  label,
  counts,
  columns,
}: {
  label: string;
  counts: Record<string, HostCounts>;
  columns: readonly (keyof HostCounts)[];
}) {
  const hosts = Object.keys(counts).sort();
  // Seven columns can be wider than the panel: the table scrolls within it rather than over the page.
  return (
    <div className="run-counts-scroll">
      <table className="table run-counts" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">
              <FormattedMessage id="deploy.col.host" />
            </th>
            {columns.map((column) => (
              <th scope="col" key={column} className="num">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => {
            const hostCounts = counts[host];
            const bad = hostCounts && (hostCounts.failed > 0 || hostCounts.unreachable > 0);
            return (
              <tr key={host} className={bad ? 'run-counts__row--bad' : undefined}>
                <th scope="row">{host}</th>
                {columns.map((column) => (
                  <td key={column} className={`num${hostCounts?.[column] ? ` run-count--${column}` : ''}`}>
                    {hostCounts?.[column] ?? 0}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Progress({ digest, running }: { digest: RunDigest; running: boolean }) {
  const intl = useIntl();
  if (digest.tasksPlanned) {
    const done = Math.min(digest.tasksStarted, digest.tasksPlanned);
    return (
      <div className="run-progress">
        <progress
          aria-label={intl.formatMessage({ id: 'run.progress' })}
          value={running ? done : digest.tasksPlanned}
          max={digest.tasksPlanned}
        />
        <span className="small muted">
          <FormattedMessage
            id="run.progress.planned"
            values={{ ratio: done / digest.tasksPlanned, done, planned: digest.tasksPlanned }}
          />
        </span>
      </div>
    );
  }
  return (
    <p className="small muted">
      <FormattedMessage id="run.progress.started" values={{ count: digest.tasksStarted }} />
    </p>
  );
}

/** What Ansible's output says so far: where the run is, per-host counts, failures with their reasons, the recap. */
export function RunDigestPanel({ digest, running }: { digest: RunDigest; running: boolean }) {
  const intl = useIntl();
  const recap = intl.formatMessage({ id: 'run.recap' });
  const failedTasks = intl.formatMessage({ id: 'run.failedTasks' });
  return (
    <aside className="run-digest" aria-label={intl.formatMessage({ id: 'run.summary' })}>
      <dl className="run-digest__where">
        <Fact labelId="run.play">{digest.play ?? '—'}</Fact>
        <Fact labelId="run.task">{digest.task ?? '—'}</Fact>
      </dl>
      <Progress digest={digest} running={running} />

      {digest.recap ? (
        <section>
          <h3 className="run-subtitle">{recap}</h3>
          <CountsTable label={recap} counts={digest.recap} columns={columnsOf(digest.recap)} />
        </section>
      ) : (
        Object.keys(digest.hosts).length > 0 && (
          <section>
            <h3 className="run-subtitle">
              <FormattedMessage id="run.hostsSoFar" />
            </h3>
            <CountsTable
              label={intl.formatMessage({ id: 'run.hostCounts' })}
              counts={digest.hosts}
              columns={['ok', 'changed', 'unreachable', 'failed']}
            />
          </section>
        )
      )}

      {digest.failures.length > 0 && (
        <section>
          <h3 className="run-subtitle">{failedTasks}</h3>
          <ul className="run-failures" aria-label={failedTasks}>
            {digest.failures.map((failure, index) => (
              <li key={index} className="run-failure">
                <span className="run-failure__head">
                  <FormattedMessage id="run.failure" values={failure} />
                </span>
                <span className="run-failure__reason">{failureReason(failure.message)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
