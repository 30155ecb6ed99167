import { useMemo, useState, type FormEvent } from 'react';
import {
  HostNameSchema,
  HostAddressSchema,
  noRoles,
  type ClusterHost,
  type HostRole,
} from '../../../electron/common/cluster-plan';
import { validatePlan } from '../../../electron/common/plan-validation';
import { suggestTopology } from '../../../electron/common/suggest-topology';
import { selectPlan } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { FindingsList } from '../../ui/findings-list';
import { PlusIcon } from '../../ui/icons';
import { InputField } from '../../ui/text-field';
import { TopologyPicture } from './topology-picture';
import '../plan/plan.css';
import { ErrorText } from '../../ui/error-text';

const roleColumns: { role: HostRole; label: string }[] = [
  { role: 'controlPlane', label: 'Control plane' },
  { role: 'etcd', label: 'etcd' },
  { role: 'worker', label: 'Worker' },
  { role: 'calicoRr', label: 'calico_rr' },
];

/** Settings findings belong to the Settings step; everything about hosts and roles shows here. */
const isRolesFinding = (field: string | undefined) => !field?.startsWith('settings.') && field !== 'bundle';

/** Hosts with their roles: typed in or discovered, bulk-editable, with a suggested topology that explains itself. */
export function RolesStep() {
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
        Give each host its roles and pick the deploy node, where the bundle is unpacked and kubespray runs. Hosts come
        from discovery, or type them in below.
      </p>

      <AddHostForm existing={hosts} onAdd={(host) => setHosts([...hosts, host])} />

      <div className="plan-toolbar">
        <button type="button" className="btn btn--primary" onClick={suggest} disabled={hosts.length === 0}>
          Suggest a topology
        </button>
        <label>
          <input type="checkbox" checked={dedicatedEtcd} onChange={(event) => setDedicatedEtcd(event.target.checked)} />{' '}
          Dedicated etcd hosts
        </label>
        <span className="plan-toolbar__spacer" />
        <span className="muted small">{selected.size} selected</span>
        <button
          type="button"
          className="btn"
          disabled={selected.size === 0}
          onClick={() => applyToSelected({ controlPlane: true, etcd: true })}
        >
          Control plane + etcd
        </button>
        <button
          type="button"
          className="btn"
          disabled={selected.size === 0}
          onClick={() => applyToSelected({ worker: true })}
        >
          Worker
        </button>
        <button
          type="button"
          className="btn"
          disabled={selected.size === 0}
          onClick={() => applyToSelected({ ...noRoles })}
        >
          Clear roles
        </button>
        <button
          type="button"
          className="btn btn--ghost"
          disabled={selected.size === 0}
          onClick={() => {
            setHosts(hosts.filter((host) => !selected.has(host.name)));
            setSelected(new Set());
          }}
        >
          Remove
        </button>
      </div>

      {reasons.length > 0 && (
        <ul className="reasons" aria-label="Why this topology">
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}

      <ErrorText message={saveError} />

      {hosts.length === 0 ? (
        <p className="muted">No hosts yet: run discovery, or add a host above.</p>
      ) : (
        <HostTable
          hosts={hosts}
          deployNode={plan.deployNode}
          selected={selected}
          setSelected={setSelected}
          toggleRole={toggleRole}
          setDeployNode={(name) => editPlan((current) => ({ ...current, deployNode: name }))}
        />
      )}

      <TopologyPicture plan={plan} />
      <FindingsList findings={findings} title="Checks on hosts and roles" />
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

/** One row a host: selection, facts, a checkbox per role and the deploy node radio. */
function HostTable({ hosts, deployNode, selected, setSelected, toggleRole, setDeployNode }: HostTableProps) {
  const allSelected = hosts.length > 0 && hosts.every((host) => selected.has(host.name));
  return (
    <table className="host-table" aria-label="Hosts and roles">
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select all hosts"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(hosts.map((host) => host.name)))}
            />
          </th>
          <th>Name</th>
          <th>Address</th>
          <th>OS</th>
          <th>CPU / memory</th>
          <th>Pre-flight</th>
          {roleColumns.map((column) => (
            <th key={column.role} className="center">
              {column.label}
            </th>
          ))}
          <th className="center">Deploy node</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((host, index) => (
          <tr key={`${host.name}-${index}`}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${host.name}`}
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
            <td>{host.facts ? `${host.facts.cpus} CPU, ${(host.facts.memoryMiB / 1024).toFixed(1)} GiB` : '—'}</td>
            <td>
              {host.facts ? (
                <span className="badge">facts collected</span>
              ) : (
                <span className="badge badge--attention">not discovered</span>
              )}
            </td>
            {roleColumns.map((column) => (
              <td key={column.role} className="center">
                <input
                  type="checkbox"
                  aria-label={`${column.label} on ${host.name}`}
                  checked={host.roles[column.role]}
                  onChange={() => toggleRole(host.name, column.role)}
                />
              </td>
            ))}
            <td className="center">
              <input
                type="radio"
                name="deploy-node"
                aria-label={`Deploy from ${host.name}`}
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
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsedName = HostNameSchema.safeParse(name);
    const parsedAddress = HostAddressSchema.safeParse(address.trim());
    if (!parsedName.success) return setError(parsedName.error.issues[0]?.message ?? 'Host name is invalid.');
    if (!parsedAddress.success) return setError(parsedAddress.error.issues[0]?.message ?? 'Address is invalid.');
    if (existing.some((host) => host.name === parsedName.data))
      return setError(`A host named ${parsedName.data} is in the list already: choose another name.`);
    onAdd({ name: parsedName.data, address: parsedAddress.data, roles: { ...noRoles } });
    setName('');
    setAddress('');
    setError(null);
  }

  return (
    <form className="add-host" aria-label="Add a host" noValidate onSubmit={submit}>
      {(
        [
          ['Host name', name, 'node1', setName],
          ['Address', address, '10.0.0.11', setAddress],
        ] as const
      ).map(([label, value, placeholder, setValue]) => (
        <InputField
          key={label}
          label={label}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={setValue}
        />
      ))}
      <button type="submit" className="btn">
        <PlusIcon />
        Add host
      </button>
      <ErrorText message={error} />
    </form>
  );
}
