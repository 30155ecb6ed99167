import { hostNamePattern, type ClusterHost, type ClusterPlan } from './cluster-plan';
import { joinValues, type CoreMessageId, type CoreMessageParams } from './core-messages';
import { formatIpv4Network, ipv4ToNumber, networkOf, networksOverlap, parseIpv4Cidr, type Ipv4Network } from './ipv4';

export type FindingSeverity = 'error' | 'warning';

/**
 * One problem with the plan: which rule, where (host and/or field), and the values its message takes. The message
 * (what is wrong, how to fix it) is core message `plan.<rule>` (planFindingMessageId), in the reader's language.
 */
export interface PlanFinding {
  rule: PlanRuleId;
  severity: FindingSeverity;
  host?: string;
  field?: string;
  params: CoreMessageParams;
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

/** The core message that says what a rule found; every rule has one (a missing one fails the type check). */
export const planFindingMessageId = (rule: PlanRuleId): CoreMessageId => `plan.${rule}`;

/**
 * kubeadm's preflight refuses a control plane under 1700 MB; kubespray refuses other nodes under 1024 MB
 * (minimal_node_memory_mb).
 */
export const minimumControlPlaneMemoryMiB = 1700;
export const minimumNodeMemoryMiB = 1024;
/** The OpenShift Assisted Installer and etcd's own guidance: below this a control plane works but struggles. */
export const recommendedControlPlaneMemoryMiB = 4096;

type Rule = (plan: ClusterPlan) => PlanFinding[];

type Where = { host?: string; field?: string };
const error = (rule: PlanRuleId, params: CoreMessageParams, where: Where = {}): PlanFinding => ({
  rule,
  severity: 'error',
  ...where,
  params,
});
const warning = (rule: PlanRuleId, params: CoreMessageParams, where: Where = {}): PlanFinding => ({
  rule,
  severity: 'warning',
  ...where,
  params,
});

const withRole = (plan: ClusterPlan, role: keyof ClusterHost['roles']) => plan.hosts.filter((host) => host.roles[role]);
/** kubespray's k8s_cluster group: control planes, workers and route reflectors. */
export const clusterNodes = (plan: ClusterPlan) =>
  plan.hosts.filter((host) => host.roles.controlPlane || host.roles.worker || host.roles.calicoRr);

const roleRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  if (withRole(plan, 'controlPlane').length === 0)
    findings.push(error('control-plane-required', {}, { field: 'roles.controlPlane' }));
  if (withRole(plan, 'worker').length === 0) findings.push(error('worker-required', {}, { field: 'roles.worker' }));
  const etcd = withRole(plan, 'etcd').length;
  if (etcd === 0) {
    findings.push(error('etcd-required', {}, { field: 'roles.etcd' }));
  } else if (etcd % 2 === 0) {
    findings.push(error('etcd-odd', { count: etcd, fewer: etcd - 1, more: etcd + 1 }, { field: 'roles.etcd' }));
  }
  for (const host of plan.hosts) {
    const hasRole = host.roles.controlPlane || host.roles.etcd || host.roles.worker || host.roles.calicoRr;
    if (!hasRole && host.name !== plan.deployNode)
      findings.push(warning('host-without-role', { host: host.name }, { host: host.name }));
  }
  if (plan.deployNode === null) {
    findings.push(error('deploy-node-required', { chosen: 'no', deployNode: '' }, { field: 'deployNode' }));
  } else if (!plan.hosts.some((host) => host.name === plan.deployNode)) {
    findings.push(
      error('deploy-node-required', { chosen: 'yes', deployNode: plan.deployNode }, { field: 'deployNode' }),
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
    const where = { host: host.name };
    if (!hostNamePattern.test(host.name)) {
      const params = { host: host.name, suggestion: suggestHostName(host.name) };
      findings.push(error('host-name-invalid', params, { ...where, field: 'name' }));
    }
    if (host.facts && !host.facts.addresses.some((entry) => entry.address === host.address)) {
      const real = host.facts.addresses.map((entry) => entry.address);
      const params = { host: host.name, address: host.address, addressCount: real.length, addresses: joinValues(real) };
      findings.push(error('address-not-on-host', params, { ...where, field: 'address' }));
    }
    if (!host.facts) findings.push(warning('facts-missing', { host: host.name }, where));
  }
  for (const [name, count] of names) {
    if (count > 1) findings.push(error('host-name-duplicate', { count, host: name }, { host: name, field: 'name' }));
  }
  for (const [address, holders] of addresses) {
    if (holders.length > 1) {
      const params = { hosts: joinValues(holders), address };
      findings.push(error('address-duplicate', params, { host: holders[1], field: 'address' }));
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
  { rule: 'pod-cidr-invalid', key: 'podCidr', example: '10.233.64.0/18' },
  { rule: 'service-cidr-invalid', key: 'serviceCidr', example: '10.233.0.0/18' },
] as const;

const networkRules: Rule = (plan) => {
  const { settings } = plan;
  const pods = parseIpv4Cidr(settings.podCidr);
  const services = parseIpv4Cidr(settings.serviceCidr);
  const findings = cidrSettings
    .filter(({ key }) => !parseIpv4Cidr(settings[key]))
    .map(({ rule, key, example }) => error(rule, { value: settings[key], example }, { field: `settings.${key}` }));
  if (pods && services && networksOverlap(pods, services)) {
    const params = { pods: formatIpv4Network(pods), services: formatIpv4Network(services) };
    findings.push(error('cidrs-overlap', params, { field: 'settings.serviceCidr' }));
  }
  for (const [network, field, cidr] of [
    ['pod', 'settings.podCidr', pods],
    ['service', 'settings.serviceCidr', services],
  ] as const) {
    if (!cidr) continue;
    for (const host of plan.hosts) {
      const clash = nodeNetworks(host).find((nodeNetwork) => networksOverlap(nodeNetwork, cidr));
      if (!clash) continue;
      const params = { network, cidr: formatIpv4Network(cidr), host: host.name, nodeNetwork: formatIpv4Network(clash) };
      findings.push(error('cidr-overlaps-node-network', params, { host: host.name, field }));
    }
  }
  if (pods) findings.push(...podAddressRules(plan, pods.prefixLength));
  return findings;
};

/** The pod network split into one block per node: the blocks must fit, and there must be one for every node. */
function podAddressRules(plan: ClusterPlan, podPrefix: number): PlanFinding[] {
  const { nodePrefix } = plan.settings;
  if (nodePrefix < podPrefix)
    return [error('node-prefix-too-small', { nodePrefix, podPrefix }, { field: 'settings.nodePrefix' })];
  const nodeCount = clusterNodes(plan).length;
  const capacity = 2 ** (nodePrefix - podPrefix);
  if (nodeCount <= capacity) return [];
  const params = { podPrefix, nodePrefix, capacity, nodeCount };
  return [error('pod-addresses-insufficient', params, { field: 'settings.podCidr' })];
}

const apiRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const balancing = plan.settings.apiLoadBalancing;
  const controlPlanes = withRole(plan, 'controlPlane').length;
  if (controlPlanes > 1 && balancing.mode === 'none') {
    const where = { field: 'settings.apiLoadBalancing' };
    findings.push(error('load-balancing-required', { count: controlPlanes }, where));
  }
  if (balancing.mode === 'kube-vip') {
    const taken = plan.hosts.find((host) => host.address === balancing.address);
    if (taken) {
      const where = { field: 'settings.apiLoadBalancing.address' };
      findings.push(error('virtual-address-taken', { address: balancing.address, host: taken.name }, where));
    }
  }
  return findings;
};

const memoryRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  for (const host of plan.hosts) {
    if (!host.facts) continue;
    const memory = host.facts.memoryMiB;
    const finding = (severity: typeof error, need: string, minimum: number) =>
      findings.push(severity('memory-too-small', { need, host: host.name, memory, minimum }, { host: host.name }));
    if (host.roles.controlPlane && memory < minimumControlPlaneMemoryMiB) {
      finding(error, 'controlPlane', minimumControlPlaneMemoryMiB);
    } else if ((host.roles.worker || host.roles.etcd || host.roles.calicoRr) && memory < minimumNodeMemoryMiB) {
      finding(error, 'node', minimumNodeMemoryMiB);
    } else if (host.roles.controlPlane && memory < recommendedControlPlaneMemoryMiB) {
      finding(warning, 'recommended', recommendedControlPlaneMemoryMiB);
    }
  }
  return findings;
};

/** A choice the bundle does not carry, with what it does carry. */
const notInBundle = (carried: readonly string[]) => ({ carriedCount: carried.length, carried: joinValues(carried) });

const bundleRules: Rule = (plan) => {
  const findings: PlanFinding[] = [];
  const { settings, bundle } = plan;
  if (!settings.kubernetesVersion)
    findings.push(error('kubernetes-version-required', {}, { field: 'settings.kubernetesVersion' }));
  if (!bundle) {
    findings.push(warning('bundle-missing', {}, { field: 'bundle' }));
    return findings;
  }
  if (settings.kubernetesVersion && !bundle.kubernetesVersions.includes(settings.kubernetesVersion)) {
    const params = {
      version: settings.kubernetesVersion,
      bundle: bundle.bundleId,
      ...notInBundle(bundle.kubernetesVersions),
    };
    findings.push(error('kubernetes-version-not-in-bundle', params, { field: 'settings.kubernetesVersion' }));
  }
  if (bundle.networkPlugins && !bundle.networkPlugins.includes(settings.networkPlugin)) {
    const params = { plugin: settings.networkPlugin, bundle: bundle.bundleId, ...notInBundle(bundle.networkPlugins) };
    findings.push(error('network-plugin-not-in-bundle', params, { field: 'settings.networkPlugin' }));
  }
  return findings;
};

const pluginRules: Rule = (plan) =>
  plan.settings.networkPlugin !== 'calico' && withRole(plan, 'calicoRr').length > 0
    ? [warning('calico-rr-needs-calico', { plugin: plan.settings.networkPlugin }, { field: 'roles.calicoRr' })]
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
