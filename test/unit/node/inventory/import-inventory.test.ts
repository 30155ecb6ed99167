import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../../electron/common/cluster-plan';
import { readInventorySource, writeInventoryFolder } from '../../../../electron/node/inventory/inventory-files';
import { inventoryToPlan } from '../../../../electron/node/inventory/parse-inventory';
import { renderInventory } from '../../../../electron/node/inventory/render-inventory';
import { repoRoot } from '../../../support/airspray-serve';
import { bundle2233, facts } from '../../../support/cluster-plans';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'inventory', name);
const importFrom = async (path: string, previousHosts?: ClusterPlan['hosts']) =>
  inventoryToPlan(await readInventorySource(path), {
    clusterName: 'cluster1',
    ...(previousHosts ? { previousHosts } : {}),
  });
const roleTable = (plan: Pick<ClusterPlan, 'hosts'>) =>
  Object.fromEntries(
    plan.hosts.map((host) => [
      host.name,
      `${host.roles.controlPlane ? 'c' : ''}${host.roles.etcd ? 'e' : ''}${host.roles.worker ? 'w' : ''}${host.roles.calicoRr ? 'r' : ''}`,
    ]),
  );

/** Exports the imported plan (for the 2.23.3 bundle) and imports that export again. */
async function reimport(plan: Omit<ClusterPlan, 'bundle'>): Promise<Omit<ClusterPlan, 'bundle'>> {
  const folder = await mkdtemp(join(tmpdir(), 'airspray-reimport-'));
  await writeInventoryFolder(renderInventory({ ...plan, bundle: bundle2233 }, { generatorVersion: 'test' }), folder);
  return (await importFrom(folder)).plan;
}

describe('importing the seed talk inventories (legacy group names)', () => {
  it('new cluster: three masters with stacked etcd and two workers, settings from group_vars', async () => {
    const { plan, notes } = await importFrom(join(fixture('new-cluster'), 'cluster1.ini'));
    expect(roleTable(plan)).toEqual({ master1: 'ce', master2: 'ce', master3: 'ce', worker1: 'w', worker2: 'w' });
    expect(plan.hosts[0]).toEqual({ name: 'master1', address: '192.168.10.11', roles: expect.any(Object) });
    expect(plan.deployNode).toBe('master1');
    expect(plan.settings).toMatchObject({
      clusterName: 'cluster1.local',
      kubernetesVersion: '1.27.10',
      networkPlugin: 'calico',
      podCidr: '10.233.64.0/18',
      serviceCidr: '10.233.0.0/18',
      apiLoadBalancing: { mode: 'local', type: 'nginx' },
      registry: { kind: 'bundle', registryPort: 5000, filesPort: 8080 },
    });
    // Unknown variables survive as expert variables; the secret does not, and the user is told.
    expect(plan.settings.extraVarsYaml).toBe(
      'bin_dir: /usr/local/bin\netcd_data_dir: /var/lib/etcd\nupstream_dns_servers:\n  - 192.168.10.1\n',
    );
    expect(plan.settings.extraVarsYaml).not.toContain('do-not-import-me');
    expect(notes.join('\n')).toMatch(/ansible_become_password looks like a secret/);
    expect(notes.join('\n')).toMatch(/master1: host variables etcd_member_name were not imported/);
  });

  it('scale node: the added worker joins kube-node', async () => {
    const { plan } = await importFrom(fixture('scale-node'));
    expect(roleTable(plan)).toMatchObject({ worker3: 'w' });
    expect(plan.hosts).toHaveLength(6);
  });

  it('scale master: five control planes, etcd stays odd', async () => {
    const { plan } = await importFrom(fixture('scale-master'));
    expect(Object.values(roleTable(plan)).filter((roles) => roles === 'ce')).toHaveLength(5);
  });

  for (const name of ['new-cluster', 'scale-node', 'scale-master']) {
    it(`${name}: import, export, import gives the same plan`, async () => {
      const first = (await importFrom(fixture(name))).plan;
      expect(await reimport(first)).toEqual(first);
    });
  }

  it('reads kubespray 2.23 hosts.yaml with nested children and [group:vars] in INI', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-import-'));
    await writeInventoryFolder(
      [
        {
          path: 'inventory.ini',
          content:
            'node1 ansible_host=10.1.0.1\nnode2 ansible_host=10.1.0.2\n[kube_control_plane]\nnode1\n[etcd]\nnode1\n[workers]\nnode2\n[kube_node:children]\nworkers\n[all:vars]\nkube_proxy_mode=iptables\n',
        },
      ],
      folder,
    );
    const { plan, notes } = await importFrom(join(folder, 'inventory.ini'));
    expect(roleTable(plan)).toEqual({ node1: 'ce', node2: 'w' });
    expect(plan.settings.kubeProxyMode).toBe('iptables');
    expect(notes.join('\n')).toMatch(/Group "workers" is not a kubespray role/);
  });

  it('keeps discovery facts of hosts that keep their name and address', async () => {
    const previous = [
      {
        name: 'master1',
        address: '192.168.10.11',
        roles: { controlPlane: false, etcd: false, worker: false, calicoRr: false },
        facts: facts('192.168.10.11'),
      },
    ];
    const { plan } = await importFrom(fixture('new-cluster'), previous);
    expect(plan.hosts[0]?.facts).toEqual(facts('192.168.10.11'));
    expect(plan.hosts[1]?.facts).toBeUndefined();
  });

  it('refuses a host without an address, a host range and an unsupported runtime, naming the fix', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-import-bad-'));
    await writeInventoryFolder([{ path: 'a.ini', content: '[kube_node]\nworker-a\n' }], folder);
    await expect(importFrom(join(folder, 'a.ini'))).rejects.toMatchObject({
      i18n: { id: 'inventory.host-without-address', params: { host: 'worker-a' } },
    });
    await writeInventoryFolder([{ path: 'b.ini', content: '[kube_node]\nnode[1:3] ansible_host=10.0.0.1\n' }], folder);
    await expect(importFrom(join(folder, 'b.ini'))).rejects.toMatchObject({
      i18n: { id: 'inventory.ini-host-range', params: { line: 2, host: 'node[1:3]' } },
    });
    await writeInventoryFolder(
      [
        { path: 'c/hosts.yaml', content: 'all:\n  hosts:\n    n1: {ansible_host: 10.0.0.1}\n' },
        { path: 'c/group_vars/all.yml', content: 'container_manager: docker\n' },
      ],
      folder,
    );
    await expect(importFrom(join(folder, 'c'))).rejects.toMatchObject({
      i18n: { id: 'inventory.container-manager-unsupported', params: { manager: 'docker' } },
    });
  });

  it('writes the files an unchanged plan wrote before, byte for byte', async () => {
    const { plan } = await importFrom(fixture('new-cluster'));
    const full = { ...plan, bundle: bundle2233 };
    const a = await mkdtemp(join(tmpdir(), 'airspray-det-'));
    const b = await mkdtemp(join(tmpdir(), 'airspray-det-'));
    await writeInventoryFolder(renderInventory(full, { generatorVersion: 'test' }), a);
    await writeInventoryFolder(renderInventory(structuredClone(full), { generatorVersion: 'test' }), b);
    for (const file of renderInventory(full, { generatorVersion: 'test' })) {
      expect(await readFile(join(a, file.path), 'utf8')).toBe(await readFile(join(b, file.path), 'utf8'));
    }
    expect(renderInventory(full, { generatorVersion: '9.9.9' })[0]?.content).toMatch(
      /^# Generated by Airspray 9\.9\.9 for bundle ks-2\.23\.3-test \(kubespray 2\.23\.3, manifest sha256 a{64}\)/,
    );
  });
});
