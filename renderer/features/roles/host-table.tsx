import { FormattedMessage, useIntl } from 'react-intl';
import type { ClusterHost, HostRole } from '../../../electron/common/cluster-plan';
import type { HostSortKey } from '../../../electron/common/host-order';
import type { MessageId } from '../../i18n/catalogs';
import { VirtualTable, type VirtualRowAttributes } from '../../ui/virtual-rows';

export const roleColumns: { role: HostRole; label: MessageId }[] = [
  { role: 'controlPlane', label: 'roles.role.controlPlane' },
  { role: 'etcd', label: 'roles.role.etcd' },
  { role: 'worker', label: 'roles.role.worker' },
  { role: 'calicoRr', label: 'roles.role.calicoRr' },
];
const sortableColumns: { key: HostSortKey; label: MessageId }[] = [
  { key: 'name', label: 'roles.col.name' },
  { key: 'address', label: 'roles.col.address' },
];
const plainColumns: MessageId[] = ['roles.col.os', 'roles.col.cpuMemory', 'roles.col.preflight'];

export interface HostSort {
  key: HostSortKey;
  descending: boolean;
}

/** A host as the table shows it: `index` is its place in the plan, which keeps rows apart while names repeat. */
export interface HostRow {
  host: ClusterHost;
  index: number;
}

interface HostTableProps {
  rows: readonly HostRow[];
  /** The filter the rows were made with, on the table for tests and the bench to know what it shows. */
  filterText: string;
  deployNode: string | null;
  selected: ReadonlySet<string>;
  setSelected: (selected: ReadonlySet<string>) => void;
  toggleRole: (name: string, role: HostRole) => void;
  setDeployNode: (name: string) => void;
  sort: HostSort | null;
  setSort: (sort: HostSort) => void;
}

/** 7936 MiB → "7.8 GiB" in the chosen language's digits. */
const formatGiB = (mib: number, locale: string) =>
  (mib / 1024).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * One row a host: selection, facts, a checkbox per role and the deploy node radio. Only the rows in view (and a few
 * around) are in the page, so 500 hosts cost what 30 do.
 */
export function HostTable(props: HostTableProps) {
  const { rows, selected, setSelected, sort, setSort } = props;
  const intl = useIntl();
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.host.name));
  const toggleAll = () => {
    const next = new Set(selected);
    for (const row of rows) {
      if (allSelected) next.delete(row.host.name);
      else next.add(row.host.name);
    }
    setSelected(next);
  };
  const head = (
    <>
      <th scope="col">
        <input
          type="checkbox"
          aria-label={intl.formatMessage({ id: 'roles.selectAll' })}
          checked={allSelected}
          disabled={rows.length === 0}
          onChange={toggleAll}
        />
      </th>
      {sortableColumns.map((column) => (
        <SortableHead key={column.key} column={column} sort={sort} setSort={setSort} />
      ))}
      {plainColumns.map((id) => (
        <th key={id} scope="col">
          <FormattedMessage id={id} />
        </th>
      ))}
      {roleColumns.map((column) => (
        <th key={column.role} scope="col" className="center">
          <FormattedMessage id={column.label} />
        </th>
      ))}
      <th scope="col" className="center">
        <FormattedMessage id="roles.col.deployNode" />
      </th>
    </>
  );
  return (
    <VirtualTable
      className="host-table"
      scrollClassName="host-table-scroll"
      label={intl.formatMessage({ id: 'roles.table' })}
      count={rows.length}
      keyOf={(index) => `${rows[index]!.host.name}-${rows[index]!.index}`}
      filterText={props.filterText}
      head={head}
      row={(index, key, attributes) => {
        const { host } = rows[index]!;
        return (
          <HostTableRow
            key={key}
            host={host}
            attributes={attributes}
            isSelected={selected.has(host.name)}
            isDeployNode={props.deployNode === host.name}
            onSelect={() => {
              const next = new Set(selected);
              if (next.has(host.name)) next.delete(host.name);
              else next.add(host.name);
              setSelected(next);
            }}
            toggleRole={props.toggleRole}
            setDeployNode={props.setDeployNode}
          />
        );
      }}
    />
  );
}

function SortableHead({
  column,
  sort,
  setSort,
}: {
  column: (typeof sortableColumns)[number];
  sort: HostSort | null;
  setSort: (sort: HostSort) => void;
}) {
  const active = sort?.key === column.key;
  return (
    <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined}>
      <button
        type="button"
        className="host-table__sort"
        onClick={() => setSort({ key: column.key, descending: active && !sort.descending })}
      >
        <FormattedMessage id={column.label} />
        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

interface HostTableRowProps {
  host: ClusterHost;
  attributes: VirtualRowAttributes;
  isSelected: boolean;
  isDeployNode: boolean;
  onSelect: () => void;
  toggleRole: (name: string, role: HostRole) => void;
  setDeployNode: (name: string) => void;
}

function HostTableRow({ host, attributes, ...props }: HostTableRowProps) {
  const intl = useIntl();
  return (
    <tr {...attributes} data-host={host.name}>
      <td>
        <input
          type="checkbox"
          aria-label={intl.formatMessage({ id: 'roles.select' }, { host: host.name })}
          checked={props.isSelected}
          onChange={props.onSelect}
        />
      </td>
      <td className="mono">{host.name}</td>
      <td className="mono">{host.address}</td>
      <td>{host.facts ? `${host.facts.os.id} ${host.facts.os.version}` : '—'}</td>
      <td>
        {host.facts
          ? intl.formatMessage(
              { id: 'roles.cpuMemory' },
              { cpus: host.facts.cpus, gib: formatGiB(host.facts.memoryMiB, intl.locale) },
            )
          : '—'}
      </td>
      <td>
        {host.facts ? (
          <span className="badge">
            <FormattedMessage id="roles.factsCollected" />
          </span>
        ) : (
          <span className="badge badge--attention">
            <FormattedMessage id="roles.notDiscovered" />
          </span>
        )}
      </td>
      {roleColumns.map((column) => (
        <td key={column.role} className="center">
          <input
            type="checkbox"
            aria-label={intl.formatMessage(
              { id: 'roles.roleOn' },
              { role: intl.formatMessage({ id: column.label }), host: host.name },
            )}
            checked={host.roles[column.role]}
            onChange={() => props.toggleRole(host.name, column.role)}
          />
        </td>
      ))}
      <td className="center">
        <input
          type="radio"
          name="deploy-node"
          aria-label={intl.formatMessage({ id: 'roles.deployFrom' }, { host: host.name })}
          checked={props.isDeployNode}
          onChange={() => props.setDeployNode(host.name)}
        />
      </td>
    </tr>
  );
}
