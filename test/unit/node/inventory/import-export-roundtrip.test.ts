import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dnsModes,
  kubeProxyModes,
  networkPlugins,
  type ClusterPlan,
  type ClusterSettings,
} from '../../../../electron/common/cluster-plan';
import { formatExtraVariables } from '../../../../electron/node/inventory/extra-variables';
import { readInventorySource, writeInventoryFolder } from '../../../../electron/node/inventory/inventory-files';
import { looksLikeSecret } from '../../../../electron/node/inventory/inventory-variables';
import { inventoryToPlan } from '../../../../electron/node/inventory/parse-inventory';
import { renderInventory } from '../../../../electron/node/inventory/render-inventory';

const hostName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const ipv4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .map((parts) => parts.join('.'));
const dnsName = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,8}){0,2}$/);
const cidr = fc.tuple(ipv4, fc.integer({ min: 8, max: 28 })).map(([address, prefix]) => `${address}/${prefix}`);
const port = fc.integer({ min: 1, max: 65535 });
const printable = fc.stringMatching(/^[ -~]{0,24}$/);

const extraVariables = fc
  .dictionary(
    fc.stringMatching(/^x_[a-z0-9_]{1,10}$/).filter((name) => !looksLikeSecret(name)),
    fc.oneof(
      printable,
      fc.integer(),
      fc.boolean(),
      fc.array(printable, { maxLength: 3 }),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), printable, { maxKeys: 3 }),
    ),
    { maxKeys: 4 },
  )
  .map(formatExtraVariables);

const apiLoadBalancing: fc.Arbitrary<ClusterSettings['apiLoadBalancing']> = fc.oneof(
  fc.constant({ mode: 'none' as const }),
  fc.constantFrom('nginx' as const, 'haproxy' as const).map((type) => ({ mode: 'local' as const, type })),
  fc.record(
    { mode: fc.constant('external' as const), address: ipv4, port, domainName: dnsName },
    { requiredKeys: ['mode', 'address', 'port'] },
  ),
  fc.record(
    { mode: fc.constant('kube-vip' as const), address: ipv4, interface: fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/) },
    { requiredKeys: ['mode', 'address'] },
  ),
);

const registry: fc.Arbitrary<ClusterSettings['registry']> = fc.oneof(
  fc.record({ kind: fc.constant('bundle' as const), registryPort: port, filesPort: port }),
  fc.record(
    {
      kind: fc.constant('harbor' as const),
      address: fc.tuple(dnsName, fc.option(port, { nil: undefined })).map(([name, p]) => (p ? `${name}:${p}` : name)),
      project: fc.stringMatching(/^[a-z0-9]{1,4}([._-][a-z0-9]{1,4}){0,2}$/),
      caCertificate: fc.constant('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXq\n-----END CERTIFICATE-----\n'),
      username: fc.stringMatching(/^[a-z][a-z0-9$-]{0,12}$/),
      filesPort: port,
    },
    { requiredKeys: ['kind', 'address', 'project', 'filesPort'] },
  ),
);

const settings: fc.Arbitrary<ClusterSettings> = fc.record({
  clusterName: dnsName,
  kubernetesVersion: fc.oneof(
    fc.constant(''),
    fc.tuple(fc.nat(2), fc.nat(40), fc.nat(20)).map((parts) => parts.join('.')),
  ),
  networkPlugin: fc.constantFrom(...networkPlugins),
  containerRuntime: fc.constant('containerd' as const),
  podCidr: cidr,
  serviceCidr: cidr,
  nodePrefix: fc.integer({ min: 1, max: 32 }),
  kubeProxyMode: fc.constantFrom(...kubeProxyModes),
  dns: fc.record({ mode: fc.constantFrom(...dnsModes), domain: dnsName, nodeLocalDns: fc.boolean() }),
  apiLoadBalancing,
  ntpServers: fc.array(dnsName, { maxLength: 3 }),
  registry,
  extraVarsYaml: extraVariables,
});

/**
 * Any plan with at least one host and a deploy node (without one the export is refused, so there is nothing to read
 * back).
 */
const plan: fc.Arbitrary<ClusterPlan> = fc
  .uniqueArray(
    fc.record({
      name: hostName,
      address: ipv4,
      roles: fc.record({
        controlPlane: fc.boolean(),
        etcd: fc.boolean(),
        worker: fc.boolean(),
        calicoRr: fc.boolean(),
      }),
    }),
    { minLength: 1, maxLength: 8, selector: (host) => host.name },
  )
  .chain((hosts) =>
    fc.record({
      hosts: fc.constant(hosts),
      deployNode: fc.constantFrom(...hosts.map((host) => host.name)),
      settings,
      bundle: fc.constantFrom('2.15.1', '2.16.0', '2.23.3').map((kubesprayVersion) => ({
        bundleId: `ks-${kubesprayVersion}`,
        kubesprayVersion,
        kubernetesVersions: ['1.27.10'],
        manifestSha256: 'c'.repeat(64),
      })),
    }),
  );

async function roundTrip(original: ClusterPlan, file: 'hosts.yaml' | 'inventory.ini') {
  const folder = await mkdtemp(join(tmpdir(), 'airspray-prop-'));
  try {
    await writeInventoryFolder(renderInventory(original, { generatorVersion: 'test' }), folder);
    return inventoryToPlan(await readInventorySource(join(folder, file)), { clusterName: 'ignored' }).plan;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

describe('import(export(plan)) = plan, for generated plans', () => {
  for (const file of ['hosts.yaml', 'inventory.ini'] as const) {
    it(`through ${file} and group_vars`, async () => {
      await fc.assert(
        fc.asyncProperty(plan, async (original) => {
          // The bundle is not part of an inventory; the importing project keeps its own.
          expect(await roundTrip(original, file)).toEqual({
            hosts: original.hosts,
            deployNode: original.deployNode,
            settings: original.settings,
          });
        }),
        { numRuns: 150 },
      );
    });
  }
});
