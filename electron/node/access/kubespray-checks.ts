import type { ClusterPlan, HostRoles, NetworkPlugin } from '../../common/cluster-plan';
import { joinValues, type CoreMessageId, type CoreMessageParams } from '../../common/core-messages';
import type { HostFacts, PeerView, PreflightCheck } from '../../common/host-facts';
import { formatCoreMessage } from '../i18n/format-core-message';
import { kubernetesPorts } from './facts-probe';

/** What the checks need of the project's plan. */
export interface PlanView {
  hosts: readonly { name: string; address: string; roles: HostRoles }[];
  networkPlugin: NetworkPlugin;
  kubeProxyMode: 'ipvs' | 'iptables';
  nodeLocalDns: boolean;
}

/** Kubespray 2.23.3's own numbers, each from the file named. */
export const kubespray = {
  /** roles/kubernetes/preinstall/defaults/main.yml, asserted in tasks/0040-verify-settings.yml. */
  minimalMasterMemoryMb: 1500,
  minimalNodeMemoryMb: 1024,
  /** roles/kubernetes/preinstall/tasks/0040-verify-settings.yml, only for cilium. */
  ciliumMinKernel: '4.9.17',
  /** roles/etcd/defaults/main.yml: etcd_memory_limit is 512M below this much memory. */
  etcdUnlimitedMemoryMb: 4096,
  /** kubeadm's NumCPU preflight, which kubespray skips (--ignore-preflight-errors=all on init and join). */
  kubeadmControlPlaneCpus: 2,
} as const;

/**
 * TCP ports the network plugin listens on between nodes; calico's VXLAN and flannel's are UDP, which a connect cannot
 * test.
 */
export const networkPluginTcpPorts: Readonly<Record<NetworkPlugin, readonly number[]>> = {
  calico: [],
  flannel: [],
  cilium: [4240],
  'kube-router': [179],
  'kube-ovn': [],
  macvlan: [],
};

/** The TCP ports each host tries on the others: Kubernetes' own and the planned network plugin's. */
export function peerPortsFor(plan: PlanView | undefined): number[] {
  return [...kubernetesPorts, ...(plan ? networkPluginTcpPorts[plan.networkPlugin] : [])];
}

/** What the checks read of a project's plan. */
export function planViewOf(cluster: ClusterPlan): PlanView {
  const { networkPlugin, kubeProxyMode, dns } = cluster.settings;
  return { hosts: cluster.hosts, networkPlugin, kubeProxyMode, nodeLocalDns: dns.nodeLocalDns };
}

/** Roles of a host in the plan; a host outside the plan, without a role yet, or without a plan may play any role. */
export function rolesOf(address: string, plan: PlanView | undefined): HostRoles | undefined {
  const roles = plan?.hosts.find((host) => host.address === address)?.roles;
  return roles && Object.values(roles).some(Boolean) ? roles : undefined;
}

const playsAny = (roles: HostRoles | undefined, ...wanted: (keyof HostRoles)[]) =>
  !roles || wanted.some((role) => roles[role]);
const isKubeNode = (roles: HostRoles | undefined) => playsAny(roles, 'controlPlane', 'worker');
type Say = (id: CoreMessageId, params?: CoreMessageParams) => PreflightCheck;

/**
 * One check's outcomes, its id and title given once; each outcome's message is a core message (`preflight.*`), in
 * English beside its id and values.
 */
export function check(id: string, titleId: CoreMessageId, titleParams: CoreMessageParams = {}) {
  const title = { id: titleId, params: titleParams };
  const outcome =
    (status: PreflightCheck['status'], answeredBySetting?: true): Say =>
    (messageId, params = {}) => ({
      id,
      status,
      title: formatCoreMessage(titleId, titleParams),
      message: formatCoreMessage(messageId, params),
      ...(answeredBySetting && { answeredBySetting }),
      i18n: { title, message: { id: messageId, params } },
    });
  /** failUnlessSet: a failure the plan's settings can answer instead of the host. */
  return { pass: outcome('pass'), warn: outcome('warn'), fail: outcome('fail'), failUnlessSet: outcome('fail', true) };
}

/** Kubespray asserts ansible_memtotal_mb (MemTotal in whole MiB, as memoryMiB) against the role's minimum. */
export function checkMemory(facts: HostFacts, roles: HostRoles | undefined): PreflightCheck {
  const { pass, warn, fail } = check('memory', 'preflight.memory.title');
  const memory = facts.memoryMiB;
  if (!roles) {
    if (memory < kubespray.minimalNodeMemoryMb)
      return fail('preflight.memory.below', { memory, minimum: kubespray.minimalNodeMemoryMb, role: 'node' });
    if (memory < kubespray.minimalMasterMemoryMb)
      return warn('preflight.memory.worker-only', { memory, minimum: kubespray.minimalMasterMemoryMb });
    return pass('preflight.memory.any-role', { memory });
  }
  const needs = [
    ...(roles.controlPlane ? [{ role: 'controlPlane', mb: kubespray.minimalMasterMemoryMb }] : []),
    ...(roles.worker ? [{ role: 'worker', mb: kubespray.minimalNodeMemoryMb }] : []),
  ];
  const short = needs.find((need) => memory < need.mb);
  if (short) return fail('preflight.memory.below', { memory, minimum: short.mb, role: short.role });
  if (roles.etcd && memory < kubespray.etcdUnlimitedMemoryMb)
    return warn('preflight.memory.etcd-capped', { memory, unlimited: kubespray.etcdUnlimitedMemoryMb });
  if (needs.length === 0) return pass('preflight.memory.no-minimum', { memory });
  const minimums = { controlPlane: kubespray.minimalMasterMemoryMb, worker: kubespray.minimalNodeMemoryMb };
  return pass('preflight.memory.enough', { memory, needs: needs.length > 1 ? 'both' : needs[0]!.role, ...minimums });
}

export function checkCpus(facts: HostFacts, roles: HostRoles | undefined): PreflightCheck {
  const { pass, warn } = check('cpus', 'preflight.cpus.title');
  const { cpus } = facts;
  if (!playsAny(roles, 'controlPlane') || cpus >= kubespray.kubeadmControlPlaneCpus)
    return pass('preflight.cpus.enough', { cpus });
  return warn('preflight.cpus.few', { cpus, wanted: kubespray.kubeadmControlPlaneCpus });
}

/** Compares dotted versions numerically, as Ansible's version test does for kernel releases. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [have, want] = [parts(version), parts(minimum)];
  for (let index = 0; index < Math.max(have.length, want.length); index += 1) {
    const difference = (have[index] ?? 0) - (want[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** Kubespray asserts ansible_kernel.split('-')[0] >= 4.9.17 on every host, only when the plugin is cilium. */
export function checkKernel(facts: HostFacts, plan: PlanView | undefined): PreflightCheck {
  const { pass, fail } = check('kernel', 'preflight.kernel.title');
  const { kernel } = facts;
  const release = kernel.split('-')[0] ?? '';
  if (plan?.networkPlugin !== 'cilium')
    return pass('preflight.kernel.no-minimum', { kernel, plugin: plan?.networkPlugin ?? 'default' });
  const minimum = kubespray.ciliumMinKernel;
  if (versionAtLeast(release, minimum)) return pass('preflight.kernel.enough', { kernel, minimum });
  return fail('preflight.kernel.old', { kernel, minimum });
}

/**
 * Modules kubespray loads on nodes; the ones whose modprobe task fails the run when the module is missing are required.
 * The reason names why it is needed (preflight.module.missing*).
 */
function modulesNeeded(plan: PlanView | undefined): { name: string; required: boolean; reason: string }[] {
  return [
    { name: 'br_netfilter', required: false, reason: 'br_netfilter' },
    { name: 'overlay', required: false, reason: 'overlay' },
    { name: 'nf_conntrack', required: false, reason: 'nf_conntrack' },
    ...(plan?.kubeProxyMode !== 'iptables'
      ? ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'].map((name) => ({ name, required: true, reason: 'ipvs' }))
      : []),
    ...(plan?.nodeLocalDns !== false ? [{ name: 'dummy', required: true, reason: 'dummy' }] : []),
  ];
}

export function checkModules(
  facts: HostFacts,
  roles: HostRoles | undefined,
  plan: PlanView | undefined,
): PreflightCheck[] {
  if (!facts.kernelModules || !isKubeNode(roles)) return [];
  return modulesNeeded(plan).map(({ name, required, reason }) => {
    const { pass, warn, failUnlessSet } = check(`module-${name}`, 'preflight.module.title', { name });
    const state = facts.kernelModules![name] ?? 'missing';
    if (state === 'loaded') return pass('preflight.module.loaded', { name });
    if (state === 'available') return pass('preflight.module.loadable', { name });
    const params = { name, kernel: facts.kernel, reason };
    return required
      ? failUnlessSet('preflight.module.missing-required', params)
      : warn('preflight.module.missing', params);
  });
}

/** Sysctls kubespray sets, with the hosts it sets them on (preinstall runs on every host, the node role on nodes). */
function sysctlsNeeded(roles: HostRoles | undefined): string[] {
  return [
    'net.ipv4.ip_forward',
    ...(isKubeNode(roles) ? ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'] : []),
  ];
}

/** Whether /proc/sys/... can be written: the deepest /proc/sys mount above it decides; no such mount means yes. */
export function sysctlWritable(facts: HostFacts, key: string): boolean {
  const path = `/proc/sys/${key.replaceAll('.', '/')}`;
  const mounts = (facts.procSysMounts ?? []).filter(
    (mount) => path === mount.path || path.startsWith(`${mount.path}/`),
  );
  const deepest = mounts.sort((a, b) => b.path.length - a.path.length)[0];
  return deepest?.writable ?? true;
}

export function checkSysctls(facts: HostFacts, roles: HostRoles | undefined): PreflightCheck[] {
  if (!facts.sysctls) return [];
  const bridgeLoadable = facts.kernelModules?.br_netfilter !== 'missing';
  // kubelet_protect_kernel_defaults (on by default) makes kubespray set kernel.* and vm.* sysctls too.
  const keys = [...sysctlsNeeded(roles), 'kernel.panic', 'vm.overcommit_memory'];
  return keys.flatMap((key) => {
    const { pass, warn, fail, failUnlessSet } = check(`sysctl-${key}`, 'preflight.sysctl.title', { key });
    const value = facts.sysctls![key];
    // kernel.* and vm.* are set only for kubelet_protect_kernel_defaults, which an extra variable turns off.
    if (!sysctlWritable(facts, key))
      return [
        key.startsWith('net.')
          ? fail('preflight.sysctl.read-only', { key, settable: 'no' })
          : failUnlessSet('preflight.sysctl.read-only', { key, settable: 'yes' }),
      ];
    if (key.startsWith('net.bridge.') && value === undefined) {
      return [
        bridgeLoadable
          ? pass('preflight.sysctl.after-br-netfilter', { key })
          : warn('preflight.sysctl.no-br-netfilter', { key }),
      ];
    }
    if (!key.startsWith('net.')) return [];
    if (value === '1') return [pass('preflight.sysctl.already-set', { key })];
    return [
      pass('preflight.sysctl.will-set', { key, present: value === undefined ? 'no' : 'yes', value: value ?? '' }),
    ];
  });
}

export function checkFirewall(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('firewall', 'preflight.firewall.title');
  const frontEnds = facts.firewall.filter((unit) => unit === 'firewalld' || unit === 'ufw');
  const rules = facts.dropRules;
  if (frontEnds.length === 0 && !rules?.length)
    return pass('preflight.firewall.none', { rulesRead: rules === undefined ? 'no' : 'yes' });
  return warn('preflight.firewall.found', {
    frontEndCount: frontEnds.length,
    frontEnds: joinValues(frontEnds),
    ruleCount: rules?.length ?? 0,
    firstRule: rules?.[0] ?? '',
  });
}

/**
 * Which hosts must reach which port on which host: API on control planes, etcd on etcd members, kubelet from control
 * planes.
 */
export function portNeeded(
  port: number,
  from: HostRoles | undefined,
  to: HostRoles | undefined,
  plan: PlanView | undefined,
): boolean {
  if (port === 6443) return isKubeNode(from) && playsAny(to, 'controlPlane');
  if (port === 2379) return playsAny(from, 'controlPlane', 'etcd') && playsAny(to, 'etcd');
  if (port === 2380) return playsAny(from, 'etcd') && playsAny(to, 'etcd');
  if (port === 10250) return playsAny(from, 'controlPlane') && isKubeNode(to);
  return (!plan || networkPluginTcpPorts[plan.networkPlugin].includes(port)) && isKubeNode(from) && isKubeNode(to);
}

export function checkPeerPorts(
  address: string,
  peers: PeerView | undefined,
  plan: PlanView | undefined,
): PreflightCheck[] {
  if (!peers) return [];
  const { pass, warn, fail } = check('peer-ports', 'preflight.peer-ports.title');
  if (peers.untried) return [warn('preflight.peer-ports.untried')];
  const from = rolesOf(address, plan);
  const needed = peers.ports.filter((probe) => portNeeded(probe.port, from, rolesOf(probe.address, plan), plan));
  const blocked = needed.filter((probe) => probe.result === 'filtered' || probe.result === 'unreachable');
  if (blocked.length === 0) return [pass('preflight.peer-ports.answer', { count: needed.length })];
  const list = joinValues(blocked.map((probe) => `${probe.address}:${probe.port} ${probe.result}`));
  return [fail('preflight.peer-ports.blocked', { blocked: list })];
}

export function checkPeerNames(
  peers: PeerView | undefined,
  everyHost: readonly { address: string; facts: HostFacts }[],
  plan: PlanView | undefined,
): PreflightCheck[] {
  if (!peers) return [];
  const { pass, warn } = check('peer-names', 'preflight.peer-names.title');
  const addressOf = (name: string) =>
    plan?.hosts.find((host) => host.name === name)?.address ??
    everyHost.find((host) => host.facts.hostname === name)?.address;
  const wrong = peers.names.filter((entry) => entry.address && entry.address !== addressOf(entry.name));
  const unresolved = peers.names.filter((entry) => !entry.address).map((entry) => entry.name);
  const unresolvedParams = { unresolvedCount: unresolved.length, unresolved: joinValues(unresolved) };
  if (wrong.length === 0) {
    const resolved = peers.names.length - unresolved.length;
    return [pass('preflight.peer-names.resolve', { resolved, total: peers.names.length, ...unresolvedParams })];
  }
  const list = wrong.map(
    (entry) => `${entry.name} -> ${entry.address} (planned ${addressOf(entry.name) ?? 'unknown'})`,
  );
  return [warn('preflight.peer-names.wrong', { wrong: joinValues(list), ...unresolvedParams })];
}
