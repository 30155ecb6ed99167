import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SweepClass } from '../../../electron/common/discovery';
import { sortByAddress } from '../../store/discovery-slice';
import { useAirspray } from '../../store/store-context';

export const sweepClassLabels: Record<SweepClass, string> = {
  ssh: 'SSH',
  'open-not-ssh': 'open, not SSH',
  closed: 'closed',
  silent: 'silent',
};

const sweepClassHints: Record<SweepClass, string> = {
  ssh: 'Answered with an SSH identification string',
  'open-not-ssh': 'The port is open, but the service is not SSH',
  closed: 'The host refused the connection (TCP reset): it is up, without SSH on this port',
  silent: 'No answer before the timeout: no host, or a firewall dropping the connection',
};

/** The sweep's answers as they stream in; silent addresses are counted and hidden unless asked for. */
export function SweepResultsTable() {
  const results = useAirspray((state) => state.sweep.results);
  const unselected = useAirspray(useShallow((state) => state.unselectedHosts));
  const setHostSelected = useAirspray((state) => state.setHostSelected);
  const setAllHostsSelected = useAirspray((state) => state.setAllHostsSelected);
  const [showSilent, setShowSilent] = useState(false);

  const sorted = useMemo(() => sortByAddress(results), [results]);
  const silentCount = useMemo(() => results.filter((result) => result.class === 'silent').length, [results]);
  const sshCount = useMemo(() => results.filter((result) => result.class === 'ssh').length, [results]);
  const shown = showSilent ? sorted : sorted.filter((result) => result.class !== 'silent');
  const allSelected = sshCount > 0 && unselected.length === 0;

  if (results.length === 0) return null;

  return (
    <section className="sweep-results" aria-labelledby="sweep-results-title">
      <div className="sweep-results__head">
        <h2 id="sweep-results-title" className="section-title">
          Answers
        </h2>
        {silentCount > 0 && (
          <label className="check-label small">
            <input type="checkbox" checked={showSilent} onChange={(event) => setShowSilent(event.target.checked)} />
            Show {silentCount} silent {silentCount === 1 ? 'address' : 'addresses'}
          </label>
        )}
      </div>
      <table className="table sweep-table" aria-label="Sweep results">
        <thead>
          <tr>
            <th scope="col" className="sweep-table__pick">
              <input
                type="checkbox"
                aria-label="Select every SSH host"
                checked={allSelected}
                disabled={sshCount === 0}
                onChange={(event) => setAllHostsSelected(event.target.checked)}
              />
            </th>
            <th scope="col">Address</th>
            <th scope="col">Answer</th>
            <th scope="col">Port</th>
            <th scope="col">Banner</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((result) => (
            <tr key={result.address} className={`sweep-row sweep-row--${result.class}`}>
              <td className="sweep-table__pick">
                {result.class === 'ssh' && (
                  <input
                    type="checkbox"
                    aria-label={`Use ${result.address}`}
                    checked={!unselected.includes(result.address)}
                    onChange={(event) => setHostSelected(result.address, event.target.checked)}
                  />
                )}
              </td>
              <td className="mono">
                {result.address}
                {result.hostName && result.hostName !== result.address && (
                  <span className="muted"> ({result.hostName})</span>
                )}
              </td>
              <td>
                <span className={`badge sweep-class--${result.class}`} title={sweepClassHints[result.class]}>
                  {sweepClassLabels[result.class]}
                </span>
              </td>
              <td className="mono">{result.port ?? ''}</td>
              <td className="mono sweep-table__banner">{result.banner ?? result.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!showSilent && silentCount > 0 && (
        <p className="small muted sweep-results__silent">
          {silentCount} silent {silentCount === 1 ? 'address' : 'addresses'} hidden: nothing answered there before the
          timeout.
        </p>
      )}
    </section>
  );
}
