import { useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { SweepClass, SweepResult } from '../../../electron/common/discovery';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { everyHost, HostFilterBar, type AppliedFilter } from '../../ui/host-filter-bar';
import { VirtualTable } from '../../ui/virtual-rows';

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

/** What the host filter reads of an answer: the name it gave, else its address. */
const asFilterable = (result: SweepResult) => ({ name: result.hostName ?? result.address, address: result.address });

/**
 * The sweep's answers as they stream in, filtered; silent addresses are counted and hidden unless asked for. Only
 * the rows in view are in the page: a /16 answers with tens of thousands.
 */
export function SweepResultsTable() {
  const results = useAirspray((state) => state.sweep.results);
  const selectOnlyHosts = useAirspray((state) => state.selectOnlyHosts);
  const [showSilent, setShowSilent] = useState(false);
  const [filter, setFilter] = useState<AppliedFilter>(everyHost);

  const silentCount = useMemo(() => results.filter((result) => result.class === 'silent').length, [results]);
  const shown = useMemo(
    () => results.filter((result) => (showSilent || result.class !== 'silent') && filter.matches(asFilterable(result))),
    [results, showSilent, filter],
  );

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
      <HostFilterBar
        filterText={filter.text}
        onFilter={setFilter}
        shown={shown.length}
        total={showSilent ? results.length : results.length - silentCount}
        onSelectShown={() => selectOnlyHosts(shown.map((result) => result.address))}
      />
      <SweepTable shown={shown} filterText={filter.text} />
      {!showSilent && silentCount > 0 && (
        <p className="small muted sweep-results__silent">
          <FormattedMessage id="discover.results.silentHidden" values={{ count: silentCount }} />
        </p>
      )}
    </section>
  );
}

/** The rows in view of the answers `shown`, in a box of their own that scrolls. */
function SweepTable({ shown, filterText }: { shown: readonly SweepResult[]; filterText: string }) {
  const intl = useIntl();
  const unselectedList = useAirspray(useShallow((state) => state.unselectedHosts));
  const anySsh = useAirspray((state) => state.sweep.found > 0);
  const setHostSelected = useAirspray((state) => state.setHostSelected);
  const setAllHostsSelected = useAirspray((state) => state.setAllHostsSelected);
  const unselected = useMemo(() => new Set(unselectedList), [unselectedList]);
  const head = (
    <>
      <th scope="col" className="sweep-table__pick">
        <input
          type="checkbox"
          aria-label={intl.formatMessage({ id: 'discover.results.selectAll' })}
          checked={anySsh && unselected.size === 0}
          disabled={!anySsh}
          onChange={(event) => setAllHostsSelected(event.target.checked)}
        />
      </th>
      {columnIds.map((id) => (
        <th key={id} scope="col">
          <FormattedMessage id={id} />
        </th>
      ))}
    </>
  );
  return (
    <VirtualTable
      className="table sweep-table"
      label={intl.formatMessage({ id: 'discover.results.label' })}
      count={shown.length}
      keyOf={(index) => shown[index]!.address}
      filterText={filterText}
      head={head}
      row={(index, key, attributes) => {
        const result = shown[index]!;
        return (
          <tr
            key={key}
            {...attributes}
            data-address={result.address}
            className={`sweep-row sweep-row--${result.class}`}
          >
            <td className="sweep-table__pick">
              {result.class === 'ssh' && (
                <input
                  type="checkbox"
                  aria-label={intl.formatMessage({ id: 'discover.results.use' }, { address: result.address })}
                  checked={!unselected.has(result.address)}
                  onChange={(event) => setHostSelected(result.address, event.target.checked)}
                />
              )}
            </td>
            <SweepCells result={result} />
          </tr>
        );
      }}
    />
  );
}

function SweepCells({ result }: { result: SweepResult }) {
  const intl = useIntl();
  return (
    <>
      <td className="mono">
        {result.address}
        {result.hostName && result.hostName !== result.address && <span className="muted"> ({result.hostName})</span>}
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
    </>
  );
}
