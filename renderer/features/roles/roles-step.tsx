import { useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  HostNameSchema,
  HostAddressSchema,
  noRoles,
  type ClusterHost,
  type HostRole,
} from '../../../electron/common/cluster-plan';
import { validatePlan, type PlanFinding } from '../../../electron/common/plan-validation';
import { failedIds, type HostAccess } from '../../store/access-hosts';
import { suggestTopology } from '../../../electron/common/suggest-topology';
import type { MessageId } from '../../i18n/catalogs';
import { selectPlan } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { FindingsList } from '../../ui/findings-list';
import { PlusIcon } from '../../ui/icons';
import { InputField } from '../../ui/text-field';
import { TopologyPicture } from './topology-picture';
import '../plan/plan.css';
import { ErrorText } from '../../ui/error-text';
import { ActionForm } from '../../ui/action-form';
import { HostTable, roleColumns, type HostRow, type HostSort } from './host-table';
import { compareHosts } from '../../../electron/common/host-order';
import { everyHost, HostFilterBar, type AppliedFilter } from '../../ui/host-filter-bar';
import { Note } from '../../ui/note';

/** The bulk role presets, each with the roles it sets on the ticked hosts (one role at a time: Give role). */
const bulkRoles: { label: MessageId; roles: Partial<ClusterHost['roles']> }[] = [
  { label: 'roles.bulk.controlPlaneEtcd', roles: { controlPlane: true, etcd: true } },
  { label: 'roles.bulk.clear', roles: noRoles },
];

/** Settings findings belong to the Settings step; everything about hosts and roles shows here. */
const isRolesFinding = (field: string | undefined) => !field?.startsWith('settings.') && field !== 'bundle';

/**
 * What failed on each host, by name, for `failed:` filters: its pre-flight checks as Access collected them this
 * session, and the plan's own errors about it.
 */
function failedByHost(findings: readonly PlanFinding[], access: readonly HostAccess[], hosts: readonly ClusterHost[]) {
  const byAddress = new Map(access.map((entry) => [entry.address, failedIds(entry.outcome)]));
  const failed = new Map(hosts.map((host) => [host.name, [...(byAddress.get(host.address) ?? [])]]));
  for (const finding of findings)
    if (finding.host && finding.severity === 'error') failed.get(finding.host)?.push(finding.rule);
  return failed;
}

/** The plan's hosts the filter lets through, in the order asked for (the plan's order when none). */
function hostRows(
  hosts: readonly ClusterHost[],
  failed: ReadonlyMap<string, readonly string[]>,
  filter: AppliedFilter,
  sort: HostSort | null,
): HostRow[] {
  const rows = hosts
    .map((host, index) => ({ host, index }))
    .filter((row) => filter.matches({ ...row.host, failed: failed.get(row.host.name) }));
  if (!sort) return rows;
  const compare = compareHosts(sort.key);
  const direction = sort.descending ? -1 : 1;
  return rows.sort((a, b) => direction * compare(a.host, b.host) || a.index - b.index);
}

/**
 * Hosts with their roles: typed in or discovered, filtered (by name, range or network), bulk-editable, with a
 * suggested topology that explains itself.
 */
export function RolesStep() {
  const intl = useIntl();
  const plan = useAirspray(selectPlan);
  const editPlan = useAirspray((state) => state.editPlan);
  const saveError = useAirspray((state) => state.planSaveError);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reasons, setReasons] = useState<string[]>([]);
  const [dedicatedEtcd, setDedicatedEtcd] = useState(false);
  const [filter, setFilter] = useState<AppliedFilter>(everyHost);
  const [sort, setSort] = useState<HostSort | null>(null);
  const findings = useMemo(
    () => (plan ? validatePlan(plan).filter((finding) => isRolesFinding(finding.field)) : []),
    [plan],
  );
  const hosts = plan?.hosts;
  const hostAccess = useAirspray((state) => state.hostAccess);
  const failed = useMemo(() => failedByHost(findings, hostAccess, hosts ?? []), [findings, hostAccess, hosts]);
  const rows = useMemo(() => hostRows(hosts ?? [], failed, filter, sort), [hosts, failed, filter, sort]);

  if (!plan || !hosts) return null;
  const setHosts = (next: ClusterHost[], deployNode = plan.deployNode) =>
    editPlan((current) => ({
      ...current,
      hosts: next,
      deployNode: next.some((host) => host.name === deployNode) ? deployNode : null,
    }));
  const toggleRole = (name: string, role: HostRole) =>
    setHosts(
      hosts.map((host) =>
        host.name === name ? { ...host, roles: { ...host.roles, [role]: !host.roles[role] } } : host,
      ),
    );
  // One edit of the plan (one store update, one save) for the whole selection, however many hosts it holds.
  const applyToSelected = (roles: Partial<ClusterHost['roles']>) =>
    setHosts(hosts.map((host) => (selected.has(host.name) ? { ...host, roles: { ...host.roles, ...roles } } : host)));
  const suggest = () => {
    const suggestion = suggestTopology(hosts, { dedicatedEtcd, currentDeployNode: plan.deployNode });
    editPlan((current) => ({ ...current, hosts: suggestion.hosts, deployNode: suggestion.deployNode }));
    setReasons(suggestion.reasons);
  };

  return (
    <div className="roles-step">
      <p className="lead">
        <FormattedMessage id="roles.lead" />
      </p>

      <AddHostForm existing={hosts} onAdd={(host) => setHosts([...hosts, host])} />

      <div className="plan-toolbar">
        <button type="button" className="btn btn--primary" onClick={suggest} disabled={hosts.length === 0}>
          <FormattedMessage id="roles.suggest" />
        </button>
        <label>
          <input type="checkbox" checked={dedicatedEtcd} onChange={(event) => setDedicatedEtcd(event.target.checked)} />{' '}
          <FormattedMessage id="roles.dedicatedEtcd" />
        </label>
      </div>

      {reasons.length > 0 && (
        <ul className="reasons" aria-label={intl.formatMessage({ id: 'roles.reasons' })}>
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}

      <ErrorText message={saveError} />

      {hosts.length === 0 ? (
        <Note id="roles.noHosts" />
      ) : (
        <>
          <HostFilterBar
            filterText={filter.text}
            onFilter={setFilter}
            shown={rows.length}
            total={hosts.length}
            onSelectShown={() => setSelected(new Set(rows.map((row) => row.host.name)))}
          />
          <BulkRoleBar
            selectedCount={selected.size}
            apply={applyToSelected}
            clearSelection={() => setSelected(new Set())}
            remove={() => {
              setHosts(hosts.filter((host) => !selected.has(host.name)));
              setSelected(new Set());
            }}
          />
          <HostTable
            rows={rows}
            filterText={filter.text}
            deployNode={plan.deployNode}
            selected={selected}
            setSelected={setSelected}
            toggleRole={toggleRole}
            setDeployNode={(name) => editPlan((current) => ({ ...current, deployNode: name }))}
            sort={sort}
            setSort={setSort}
          />
        </>
      )}

      <TopologyPicture plan={plan} />
      <FindingsList findings={findings} title={intl.formatMessage({ id: 'roles.findings' })} />
    </div>
  );
}

interface BulkRoleBarProps {
  selectedCount: number;
  apply: (roles: Partial<ClusterHost['roles']>) => void;
  clearSelection: () => void;
  remove: () => void;
}

/** What to do with the ticked hosts: a preset, one role given or taken, or removal; each one edit of the plan. */
function BulkRoleBar({ selectedCount, apply, clearSelection, remove }: BulkRoleBarProps) {
  const intl = useIntl();
  const [role, setRole] = useState<HostRole>('worker');
  const none = selectedCount === 0;
  return (
    <div className="plan-toolbar" role="group" aria-label={intl.formatMessage({ id: 'roles.bulk.label' })}>
      <span className="muted small">
        <FormattedMessage id="roles.selected" values={{ count: selectedCount }} />
      </span>
      <button type="button" className="btn btn--ghost" disabled={none} onClick={clearSelection}>
        <FormattedMessage id="roles.bulk.clearSelection" />
      </button>
      <span className="plan-toolbar__spacer" />
      {bulkRoles.map(({ label, roles }) => (
        <button key={label} type="button" className="btn" disabled={none} onClick={() => apply(roles)}>
          <FormattedMessage id={label} />
        </button>
      ))}
      <select
        className="input plan-toolbar__role"
        aria-label={intl.formatMessage({ id: 'roles.bulk.role' })}
        value={role}
        onChange={(event) => setRole(event.target.value as HostRole)}
      >
        {roleColumns.map((column) => (
          <option key={column.role} value={column.role}>
            {intl.formatMessage({ id: column.label })}
          </option>
        ))}
      </select>
      <button type="button" className="btn" disabled={none} onClick={() => apply({ [role]: true })}>
        <FormattedMessage id="roles.bulk.give" />
      </button>
      <button type="button" className="btn" disabled={none} onClick={() => apply({ [role]: false })}>
        <FormattedMessage id="roles.bulk.take" />
      </button>
      <button type="button" className="btn btn--ghost" disabled={none} onClick={remove}>
        <FormattedMessage id="roles.bulk.remove" />
      </button>
    </div>
  );
}

function AddHostForm({ existing, onAdd }: { existing: readonly ClusterHost[]; onAdd: (host: ClusterHost) => void }) {
  const intl = useIntl();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit() {
    const parsedName = HostNameSchema.safeParse(name);
    const parsedAddress = HostAddressSchema.safeParse(address.trim());
    if (!parsedName.success)
      return setError(parsedName.error.issues[0]?.message ?? intl.formatMessage({ id: 'roles.add.nameInvalid' }));
    if (!parsedAddress.success)
      return setError(parsedAddress.error.issues[0]?.message ?? intl.formatMessage({ id: 'roles.add.addressInvalid' }));
    if (existing.some((host) => host.name === parsedName.data))
      return setError(intl.formatMessage({ id: 'roles.add.duplicate' }, { host: parsedName.data }));
    onAdd({ name: parsedName.data, address: parsedAddress.data, roles: { ...noRoles } });
    setName('');
    setAddress('');
    setError(null);
  }

  return (
    <ActionForm className="add-host" labelId="roles.add.label" onSubmit={submit}>
      {(
        [
          ['roles.add.name', name, 'node1', setName],
          ['roles.col.address', address, '10.0.0.11', setAddress],
        ] as const
      ).map(([label, value, placeholder, setValue]) => (
        <InputField
          key={label}
          label={intl.formatMessage({ id: label })}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={setValue}
        />
      ))}
      <button type="submit" className="btn">
        <PlusIcon />
        <FormattedMessage id="roles.add.button" />
      </button>
      <ErrorText message={error} />
    </ActionForm>
  );
}
