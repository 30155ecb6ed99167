import type { HostRole } from '../../common/cluster-plan';

/** Kubespray's inventory group names; 2.16 replaced the "-" names with "_" ones (and "master" with "control_plane"). */
export interface KubesprayGroupNames {
  controlPlane: string;
  worker: string;
  etcd: string;
  calicoRr: string;
  cluster: string;
}

const currentNames: KubesprayGroupNames = {
  controlPlane: 'kube_control_plane',
  worker: 'kube_node',
  etcd: 'etcd',
  calicoRr: 'calico_rr',
  cluster: 'k8s_cluster',
};

const legacyNames: KubesprayGroupNames = {
  controlPlane: 'kube-master',
  worker: 'kube-node',
  etcd: 'etcd',
  calicoRr: 'calico-rr',
  cluster: 'k8s-cluster',
};

/** Without a bundle the plan targets the current names. */
export function groupNamesFor(kubesprayVersion: string | undefined): KubesprayGroupNames {
  if (!kubesprayVersion) return currentNames;
  const match = /^v?(\d+)\.(\d+)/.exec(kubesprayVersion);
  if (!match) return currentNames;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 2 || (major === 2 && minor < 16) ? legacyNames : currentNames;
}

/** Every spelling an existing inventory may use for a role group, old and new. */
const roleByGroupName: Readonly<Record<string, HostRole>> = {
  kube_control_plane: 'controlPlane',
  'kube-master': 'controlPlane',
  kube_master: 'controlPlane',
  kube_node: 'worker',
  'kube-node': 'worker',
  etcd: 'etcd',
  calico_rr: 'calicoRr',
  'calico-rr': 'calicoRr',
};

export const clusterGroupSpellings: ReadonlySet<string> = new Set(['k8s_cluster', 'k8s-cluster']);

export function roleOfGroup(group: string): HostRole | undefined {
  return Object.hasOwn(roleByGroupName, group) ? roleByGroupName[group] : undefined;
}
