import {
  emptyClusterPlan,
  noRoles,
  type ClusterHost,
  type ClusterPlan,
  type HostFactsSummary,
  type HostRoles,
} from '../../electron/common/cluster-plan';

export const bundle2233 = {
  bundleId: 'ks-2.23.3-test',
  kubesprayVersion: '2.23.3',
  kubernetesVersions: ['1.27.10', '1.26.13'],
  networkPlugins: ['calico', 'cilium'] as ('calico' | 'cilium')[],
  manifestSha256: 'a'.repeat(64),
};

export function facts(address: string, memoryMiB = 8192, cpus = 4): HostFactsSummary {
  return {
    os: { id: 'debian', version: '12' },
    arch: 'x86_64',
    cpus,
    memoryMiB,
    addresses: [{ address, prefixLength: 24 }],
  };
}

type RoleLetters = string;
/** Roles from letters: c = control plane, e = etcd, w = worker, r = calico_rr. */
export function roles(letters: RoleLetters): HostRoles {
  return {
    ...noRoles,
    controlPlane: letters.includes('c'),
    etcd: letters.includes('e'),
    worker: letters.includes('w'),
    calicoRr: letters.includes('r'),
  };
}

export function host(index: number, letters: RoleLetters, withFacts = true): ClusterHost {
  const address = `10.0.0.${10 + index}`;
  return { name: `node${index}`, address, roles: roles(letters), ...(withFacts ? { facts: facts(address) } : {}) };
}

/** A plan that passes every rule: hosts with the given roles, node1 deploys, bundle 2.23.3, Kubernetes 1.27.10. */
export function planWith(layout: RoleLetters[], overrides: Partial<ClusterPlan> = {}): ClusterPlan {
  const plan = emptyClusterPlan('lab');
  return {
    ...plan,
    hosts: layout.map((letters, index) => host(index + 1, letters)),
    deployNode: 'node1',
    bundle: bundle2233,
    settings: { ...plan.settings, kubernetesVersion: '1.27.10' },
    ...overrides,
  };
}
