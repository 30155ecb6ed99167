import { describe, expect, it } from 'vitest';
import { noRoles, type HostRoles } from '../../../../electron/common/cluster-plan';
import { portNeeded, rolesOf, type PlanView } from '../../../../electron/node/access/kubespray-checks';
import { planPeerProbes, probersPerPort } from '../../../../electron/node/access/peer-probe-plan';

const hostsOf = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ address: `10.0.${index >> 8}.${index & 255}`, name: `node${index}` }));

/** For each probed address and port, the hosts that try it. */
function probersOf(probes: ReturnType<typeof planPeerProbes>): Map<string, string[]> {
  const probers = new Map<string, string[]>();
  for (const [from, entry] of probes)
    for (const target of entry.ports) {
      const key = `${target.address}:${target.port}`;
      probers.set(key, [...(probers.get(key) ?? []), from]);
    }
  return probers;
}

describe('which host probes what', () => {
  it('probes six hosts in full: every other host, every port, every name', () => {
    const hosts = hostsOf(6);
    const probes = planPeerProbes(hosts, undefined);
    for (const host of hosts) {
      const others = hosts.filter((other) => other !== host);
      expect(probes.get(host.address)?.names).toEqual(others);
      expect(probes.get(host.address)?.ports).toHaveLength(others.length * 4);
    }
  });

  it('has each port of 300 hosts tried by five others, so the probes grow linearly', () => {
    const hosts = hostsOf(300);
    const probes = planPeerProbes(hosts, undefined);
    for (const entry of probes.values()) expect(entry.ports).toHaveLength(probersPerPort * 4);
    const probers = probersOf(probes);
    expect(probers.size).toBe(300 * 4);
    for (const [key, from] of probers) {
      expect(new Set(from).size).toBe(probersPerPort);
      expect(from).not.toContain(key.split(':')[0]);
    }
  });

  it('with roles, tries only the ports a role needs, and a kubelet from every control plane', () => {
    const roles = (index: number): HostRoles =>
      index < 3 ? { ...noRoles, controlPlane: true, etcd: true } : { ...noRoles, worker: true };
    const hosts = hostsOf(40);
    const plan: PlanView = {
      hosts: hosts.map((host, index) => ({ ...host, roles: roles(index) })),
      networkPlugin: 'calico',
      kubeProxyMode: 'ipvs',
      nodeLocalDns: true,
    };
    const probes = planPeerProbes(hosts, plan);
    for (const [from, entry] of probes)
      for (const target of entry.ports)
        expect(portNeeded(target.port, rolesOf(from, plan), rolesOf(target.address, plan), plan)).toBe(true);
    const probers = probersOf(probes);
    const controlPlanes = hosts.slice(0, 3).map((host) => host.address);
    for (const worker of hosts.slice(3)) {
      expect(probers.get(`${worker.address}:10250`)?.sort()).toEqual([...controlPlanes].sort());
      expect(probers.has(`${worker.address}:6443`)).toBe(false);
    }
    for (const address of controlPlanes) {
      expect(probers.get(`${address}:6443`)).toHaveLength(probersPerPort);
      expect(probers.get(`${address}:2380`)).toHaveLength(2);
    }
  });
});
