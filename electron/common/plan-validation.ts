import { hostNamePattern, type ClusterHost, type ClusterPlan } from './cluster-plan';
import { formatIpv4Network, ipv4ToNumber, networkOf, networksOverlap, parseIpv4Cidr, type Ipv4Network } from './ipv4';

export type FindingSeverity = 'error' | 'warning';

/** One problem with the plan: what is wrong, where (host and/or field), and how to fix it. */
export interface PlanFinding {
  rule: PlanRuleId;
  severity: FindingSeverity;
  host?: string;
  field?: string;
  message: string;
}

export const planRuleIds = [
  'control-plane-required',
  'worker-required',
  'etcd-required',
  'etcd-odd',
  'host-name-invalid',
  'host-name-duplicate',
  'address-duplicate',
  'address-not-on-host',
  'facts-missing',
  'host-without-role',
  'deploy-node-required',
  'pod-cidr-invalid',
  'service-cidr-invalid',
  'cidrs-overlap',
  'cidr-overlaps-node-network',
  'node-prefix-too-small',
  'pod-addresses-insufficient',
  'load-balancing-required',
  'virtual-address-taken',
  'memory-too-small',
  'bundle-missing',
  'kubernetes-version-required',
  'kubernetes-version-not-in-bundle',
  'network-plugin-not-in-bundle',
  'calico-rr-needs-calico',
  // These three need a YAML parser, so they run in Node (electron/node/inventory/extra-variables.ts).
  'extra-vars-invalid',
  'extra-vars-secret',
  'extra-vars-managed',
] as const;
export type PlanRuleId = (typeof planRuleIds)[number];

/**
 * kubeadm's preflight refuses a control plane under 1700 MB; kubespray refuses other nodes under 1024 MB
 * (minimal_node_memory_mb).
 */
export const minimumControlPlaneMemoryMiB = 1700;
export const minimumNodeMemoryMiB = 1024;
/** The OpenShift Assisted Installer and etcd's own guidance: below this a control plane works but struggles. */
export const recommendedControlPlaneMemoryMiB = 4096;

type Rule = (plan: ClusterPlan) => PlanFinding[];

const error = (rule: PlanRuleId, message: string, where: { host?: string; field?: string } = {}): PlanFinding => ({
  rule,
  severity: 'error',
  ...where,
  message,
});
const warning = (rule: PlanRuleId, message: string, where: { host?: string; field?: string } = {}): PlanFinding => ({
  rule,
  severity: 'warning',
  ...where,
  message,
});

const withRole = (plan: ClusterPlan, role: keyof ClusterHost['roles']) => plan.hosts.filter((host) => host.roles[role]);
/** kubespray's k8s_cluster group: control planes, workers and route reflectors. */
export const clusterNodes = (plan: ClusterPlan) =>
  plan.hosts.filter((host) => host.roles.controlPlane || host.roles.worker || host.roles.calicoRr);

const roleRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  if (withRole(plan, 'controlPlane').length === 0) {
    findings.push(
      error(
        'control-plane-required',
        'No host has the control plane role: give it to at least one host (three for high availability).',
        { field: 'roles.controlPlane' },
      ),
    );
  }
  if (withRole(plan, 'worker').length === 0) {
    findings.push(
      error(
        'worker-required',
        'No host has the worker role: make at least one host a worker (a control plane may also be one).',
        { field: 'roles.worker' },
      ),
    );
  }
  const etcd = withRole(plan, 'etcd').length;
  if (etcd === 0) {
    findings.push(
      error(
        'etcd-required',
        'No host is an etcd member: give the etcd role to one host, or three for high availability.',
        { field: 'roles.etcd' },
      ),
    );
  } else if (etcd % 2 === 0) {
    findings.push(
      error(
        'etcd-odd',
        `${etcd} etcd members: etcd needs an odd number to keep quorum (kubespray refuses even counts). Use ${etcd - 1} or ${etcd + 1}.`,
        {
          field: 'roles.etcd',
        },
      ),
    );
  }
  for (const host of plan.hosts) {
    const hasRole = host.roles.controlPlane || host.roles.etcd || host.roles.worker || host.roles.calicoRr;
    if (!hasRole && host.name !== plan.deployNode) {
      findings.push(
        warning(
          'host-without-role',
          `${host.name} has no role and is not the deploy node: give it a role or remove it.`,
          { host: host.name },
        ),
      );
    }
  }
  if (plan.deployNode === null) {
    findings.push(
      error(
        'deploy-node-required',
        'No deploy node chosen: pick the host where the bundle is unpacked and kubespray runs.',
        { field: 'deployNode' },
      ),
    );
  } else if (!plan.hosts.some((host) => host.name === plan.deployNode)) {
    findings.push(
      error(
        'deploy-node-required',
        `The deploy node "${plan.deployNode}" is not in the host list: pick one of the hosts.`,
        { field: 'deployNode' },
      ),
    );
  }
  return findings;
};

const hostRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const names = new Map<string, number>();
  const addresses = new Map<string, string[]>();
  for (const host of plan.hosts) {
    names.set(host.name, (names.get(host.name) ?? 0) + 1);
    addresses.set(host.address, [...(addresses.get(host.address) ?? []), host.name]);
    if (!hostNamePattern.test(host.name)) {
      findings.push(
        error(
          'host-name-invalid',
          `"${host.name}" is not a valid node name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (e.g. "${suggestHostName(host.name)}").`,
          { host: host.name, field: 'name' },
        ),
      );
    }
    if (host.facts && !host.facts.addresses.some((entry) => entry.address === host.address)) {
      const real = host.facts.addresses.map((entry) => entry.address).join(', ') || 'none';
      findings.push(
        error(
          'address-not-on-host',
          `${host.name}: ${host.address} is not an address of this host (it has ${real}): use one of those.`,
          {
            host: host.name,
            field: 'address',
          },
        ),
      );
    }
    if (!host.facts) {
      findings.push(
        warning(
          'facts-missing',
          `${host.name} was typed in, not discovered: its address, memory and OS are unchecked. Run discovery to check them.`,
          {
            host: host.name,
          },
        ),
      );
    }
  }
  for (const [name, count] of names) {
    if (count > 1)
      findings.push(
        error('host-name-duplicate', `${count} hosts are named "${name}": rename all but one.`, {
          host: name,
          field: 'name',
        }),
      );
  }
  for (const [address, holders] of addresses) {
    if (holders.length > 1) {
      findings.push(
        error(
          'address-duplicate',
          `${holders.join(' and ')} share the address ${address}: each host needs its own address.`,
          {
            host: holders[1],
            field: 'address',
          },
        ),
      );
    }
  }
  return findings;
};

/** Networks the nodes sit on: from facts when discovered, else the single typed address. */
function nodeNetworks(host: ClusterHost): Ipv4Network[] {
  if (host.facts && host.facts.addresses.length > 0) {
    return host.facts.addresses
      .filter((entry) => !entry.address.startsWith('127.'))
      .map((entry) => networkOf(ipv4ToNumber(entry.address) ?? 0, entry.prefixLength));
  }
  const address = ipv4ToNumber(host.address);
  return address === null ? [] : [networkOf(address, 32)];
}

const cidrSettings = [
  { rule: 'pod-cidr-invalid', label: 'Pod', key: 'podCidr', example: '10.233.64.0/18' },
  { rule: 'service-cidr-invalid', label: 'Service', key: 'serviceCidr', example: '10.233.0.0/18' },
] as const;

const networkRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const { settings } = plan;
  const pods = parseIpv4Cidr(settings.podCidr);
  const services = parseIpv4Cidr(settings.serviceCidr);
  for (const { rule, label, key, example } of cidrSettings) {
    if (parseIpv4Cidr(settings[key])) continue;
    const message = `${label} network "${settings[key]}" is not an IPv4 CIDR: type one such as ${example}.`;
    findings.push(error(rule, message, { field: `settings.${key}` }));
  }
  if (pods && services && networksOverlap(pods, services)) {
    findings.push(
      error(
        'cidrs-overlap',
        `Pod network ${formatIpv4Network(pods)} and service network ${formatIpv4Network(services)} overlap: move one of them.`,
        {
          field: 'settings.serviceCidr',
        },
      ),
    );
  }
  for (const [label, field, network] of [
    ['Pod', 'settings.podCidr', pods],
    ['Service', 'settings.serviceCidr', services],
  ] as const) {
    if (!network) continue;
    for (const host of plan.hosts) {
      const clash = nodeNetworks(host).find((nodeNetwork) => networksOverlap(nodeNetwork, network));
      if (clash) {
        findings.push(
          error(
            'cidr-overlaps-node-network',
            `${label} network ${formatIpv4Network(network)} overlaps ${host.name}'s network ${formatIpv4Network(clash)}: choose a range no node uses.`,
            { host: host.name, field },
          ),
        );
      }
    }
  }
  if (pods) {
    if (settings.nodePrefix < pods.prefixLength) {
      findings.push(
        error(
          'node-prefix-too-small',
          `Node prefix /${settings.nodePrefix} is larger than the pod network /${pods.prefixLength}: use a node prefix of /${pods.prefixLength} or longer (e.g. /24).`,
          {
            field: 'settings.nodePrefix',
          },
        ),
      );
    } else {
      const nodeCount = clusterNodes(plan).length;
      const capacity = 2 ** (settings.nodePrefix - pods.prefixLength);
      if (nodeCount > capacity) {
        findings.push(
          error(
            'pod-addresses-insufficient',
            `The pod network /${pods.prefixLength} split into /${settings.nodePrefix} per node has room for ${capacity} nodes, but the plan has ${nodeCount}: widen the pod network or lengthen the node prefix.`,
            { field: 'settings.podCidr' },
          ),
        );
      }
    }
  }
  return findings;
};

const apiRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const balancing = plan.settings.apiLoadBalancing;
  const controlPlanes = withRole(plan, 'controlPlane').length;
  if (controlPlanes > 1 && balancing.mode === 'none') {
    findings.push(
      error(
        'load-balancing-required',
        `${controlPlanes} control planes but no API load balancing: choose kubespray's local proxy, an external load balancer or kube-vip.`,
        {
          field: 'settings.apiLoadBalancing',
        },
      ),
    );
  }
  if (balancing.mode === 'kube-vip' || balancing.mode === 'external') {
    const taken = plan.hosts.find((host) => host.address === balancing.address);
    if (taken && balancing.mode === 'kube-vip') {
      findings.push(
        error(
          'virtual-address-taken',
          `The kube-vip address ${balancing.address} is ${taken.name}'s own address: choose a free address on the same network.`,
          {
            field: 'settings.apiLoadBalancing.address',
          },
        ),
      );
    }
  }
  return findings;
};

const memoryRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  for (const host of plan.hosts) {
    if (!host.facts) continue;
    const memory = host.facts.memoryMiB;
    if (host.roles.controlPlane && memory < minimumControlPlaneMemoryMiB) {
      findings.push(
        error(
          'memory-too-small',
          `${host.name} has ${memory} MiB of memory; a control plane needs at least ${minimumControlPlaneMemoryMiB} MiB: add memory or make it a worker.`,
          {
            host: host.name,
          },
        ),
      );
    } else if ((host.roles.worker || host.roles.etcd || host.roles.calicoRr) && memory < minimumNodeMemoryMiB) {
      findings.push(
        error(
          'memory-too-small',
          `${host.name} has ${memory} MiB of memory; kubespray needs at least ${minimumNodeMemoryMiB} MiB on a node: add memory or drop its roles.`,
          {
            host: host.name,
          },
        ),
      );
    } else if (host.roles.controlPlane && memory < recommendedControlPlaneMemoryMiB) {
      findings.push(
        warning(
          'memory-too-small',
          `${host.name} has ${memory} MiB of memory; ${recommendedControlPlaneMemoryMiB} MiB or more is recommended for a control plane.`,
          {
            host: host.name,
          },
        ),
      );
    }
  }
  return findings;
};

const bundleRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const { settings, bundle } = plan;
  if (!settings.kubernetesVersion) {
    findings.push(
      error(
        'kubernetes-version-required',
        'No Kubernetes version chosen: pick one the bundle carries on the Settings step.',
        { field: 'settings.kubernetesVersion' },
      ),
    );
  }
  if (!bundle) {
    findings.push(
      warning(
        'bundle-missing',
        'No bundle chosen: versions and plugins are unchecked. Choose the bundle on the Settings step.',
        { field: 'bundle' },
      ),
    );
    return findings;
  }
  if (settings.kubernetesVersion && !bundle.kubernetesVersions.includes(settings.kubernetesVersion)) {
    findings.push(
      error(
        'kubernetes-version-not-in-bundle',
        `Kubernetes ${settings.kubernetesVersion} is not in bundle ${bundle.bundleId} (it carries ${bundle.kubernetesVersions.join(', ') || 'none'}): choose one of those.`,
        { field: 'settings.kubernetesVersion' },
      ),
    );
  }
  if (bundle.networkPlugins && !bundle.networkPlugins.includes(settings.networkPlugin)) {
    findings.push(
      error(
        'network-plugin-not-in-bundle',
        `Network plugin ${settings.networkPlugin} is not in bundle ${bundle.bundleId} (it carries ${bundle.networkPlugins.join(', ') || 'none'}): choose one of those.`,
        { field: 'settings.networkPlugin' },
      ),
    );
  }
  return findings;
};

const pluginRules: Rule = (plan) =>
  plan.settings.networkPlugin !== 'calico' && withRole(plan, 'calicoRr').length > 0
    ? [
        warning(
          'calico-rr-needs-calico',
          `Route reflectors (calico_rr) only matter with Calico, and the plan uses ${plan.settings.networkPlugin}: drop the role or switch to Calico.`,
          {
            field: 'roles.calicoRr',
          },
        ),
      ]
    : [];

const rules: readonly Rule[] = [roleRules, hostRules, networkRules, apiRules, memoryRules, bundleRules, pluginRules];

/**
 * Every check kubespray (and kubeadm) would refuse at run time, plus the seed talk's hard-won ones, run on the plan
 * alone.
 */
export function validatePlan(plan: ClusterPlan): PlanFinding[] {
  return rules.flatMap((rule) => rule(plan));
}

export const hasBlockingFindings = (findings: readonly PlanFinding[]) =>
  findings.some((finding) => finding.severity === 'error');

function suggestHostName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return cleaned || 'node1';
}
