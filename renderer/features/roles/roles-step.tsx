import { useMemo, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  HostNameSchema,
  HostAddressSchema,
  noRoles,
  type ClusterHost,
  type HostRole,
} from '../../../electron/common/cluster-plan';
import { validatePlan } from '../../../electron/common/plan-validation';
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

const roleColumns: { role: HostRole; label: MessageId }[] = [
  { role: 'controlPlane', label: 'roles.role.controlPlane' },
  { role: 'etcd', label: 'roles.role.etcd' },
  { role: 'worker', label: 'roles.role.worker' },
  { role: 'calicoRr', label: 'roles.role.calicoRr' },
];
const hostColumns: MessageId[] = [
  'roles.col.name',
  'roles.col.address',
  'roles.col.os',
  'roles.col.cpuMemory',
  'roles.col.preflight',
];
/** The bulk role buttons, each with the roles it sets on the ticked hosts. */
const bulkRoles: { label: MessageId; roles: Partial<ClusterHost['roles']> }[] = [
  { label: 'roles.bulk.controlPlaneEtcd', roles: { controlPlane: true, etcd: true } },
  { label: 'roles.role.worker', roles: { worker: true } },
  { label: 'roles.bulk.clear', roles: noRoles },
];

/** 7936 MiB → "7.8 GiB" in the chosen language's digits. */
const formatGiB = (mib: number, locale: string) =>
  (mib / 1024).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Settings findings belong to the Settings step; everything about hosts and roles shows here. */
const isRolesFinding = (field: string | undefined) => !field?.startsWith('settings.') && field !== 'bundle';

/** Hosts with their roles: typed in or discovered, bulk-editable, with a suggested topology that explains itself. */
export function RolesStep() {
  const intl = useIntl();
  const plan = useAirspray(selectPlan);
  const editPlan = useAirspray((state) => state.editPlan);
  const saveError = useAirspray((state) => state.planSaveError);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reasons, setReasons] = useState<string[]>([]);
  const [dedicatedEtcd, setDedicatedEtcd] = useState(false);
  const findings = useMemo(
    () => (plan ? validatePlan(plan).filter((finding) => isRolesFinding(finding.field)) : []),
    [plan],
  );

  if (!plan) return null;
  const hosts = plan.hosts;
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
        <span className="plan-toolbar__spacer" />
        <span className="muted small">
          <FormattedMessage id="roles.selected" values={{ count: selected.size }} />
        </span>
        {bulkRoles.map(({ label, roles }) => (
          <button
            key={label}
            type="button"
            className="btn"
            disabled={selected.size === 0}
            onClick={() => applyToSelected(roles)}
          >
            <FormattedMessage id={label} />
          </button>
        ))}
        <button
          type="button"
          className="btn btn--ghost"
          disabled={selected.size === 0}
          onClick={() => {
            setHosts(hosts.filter((host) => !selected.has(host.name)));
            setSelected(new Set());
          }}
        >
          <FormattedMessage id="roles.bulk.remove" />
        </button>
      </div>

      {reasons.length > 0 && (
        <ul className="reasons" aria-label={intl.formatMessage({ id: 'roles.reasons' })}>
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}

      <ErrorText message={saveError} />

      <HostTable
        hosts={hosts}
        deployNode={plan.deployNode}
        selected={selected}
        setSelected={setSelected}
        toggleRole={toggleRole}
        setDeployNode={(name) => editPlan((current) => ({ ...current, deployNode: name }))}
      />

      <TopologyPicture plan={plan} />
      <FindingsList findings={findings} title={intl.formatMessage({ id: 'roles.findings' })} />
    </div>
  );
}

interface HostTableProps {
  hosts: readonly ClusterHost[];
  deployNode: string | null;
  selected: ReadonlySet<string>;
  setSelected: (selected: ReadonlySet<string>) => void;
  toggleRole: (name: string, role: HostRole) => void;
  setDeployNode: (name: string) => void;
}

/** One row a host: selection, facts, a checkbox per role and the deploy node radio; a note while there are none. */
function HostTable({ hosts, deployNode, selected, setSelected, toggleRole, setDeployNode }: HostTableProps) {
  const intl = useIntl();
  const roleName = (role: MessageId) => intl.formatMessage({ id: role });
  if (hosts.length === 0)
    return (
      <p className="muted">
        <FormattedMessage id="roles.noHosts" />
      </p>
    );
  const allSelected = hosts.every((host) => selected.has(host.name));
  return (
    <table className="host-table" aria-label={intl.formatMessage({ id: 'roles.table' })}>
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label={intl.formatMessage({ id: 'roles.selectAll' })}
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(hosts.map((host) => host.name)))}
            />
          </th>
          {hostColumns.map((id) => (
            <th key={id}>
              <FormattedMessage id={id} />
            </th>
          ))}
          {roleColumns.map((column) => (
            <th key={column.role} className="center">
              <FormattedMessage id={column.label} />
            </th>
          ))}
          <th className="center">
            <FormattedMessage id="roles.col.deployNode" />
          </th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((host, index) => (
          <tr key={`${host.name}-${index}`}>
            <td>
              <input
                type="checkbox"
                aria-label={intl.formatMessage({ id: 'roles.select' }, { host: host.name })}
                checked={selected.has(host.name)}
                onChange={() => {
                  const next = new Set(selected);
                  if (next.has(host.name)) next.delete(host.name);
                  else next.add(host.name);
                  setSelected(next);
                }}
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
                    { role: roleName(column.label), host: host.name },
                  )}
                  checked={host.roles[column.role]}
                  onChange={() => toggleRole(host.name, column.role)}
                />
              </td>
            ))}
            <td className="center">
              <input
                type="radio"
                name="deploy-node"
                aria-label={intl.formatMessage({ id: 'roles.deployFrom' }, { host: host.name })}
                checked={deployNode === host.name}
                onChange={() => setDeployNode(host.name)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
