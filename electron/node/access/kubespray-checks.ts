import type { ClusterPlan, HostRoles, NetworkPlugin } from '../../common/cluster-plan';
import type { HostFacts, PeerView, PreflightCheck } from '../../common/host-facts';
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
/** One check's outcomes, its id and title given once. */
export const check = (id: string, title: string) => ({
  pass: (message: string): PreflightCheck => ({ id, status: 'pass', title, message }),
  warn: (message: string): PreflightCheck => ({ id, status: 'warn', title, message }),
  fail: (message: string): PreflightCheck => ({ id, status: 'fail', title, message }),
  /** A failure the plan's settings can answer instead of the host. */
  failUnlessSet: (message: string): PreflightCheck => ({ id, status: 'fail', title, message, answeredBySetting: true }),
});

/** Kubespray asserts ansible_memtotal_mb (MemTotal in whole MiB, as memoryMiB) against the role's minimum. */
export function checkMemory(facts: HostFacts, roles: HostRoles | undefined): PreflightCheck {
  const { pass, warn, fail } = check('memory', 'Memory');
  const found = `${facts.memoryMiB} MiB`;
  const fix = 'add memory or give the host a lighter role.';
  if (!roles) {
    if (facts.memoryMiB < kubespray.minimalNodeMemoryMb)
      return fail(`${found} is below kubespray's ${kubespray.minimalNodeMemoryMb} MiB minimum for a node: ${fix}`);
    if (facts.memoryMiB < kubespray.minimalMasterMemoryMb)
      return warn(
        `${found}: enough for a worker, below kubespray's ${kubespray.minimalMasterMemoryMb} MiB for a control plane; plan it as a worker or add memory.`,
      );
    return pass(`${found}, enough for any role.`);
  }
  const needs = [
    ...(roles.controlPlane ? [{ role: 'a control plane', mb: kubespray.minimalMasterMemoryMb }] : []),
    ...(roles.worker ? [{ role: 'a worker', mb: kubespray.minimalNodeMemoryMb }] : []),
  ];
  const short = needs.find((need) => facts.memoryMiB < need.mb);
  if (short) return fail(`${found} is below kubespray's ${short.mb} MiB minimum for ${short.role}: ${fix}`);
  if (roles.etcd && facts.memoryMiB < kubespray.etcdUnlimitedMemoryMb) {
    return warn(
      `${found}: kubespray caps etcd at 512 MiB below ${kubespray.etcdUnlimitedMemoryMb} MiB (etcd_memory_limit); add memory for a busy cluster.`,
    );
  }
  return pass(
    needs.length
      ? `${found}, enough for ${needs.map((need) => `${need.role} (${need.mb} MiB)`).join(' and ')}.`
      : `${found}; kubespray asks no minimum of this role.`,
  );
}

export function checkCpus(facts: HostFacts, roles: HostRoles | undefined): PreflightCheck {
  const { pass, warn } = check('cpus', 'CPUs');
  if (!playsAny(roles, 'controlPlane') || facts.cpus >= kubespray.kubeadmControlPlaneCpus)
    return pass(`${facts.cpus} CPUs.`);
  return warn(
    `${facts.cpus} CPU: kubeadm wants ${kubespray.kubeadmControlPlaneCpus} on a control plane (kubespray tells it to ignore this, the API server will be slow); add a CPU or plan the host as a worker.`,
  );
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
  const { pass, fail } = check('kernel', 'Kernel version');
  const release = facts.kernel.split('-')[0] ?? '';
  if (plan?.networkPlugin !== 'cilium')
    return pass(
      `${facts.kernel}; kubespray asks no minimum kernel for ${plan?.networkPlugin ?? 'the default plugin (calico)'}.`,
    );
  if (versionAtLeast(release, kubespray.ciliumMinKernel))
    return pass(`${facts.kernel}, at least ${kubespray.ciliumMinKernel} as cilium needs.`);
  return fail(
    `${facts.kernel} is older than ${kubespray.ciliumMinKernel}, which kubespray requires for cilium: upgrade the kernel or choose calico.`,
  );
}

/**
 * Modules kubespray loads on nodes; the ones whose modprobe task fails the run when the module is missing are required.
 */
function modulesNeeded(
  plan: PlanView | undefined,
): { name: string; required: boolean; why: string; setting?: string }[] {
  return [
    { name: 'br_netfilter', required: false, why: 'bridged pod traffic skips iptables without it' },
    { name: 'overlay', required: false, why: "containerd's overlayfs snapshotter needs it" },
    { name: 'nf_conntrack', required: false, why: 'kube-proxy needs connection tracking' },
    ...(plan?.kubeProxyMode !== 'iptables'
      ? ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'].map((name) => ({
          name,
          required: true,
          why: 'kube-proxy runs in ipvs mode',
          setting: 'or set kube-proxy to iptables mode',
        }))
      : []),
    ...(plan?.nodeLocalDns !== false
      ? [
          {
            name: 'dummy',
            required: true,
            why: 'nodelocaldns needs a dummy interface',
            setting: 'or turn nodelocaldns off',
          },
        ]
      : []),
  ];
}

export function checkModules(
  facts: HostFacts,
  roles: HostRoles | undefined,
  plan: PlanView | undefined,
): PreflightCheck[] {
  if (!facts.kernelModules || !isKubeNode(roles)) return [];
  return modulesNeeded(plan).map(({ name, required, why, setting }) => {
    const { pass, warn, failUnlessSet } = check(`module-${name}`, `Kernel module ${name}`);
    const state = facts.kernelModules![name] ?? 'missing';
    if (state === 'loaded') return pass(`${name} is loaded.`);
    if (state === 'available') return pass(`${name} is not loaded; kubespray will load it (modprobe).`);
    const found = `${name} is not in this kernel (${facts.kernel}): ${why}`;
    const fix = `install the kernel's extra modules package (linux-modules-extra, kernel-modules-extra) or a kernel that has ${name}`;
    return required
      ? failUnlessSet(`${found}, and kubespray's modprobe will fail; ${fix}, ${setting}.`)
      : warn(`${found}; ${fix}.`);
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
    const { pass, warn, fail, failUnlessSet } = check(`sysctl-${key}`, `sysctl ${key}`);
    const value = facts.sysctls![key];
    const readOnly = `${key} is read-only here (/proc/sys mounted read-only, as in a container): kubespray's sysctl task will fail; run the node on a VM or bare metal`;
    // kernel.* and vm.* are set only for kubelet_protect_kernel_defaults, which an extra variable turns off.
    if (!sysctlWritable(facts, key))
      return [
        key.startsWith('net.')
          ? fail(`${readOnly}.`)
          : failUnlessSet(`${readOnly}, or set kubelet_protect_kernel_defaults: false.`),
      ];
    if (key.startsWith('net.bridge.') && value === undefined) {
      return [
        bridgeLoadable
          ? pass(`${key} appears once kubespray loads br_netfilter, and is set to 1.`)
          : warn(
              `${key} does not exist and br_netfilter is missing: kubespray skips it; install the kernel's br_netfilter module.`,
            ),
      ];
    }
    if (!key.startsWith('net.')) return [];
    if (value === '1') return [pass(`${key} is already 1.`)];
    return [pass(`${key} is ${value ?? 'absent'}; kubespray sets it to 1 in /etc/sysctl.d.`)];
  });
}

export function checkFirewall(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('firewall', 'Firewall');
  const frontEnds = facts.firewall.filter((unit) => unit === 'firewalld' || unit === 'ufw');
  const rules = facts.dropRules;
  const found = [
    ...(frontEnds.length ? [`${frontEnds.join(' and ')} active`] : []),
    ...(rules?.length
      ? [`${rules.length} rule${rules.length === 1 ? '' : 's'} that drop or reject (first: "${rules[0]}")`]
      : []),
  ];
  const unknown = rules === undefined ? ' (rules not read: give the profile a sudo password to read them)' : '';
  if (found.length === 0) return pass(`No firewall front end active and no drop or reject rules${unknown}.`);
  return warn(
    `${found.join('; ')}: kubespray opens no ports, so open 6443, 2379-2380, 10250 and the network plugin's between the nodes (firewall-cmd --add-port, ufw allow) or stop the firewall; the reachability check below shows what is blocked now.`,
  );
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
  const { pass, warn, fail } = check('peer-ports', 'Reaches the other hosts');
  if (peers.ports.length === 0)
    return [
      warn(
        'No port was tried from this host (it has no bash for /dev/tcp): check 6443, 2379-2380 and 10250 to the others by hand (nc -zv).',
      ),
    ];
  const from = rolesOf(address, plan);
  const needed = peers.ports.filter((probe) => portNeeded(probe.port, from, rolesOf(probe.address, plan), plan));
  const blocked = needed.filter((probe) => probe.result === 'filtered' || probe.result === 'unreachable');
  if (blocked.length === 0)
    return [
      pass(
        `All ${needed.length} port${needed.length === 1 ? '' : 's'} this host needs on the others answer (refused only means nothing listens yet).`,
      ),
    ];
  const list = blocked.map((probe) => `${probe.address}:${probe.port} ${probe.result}`).join(', ');
  return [
    fail(
      `${list}: a firewall on the way drops them (or no route); open these ports on those hosts and on any firewall between the nodes.`,
    ),
  ];
}

export function checkPeerNames(
  peers: PeerView | undefined,
  everyHost: readonly { address: string; facts: HostFacts }[],
  plan: PlanView | undefined,
): PreflightCheck[] {
  if (!peers) return [];
  const { pass, warn } = check('peer-names', "Resolves the other hosts' names");
  const addressOf = (name: string) =>
    plan?.hosts.find((host) => host.name === name)?.address ??
    everyHost.find((host) => host.facts.hostname === name)?.address;
  const wrong = peers.names.filter((entry) => entry.address && entry.address !== addressOf(entry.name));
  const unresolved = peers.names.filter((entry) => !entry.address).map((entry) => entry.name);
  const managed = unresolved.length
    ? ` ${unresolved.join(', ')} not resolved yet; kubespray adds every inventory host to /etc/hosts (populate_inventory_to_hosts_file).`
    : '';
  if (wrong.length === 0)
    return [
      pass(
        `${peers.names.length - unresolved.length} of ${peers.names.length} names resolve to their addresses.${managed}`,
      ),
    ];
  const list = wrong
    .map((entry) => `${entry.name} -> ${entry.address} (planned ${addressOf(entry.name) ?? 'unknown'})`)
    .join(', ');
  return [
    warn(
      `${list}: DNS or /etc/hosts names another address; fix the record (kubespray's /etc/hosts block wins only if nsswitch.conf reads files first).${managed}`,
    ),
  ];
}
