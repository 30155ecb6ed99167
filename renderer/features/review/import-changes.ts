import type { ClusterHost, ClusterSettings, HostRole, HostRoles } from '../../../electron/common/cluster-plan';
import type { EditablePlan } from '../../store/plan-slice';

export type HostChange = 'added' | 'removed' | 'changed' | 'same';

export interface HostRow {
  name: string;
  address: string;
  roles: HostRoles;
  change: HostChange;
}

export interface GroupCount {
  role: HostRole;
  before: number;
  after: number;
}

export interface SettingChange {
  label: string;
  before: string;
  after: string;
}

export interface ImportChanges {
  hosts: HostRow[];
  groups: GroupCount[];
  settings: SettingChange[];
  deployNode: { before: string | null; after: string | null };
}

export const roleGroups: Record<HostRole, string> = {
  controlPlane: 'kube_control_plane',
  etcd: 'etcd',
  worker: 'kube_node',
  calicoRr: 'calico_rr',
};

const settingLabels: Record<keyof ClusterSettings, string> = {
  clusterName: 'Cluster name',
  kubernetesVersion: 'Kubernetes version',
  networkPlugin: 'Network plugin',
  containerRuntime: 'Container runtime',
  podCidr: 'Pod network',
  serviceCidr: 'Service network',
  nodePrefix: 'Node prefix',
  kubeProxyMode: 'kube-proxy mode',
  dns: 'DNS',
  apiLoadBalancing: 'API load balancing',
  ntpServers: 'NTP servers',
  registry: 'Registry',
  extraVarsYaml: 'Kubespray variables',
  etcdBackupsKept: 'etcd backups kept',
};

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '(empty)' : value.length > 60 ? `${value.slice(0, 57)}…` : value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, inner]) => `${key} ${String(inner)}`)
      .join(', ');
  }
  return String(value);
}

const sameHost = (a: ClusterHost, b: ClusterHost) =>
  a.address === b.address && (Object.keys(roleGroups) as HostRole[]).every((role) => a.roles[role] === b.roles[role]);

/**
 * What replacing `current` with `imported` changes: hosts (in the import's order, removed ones last), groups, settings.
 */
export function describeImportChanges(current: EditablePlan, imported: EditablePlan): ImportChanges {
  const before = new Map(current.hosts.map((host) => [host.name, host]));
  const after = new Set(imported.hosts.map((host) => host.name));
  const hosts: HostRow[] = imported.hosts.map((host) => {
    const old = before.get(host.name);
    return {
      name: host.name,
      address: host.address,
      roles: host.roles,
      change: !old ? 'added' : sameHost(old, host) ? 'same' : 'changed',
    };
  });
  for (const host of current.hosts) {
    if (!after.has(host.name))
      hosts.push({ name: host.name, address: host.address, roles: host.roles, change: 'removed' });
  }
  const count = (list: readonly ClusterHost[], role: HostRole) => list.filter((host) => host.roles[role]).length;
  const groups = (Object.keys(roleGroups) as HostRole[]).map((role) => ({
    role,
    before: count(current.hosts, role),
    after: count(imported.hosts, role),
  }));
  const settings: SettingChange[] = [];
  for (const key of Object.keys(settingLabels) as (keyof ClusterSettings)[]) {
    if (JSON.stringify(current.settings[key]) === JSON.stringify(imported.settings[key])) continue;
    settings.push({
      label: settingLabels[key],
      before: describeValue(current.settings[key]),
      after: describeValue(imported.settings[key]),
    });
  }
  return { hosts, groups, settings, deployNode: { before: current.deployNode, after: imported.deployNode } };
}
