import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../../electron/common/cluster-plan';
import { writeInventoryFolder } from '../../../../electron/node/inventory/inventory-files';
import { planToVariables } from '../../../../electron/node/inventory/inventory-variables';
import { groupNamesFor } from '../../../../electron/node/inventory/kubespray-names';
import { renderInventory } from '../../../../electron/node/inventory/render-inventory';
import { planWith } from '../../../support/cluster-plans';
import { recoverGroups } from '../../../../electron/common/recover-control-plane';

const run = promisify(execFile);

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[]; vars?: Record<string, unknown> } | AnsibleList['_meta'];
}

/** Debian's ansible-core reads the export exactly as kubespray's playbooks would. */
async function ansibleInventory(inventoryFile: string): Promise<AnsibleList> {
  const home = await mkdtemp(join(tmpdir(), 'airspray-ansible-home-'));
  const { stdout } = await run('ansible-inventory', ['-i', inventoryFile, '--list', '--export'], {
    env: {
      ...process.env,
      ANSIBLE_HOME: home,
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
    },
  });
  return JSON.parse(stdout) as AnsibleList;
}

const topologies: Record<string, ClusterPlan> = {
  'one host': planWith(['cew']),
  'two hosts': planWith(['ce', 'w']),
  'three stacked control planes': planWith(['cew', 'cew', 'cew']),
  'HA with workers, route reflector and kube-vip': (() => {
    const plan = planWith(['ce', 'ce', 'ce', 'w', 'w', 'wr']);
    return {
      ...plan,
      settings: {
        ...plan.settings,
        apiLoadBalancing: { mode: 'kube-vip', address: '10.0.0.200' },
        ntpServers: ['ntp1.lan', 'ntp2.lan'],
      },
    };
  })(),
  'dedicated etcd with an external load balancer and Harbor': (() => {
    const plan = planWith(['c', 'c', 'c', 'e', 'e', 'e', 'w']);
    return {
      ...plan,
      settings: {
        ...plan.settings,
        apiLoadBalancing: { mode: 'external', address: '10.0.0.250', port: 8443, domainName: 'api.lab.lan' },
        registry: {
          kind: 'harbor',
          address: 'harbor.lab.lan',
          project: 'kubespray',
          username: 'robot-pull',
          filesPort: 8080,
        },
        extraVarsYaml: 'kubelet_max_pods: 200\n',
      },
    };
  })(),
  'kubespray 2.15 (legacy group names)': planWith(['cew', 'w'], {
    bundle: {
      bundleId: 'ks-2.15',
      kubesprayVersion: '2.15.1',
      kubernetesVersions: ['1.19.7'],
      manifestSha256: 'b'.repeat(64),
    },
    settings: { ...planWith([]).settings, kubernetesVersion: '1.19.7' },
  }),
};

function expectedGroups(plan: ClusterPlan): Record<string, string[]> {
  const names = groupNamesFor(plan.bundle?.kubesprayVersion);
  const members = (role: keyof ClusterPlan['hosts'][number]['roles']) =>
    plan.hosts
      .filter((host) => host.roles[role])
      .map((host) => host.name)
      .sort();
  return {
    [names.controlPlane]: members('controlPlane'),
    [names.worker]: members('worker'),
    [names.etcd]: members('etcd'),
    [names.calicoRr]: members('calicoRr'),
  };
}

describe('export read back by ansible-inventory (Debian ansible-core)', () => {
  for (const [label, plan] of Object.entries(topologies)) {
    for (const file of ['hosts.yaml', 'inventory.ini']) {
      it(`${label}: ${file} yields exactly the plan's groups, hosts and variables`, async () => {
        const folder = await mkdtemp(join(tmpdir(), 'airspray-export-'));
        await writeInventoryFolder(renderInventory(plan, { generatorVersion: 'test' }), folder);
        const listed = await ansibleInventory(join(folder, file));
        const names = groupNamesFor(plan.bundle?.kubesprayVersion);

        for (const [group, hosts] of Object.entries(expectedGroups(plan))) {
          const entry = listed[group] as { hosts?: string[] } | undefined;
          expect([...(entry?.hosts ?? [])].sort(), group).toEqual(hosts);
        }
        expect([...((listed[names.cluster] as { children?: string[] }).children ?? [])].sort()).toEqual(
          [names.controlPlane, names.worker, names.calicoRr].sort(),
        );
        expect(Object.keys(listed._meta.hostvars).sort()).toEqual(plan.hosts.map((host) => host.name).sort());
        for (const host of plan.hosts) {
          expect(listed._meta.hostvars[host.name]).toEqual({
            ansible_host: host.address,
            ip: host.address,
            access_ip: host.address,
          });
        }

        const variables = planToVariables(plan, plan.settings.extraVarsYaml ? { kubelet_max_pods: 200 } : {});
        expect((listed.all as { vars?: unknown }).vars).toEqual({
          ...variables.all,
          ...variables.offline,
          ...variables.extra,
        });
        expect((listed[names.cluster] as { vars?: unknown }).vars).toEqual({
          ...variables.k8sCluster,
          ...variables.addons,
        });
      });
    }
  }
});

describe("a recovery's inventory read back by ansible-inventory", () => {
  const plan = planWith(['cew', 'cew', 'cew', 'w']);
  const recover = recoverGroups(plan.hosts, ['node1'], []);
  for (const file of ['hosts.yaml', 'inventory.ini']) {
    it(`${file}: survivors first, the broken groups, every etcd member's etcd_member_name`, async () => {
      const folder = await mkdtemp(join(tmpdir(), 'airspray-recover-'));
      await writeInventoryFolder(renderInventory(plan, { generatorVersion: 'test', recover }), folder);
      const listed = await ansibleInventory(join(folder, file));
      const hostsOf = (group: string) => (listed[group] as { hosts?: string[] } | undefined)?.hosts;
      expect([hostsOf('etcd'), hostsOf('kube_control_plane')]).toEqual([
        ['node2', 'node3', 'node1'],
        ['node2', 'node3', 'node1'],
      ]);
      expect([hostsOf('broken_etcd'), hostsOf('broken_kube_control_plane'), hostsOf('kube_node')]).toEqual([
        ['node1'],
        ['node1'],
        ['node1', 'node2', 'node3', 'node4'],
      ]);
      const names = plan.hosts.map((host) => listed._meta.hostvars[host.name]?.etcd_member_name);
      expect(names).toEqual(['etcd1', 'etcd2', 'etcd3', undefined]);
    });
  }
});
