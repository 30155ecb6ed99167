import type { IntlShape } from 'react-intl';
import type { ClusterHost, ClusterSettings, HostRole, HostRoles } from '../../../electron/common/cluster-plan';
import type { MessageId } from '../../i18n/catalogs';
import { joinItems } from '../../i18n/join-items';
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
  label: MessageId;
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

const settingLabels: Record<keyof ClusterSettings, MessageId> = {
  clusterName: 'review.setting.clusterName',
  kubernetesVersion: 'settings.kubernetesVersion',
  networkPlugin: 'settings.networkPlugin',
  containerRuntime: 'settings.containerRuntime',
  podCidr: 'review.setting.podCidr',
  serviceCidr: 'review.setting.serviceCidr',
  nodePrefix: 'settings.nodePrefix',
  kubeProxyMode: 'settings.kubeProxyMode',
  dns: 'settings.dns',
  apiLoadBalancing: 'settings.balancing.title',
  ntpServers: 'review.setting.ntpServers',
  registry: 'settings.registry',
  extraVarsYaml: 'review.setting.extraVars',
  etcdBackupsKept: 'settings.dayTwo.etcdBackups',
};

/** A setting's value in a table cell: the value itself (shortened), the keys of an object beside their values. */
function describeValue(value: unknown, intl: IntlShape): string {
  if (typeof value === 'string') {
    if (value === '') return intl.formatMessage({ id: 'review.value.empty' });
    return value.length > 60 ? `${value.slice(0, 57)}…` : value;
  }
  if (Array.isArray(value))
    return value.length === 0 ? intl.formatMessage({ id: 'review.value.none' }) : joinItems(intl, value.map(String));
  if (typeof value === 'object' && value !== null) {
    return joinItems(
      intl,
      Object.entries(value).map(([key, inner]) => `${key} ${String(inner)}`),
    );
  }
  return String(value);
}

const sameHost = (a: ClusterHost, b: ClusterHost) =>
  a.address === b.address && (Object.keys(roleGroups) as HostRole[]).every((role) => a.roles[role] === b.roles[role]);

/**
 * What replacing `current` with `imported` changes: hosts (in the import's order, removed ones last), groups, settings.
 */
export function describeImportChanges(current: EditablePlan, imported: EditablePlan, intl: IntlShape): ImportChanges {
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
      before: describeValue(current.settings[key], intl),
      after: describeValue(imported.settings[key], intl),
    });
  }
  return { hosts, groups, settings, deployNode: { before: current.deployNode, after: imported.deployNode } };
}
