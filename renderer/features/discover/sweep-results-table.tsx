import { useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { SweepClass } from '../../../electron/common/discovery';
import type { MessageId } from '../../i18n/catalogs';
import { sortByAddress } from '../../store/discovery-slice';
import { useAirspray } from '../../store/store-context';

const sweepClassIds: Record<SweepClass, string> = {
  ssh: 'ssh',
  'open-not-ssh': 'openNotSsh',
  closed: 'closed',
  silent: 'silent',
};
const sweepClassLabel = (kind: SweepClass) => `discover.class.${sweepClassIds[kind]}` as MessageId;
const sweepClassHint = (kind: SweepClass) => `discover.class.${sweepClassIds[kind]}.hint` as MessageId;

const columnIds: MessageId[] = [
  'discover.results.address',
  'discover.results.answer',
  'discover.results.port',
  'discover.results.banner',
];

/** The sweep's answers as they stream in; silent addresses are counted and hidden unless asked for. */
export function SweepResultsTable() {
  const intl = useIntl();
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
          <FormattedMessage id="discover.results.title" />
        </h2>
        {silentCount > 0 && (
          <label className="check-label small">
            <input type="checkbox" checked={showSilent} onChange={(event) => setShowSilent(event.target.checked)} />
            <FormattedMessage id="discover.results.showSilent" values={{ count: silentCount }} />
          </label>
        )}
      </div>
      <table className="table sweep-table" aria-label={intl.formatMessage({ id: 'discover.results.label' })}>
        <thead>
          <tr>
            <th scope="col" className="sweep-table__pick">
              <input
                type="checkbox"
                aria-label={intl.formatMessage({ id: 'discover.results.selectAll' })}
                checked={allSelected}
                disabled={sshCount === 0}
                onChange={(event) => setAllHostsSelected(event.target.checked)}
              />
            </th>
            {columnIds.map((id) => (
              <th key={id} scope="col">
                <FormattedMessage id={id} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((result) => (
            <tr key={result.address} className={`sweep-row sweep-row--${result.class}`}>
              <td className="sweep-table__pick">
                {result.class === 'ssh' && (
                  <input
                    type="checkbox"
                    aria-label={intl.formatMessage({ id: 'discover.results.use' }, { address: result.address })}
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
                <span
                  className={`badge sweep-class--${result.class}`}
                  title={intl.formatMessage({ id: sweepClassHint(result.class) })}
                >
                  <FormattedMessage id={sweepClassLabel(result.class)} />
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
          <FormattedMessage id="discover.results.silentHidden" values={{ count: silentCount }} />
        </p>
      )}
    </section>
  );
}
