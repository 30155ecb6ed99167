import type { HostFacts, PeerView } from '../../common/host-facts';
import { peerPortResults } from '../../common/host-facts';
import { quoteShellArg } from '../ssh/shell-quote';

/** Kubernetes ports that must be free: API server, etcd client and peer, kubelet. */
export const kubernetesPorts = [6443, 2379, 2380, 10250] as const;

/**
 * The kernel modules kubespray 2.23 loads (roles/kubernetes/node/tasks/main.yml; dummy for nodelocaldns in preinstall;
 * containerd's unit loads overlay), with their kernel config names.
 */
export const kubesprayModules: Readonly<Record<string, string>> = {
  br_netfilter: 'BRIDGE_NETFILTER',
  overlay: 'OVERLAY_FS',
  nf_conntrack: 'NF_CONNTRACK',
  ip_vs: 'IP_VS',
  ip_vs_rr: 'IP_VS_RR',
  ip_vs_wrr: 'IP_VS_WRR',
  ip_vs_sh: 'IP_VS_SH',
  dummy: 'DUMMY',
};
/** The sysctls kubespray 2.23 sets to 1 (preinstall 0080-system-configurations.yml, node/tasks/main.yml). */
export const kubespraySysctls = [
  'net.ipv4.ip_forward',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.bridge.bridge-nf-call-arptables',
] as const;

/** "module:CONFIG_NAME" words for the awk below. */
const modulesWithConfig = Object.entries(kubesprayModules)
  .map(([module, config]) => `${module}:${config}`)
  .join(' ');

/** Reads stdin (df, the addresses, the default route, each after an "@" marker) and the files of /proc and /sys. */
const factsAwk = String.raw`
function base(path) { sub(/:$/, "", path); sub(/.*\//, "", path); sub(/\.ko.*/, "", path); return path }
function listening(file) {
  getline < file
  while ((getline < file) > 0) if ($4 == "0A") { split($2, local, ":"); print "listen=" local[2] }
}
BEGIN {
  while ((getline < "/proc/cpuinfo") > 0) if ($1 == "processor") cpus++
  print "cpus=" cpus + 0
  while ((getline < "/proc/meminfo") > 0) {
    if ($1 == "MemTotal:") print "mem_kib=" $2
    if ($1 == "SwapTotal:") print "swap_kib=" $2
  }
  while ((getline < "/proc/partitions") > 0)
    if (++row > 2 && ($4 !~ /[0-9]$/ || $4 ~ /^(nvme[0-9]+n[0-9]+|mmcblk[0-9]+)$/)) print "disk=" $4 " " $3
  listening("/proc/net/tcp"); listening("/proc/net/tcp6")
  while ((getline < "/proc/mounts") > 0) if ($2 ~ /^\/proc\/sys/) print "procsys=" $2 " " $4
  split("${kubespraySysctls.join(' ')}", keys, " ")
  for (i in keys) {
    path = keys[i]; gsub(/\./, "/", path)
    if ((getline value < ("/proc/sys/" path)) > 0) print "sysctl=" keys[i] " " value
  }
  modules()
}
# A module is loaded (in /sys/module, or built in: modules.builtin, or =y in the kernel config), available (in
# modules.dep, so modprobe can load it) or missing. The config is read only when it can still decide.
function modules(   count, pairs, names, configs, i, dir, builtin, dep, config, read, mod, command) {
  count = split("${modulesWithConfig}", pairs, " ")
  for (i = 1; i <= count; i++) { split(pairs[i], names, ":"); configs[names[1]] = names[2] }
  split(loaded, names, " "); for (i in names) builtin[names[i]] = 1
  dir = "/lib/modules/" kernel
  while ((getline < (dir "/modules.builtin")) > 0) builtin[base($1)] = 1
  while ((getline < (dir "/modules.dep")) > 0) dep[base($1)] = 1
  for (mod in configs) if (!(mod in builtin)) read = 1
  command = "{ zcat /proc/config.gz || cat /boot/config-" kernel "; } 2>/dev/null"
  if (read) while ((command | getline) > 0) if (/=y$/) config[$0] = 1
  for (mod in configs)
    print "module=" mod " " ((mod in builtin || ("CONFIG_" configs[mod] "=y") in config) ? "loaded" : mod in dep ? "available" : "missing")
}
/^@/ { section = $0; next }
section == "@df" && $1 != "Filesystem" { print (++filesystems == 1 ? "free_root_kib=" : "free_var_kib=") $4 }
section == "@addr" && $3 == "inet" && $2 != "lo" { print "addr=" $2 " " $4 }
section == "@addr" && $3 == "inet6" && / scope global / { print "addr=" $2 " " $4 }
section == "@route" && !routes++ { print "route=" $0 }
END { if (!routes) print "route=" }
`;

/**
 * One POSIX sh script, read-only, no Python: prints "key=value" lines the parser below understands. It reads /proc
 * and /sys with builtins and one awk rather than a tool per fact: a process costs a host a few ms of CPU, and a
 * hundred hosts probed at once may share theirs.
 */
export const factsProbeScript = String.raw`
LC_ALL=C; export LC_ALL
# A file's first line into $line, without a process; empty when the file is missing.
first() { line=; read -r line < "$1"; } 2>/dev/null
first /proc/sys/kernel/hostname; echo "hostname=$line"
first /proc/sys/kernel/osrelease; kernel=$line; echo "kernel=$kernel"
if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_version=$VERSION_ID"; echo "os_pretty=$PRETTY_NAME"; fi
echo "arch=$(uname -m)"
for dev in /sys/class/net/*; do
  name=${'$'}{dev##*/}; [ "$name" = lo ] && continue
  first "$dev/address"; echo "iface=$name $line"
done
first /etc/machine-id; echo "machine_id=$line"
[ -r /sys/class/dmi/id/product_uuid ] && { first /sys/class/dmi/id/product_uuid; echo "product_uuid=$line"; }
if [ -r /sys/fs/selinux/enforce ]; then first /sys/fs/selinux/enforce; echo "selinux=$line"; else echo "selinux=absent"; fi
[ -r /sys/module/apparmor/parameters/enabled ] && { first /sys/module/apparmor/parameters/enabled; echo "apparmor=$line"; }
# One systemctl call for all four units: each call costs a round trip to systemd.
set -- firewalld ufw nftables iptables
for state in $(systemctl is-active "$@" 2>/dev/null); do
  [ "$state" = active ] && echo "firewall=$1"
  shift
done
for tool in containerd docker crio podman; do command -v "$tool" >/dev/null 2>&1 && echo "runtime=$tool"; done
command -v kubelet >/dev/null 2>&1 && echo "kubelet=yes"
[ -e /etc/kubernetes/admin.conf ] || [ -e /etc/kubernetes/kubelet.conf ] && echo "kubeconfig=yes"
command -v python3 >/dev/null 2>&1 && set -- $(python3 --version 2>&1) && echo "python3=$2"
loaded=
for mod in ${Object.keys(kubesprayModules).join(' ')}; do [ -d "/sys/module/$mod" ] && loaded="$loaded $mod"; done
{ echo @df; df -Pk / /var; echo @addr; ip -o addr show; echo @route; ip -4 route show default; } 2>/dev/null |
  awk -v kernel="$kernel" -v loaded="$loaded" '${factsAwk}'
echo "end=1"
`;

/**
 * Resolves each "name NAME" line on stdin and connects to each "port ADDRESS PORT" line, all connects at once (256 at
 * most), each for at most 2 s. One Python process, no child per connect: at a hundred hosts the hosts' own CPU is the
 * limit, and a process per connect cost more than the facts probe itself. kubespray needs python3 on every host.
 */
const peerProbePython = String.raw`
import errno, selectors, socket, sys, time

def resolve(name):
    try:
        return socket.getaddrinfo(name, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except OSError:
        return ''

def verdict(error):
    if error == 0:
        return 'open'
    if error == errno.ECONNREFUSED:
        return 'refused'
    if error in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return 'unreachable'
    return 'filtered'

def start(selector, address, port):
    try:
        family, kind, protocol, _, where = socket.getaddrinfo(address, int(port), 0, socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, protocol)
    except OSError:
        return print('port=%s %s unreachable' % (address, port))
    sock.setblocking(False)
    error = sock.connect_ex(where)
    if error == errno.EINPROGRESS:
        return selector.register(sock, selectors.EVENT_WRITE, (address, port, time.monotonic() + 2))
    sock.close()
    print('port=%s %s %s' % (address, port, verdict(error)))

def finish(selector, key, result):
    selector.unregister(key.fileobj)
    key.fileobj.close()
    print('port=%s %s %s' % (key.data[0], key.data[1], result))

lines = [line.split() for line in sys.stdin if line.strip()]
for name in [fields[1] for fields in lines if fields[0] == 'name']:
    print('name=%s %s' % (name, resolve(name)))
waiting = [fields[1:3] for fields in lines if fields[0] == 'port']
selector = selectors.DefaultSelector()
while waiting or selector.get_map():
    while waiting and len(selector.get_map()) < 256:
        start(selector, *waiting.pop())
    if not selector.get_map():
        continue
    soonest = min(key.data[2] for key in selector.get_map().values())
    for key, _ in selector.select(max(0, soonest - time.monotonic())):
        finish(selector, key, verdict(key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)))
    for key in [key for key in selector.get_map().values() if key.data[2] <= time.monotonic()]:
        finish(selector, key, 'filtered')
print('end=1')
`;

/**
 * Run from each host against the others, with "name NAME" and "port ADDRESS PORT" lines on stdin. Without python3
 * the names are still resolved (getent) and the host says it tried no port.
 */
const peerProbeScript = String.raw`
if command -v python3 >/dev/null 2>&1; then exec python3 -c ${quoteShellArg(peerProbePython)}; fi
while read -r kind first second; do
  case $kind in
    name) echo "name=$first $(getent ahostsv4 "$first" 2>/dev/null | awk 'NR == 1 {print $1}')" ;;
    port) untried=1 ;;
  esac
done
[ -z "$untried" ] || echo "untried=1"
echo "end=1"
`;

export interface Peer {
  address: string;
  /** The name the inventory gives the host (or the hostname it reports). */
  name: string;
}

/** A port on another host that one host tries to reach. */
export interface PortTarget {
  address: string;
  port: number;
}

/** The command and its stdin that probe other hosts' names and ports from one host. */
export function peerProbe(names: readonly Peer[], ports: readonly PortTarget[]): { command: string; stdin: string } {
  const lines = [
    ...names.map((peer) => `name ${peer.name}`),
    ...ports.map((target) => `port ${target.address} ${target.port}`),
  ];
  return { command: `sh -c ${quoteShellArg(peerProbeScript)}`, stdin: `${lines.join('\n')}\n` };
}

/** Turns the peer probe's output into what this host sees of the others; throws if the output was cut short. */
export function parsePeerOutput(output: string): PeerView {
  const lines = output.split('\n');
  if (!lines.includes('end=1')) throw new Error('the peer probe stopped before its end');
  const valuesOf = (key: string) =>
    lines
      .filter((line) => line.startsWith(`${key}=`))
      .map((line) =>
        line
          .slice(key.length + 1)
          .trim()
          .split(' '),
      );
  return {
    names: valuesOf('name').map(([name = '', address]) => ({ name, ...(address ? { address } : {}) })),
    ports: valuesOf('port').flatMap(([address = '', port = '', result = '']) =>
      (peerPortResults as readonly string[]).includes(result)
        ? [{ address, port: Number(port), result: result as PeerView['ports'][number]['result'] }]
        : [],
    ),
    ...(lines.includes('untried=1') ? { untried: true } : {}),
  };
}

/** Lists the firewall's rules as root (nft, else iptables-save); the sudo password comes on stdin. */
export const firewallRulesCommand = "sudo -S -p '' sh -c 'nft list ruleset 2>/dev/null || iptables-save 2>/dev/null'";

/** The rules that drop or reject packets, at most 20 of them. */
export function parseDropRules(ruleset: string): string[] {
  return ruleset
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#') && /\b(drop|reject)\b/i.test(line))
    .slice(0, 20);
}

/** Reads the host's clock alone, so the round trip that brackets it is short and the probe's own run time stays out. */
export const clockCommand = 'echo "now=$(date +%s%N 2>/dev/null)"';

/** Asks sudo for the password on stdin (never on the command line) and forgets any cached ticket first. */
export const sudoCheckCommand = "sudo -k; sudo -S -p '' true";

export interface ProbeTimes {
  sentAtMs: number;
  receivedAtMs: number;
}

/** Turns the probe's output into facts; throws if the output was cut short. */
export function parseFactsOutput(output: string, times: ProbeTimes, sudo: HostFacts['sudo']): HostFacts {
  const values = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    const key = line.slice(0, separator);
    values.set(key, [...(values.get(key) ?? []), line.slice(separator + 1).trim()]);
  }
  if (!values.has('end')) throw new Error('the facts probe stopped before its end');
  const one = (key: string) => values.get(key)?.[0] ?? '';
  const all = (key: string) => values.get(key) ?? [];
  const int = (key: string) => Number.parseInt(one(key), 10) || 0;
  const kibToMiB = (key: string) => (values.has(key) ? Math.floor(int(key) / 1024) : undefined);

  const interfaces = all('iface').map((entry) => {
    const [name = '', mac] = entry.split(' ');
    return {
      name,
      ...(mac ? { mac } : {}),
      addresses: all('addr')
        .filter((addr) => addr.split(' ')[0] === name)
        .map((addr) => addr.split(' ')[1] ?? ''),
    };
  });
  const route = one('route');
  const hostNowMs = Number(BigInt(one('now') || '0') / 1_000_000n);
  const listening = new Set(all('listen').map((hex) => Number.parseInt(hex, 16)));
  const selinux = one('selinux');
  const apparmor = one('apparmor');

  return {
    hostname: one('hostname'),
    os: { id: one('os_id'), versionId: one('os_version'), prettyName: one('os_pretty') },
    kernel: one('kernel'),
    arch: one('arch'),
    cpus: int('cpus'),
    memoryMiB: kibToMiB('mem_kib') ?? 0,
    swapMiB: kibToMiB('swap_kib') ?? 0,
    disks: all('disk').map((entry) => {
      const [name = '', blocks = '0'] = entry.split(' ');
      return { name, sizeMiB: Math.floor(Number(blocks) / 1024) };
    }),
    freeMiB: {
      ...(values.has('free_root_kib') ? { root: kibToMiB('free_root_kib')! } : {}),
      ...(values.has('free_var_kib') ? { var: kibToMiB('free_var_kib')! } : {}),
    },
    interfaces,
    ...(route
      ? {
          defaultRoute: {
            blackhole: route.startsWith('blackhole'),
            ...(/ via (\S+)/.exec(route)?.[1] ? { gateway: / via (\S+)/.exec(route)![1]! } : {}),
            ...(/ dev (\S+)/.exec(route)?.[1] ? { device: / dev (\S+)/.exec(route)![1]! } : {}),
          },
        }
      : {}),
    machineId: one('machine_id'),
    ...(one('product_uuid') ? { productUuid: one('product_uuid').toLowerCase() } : {}),
    clockOffsetMs: hostNowMs ? Math.round(hostNowMs - (times.sentAtMs + times.receivedAtMs) / 2) : 0,
    selinux: selinux === '1' ? 'enforcing' : selinux === '0' ? 'permissive' : 'absent',
    apparmor: apparmor === 'Y' ? 'enabled' : apparmor === 'N' ? 'disabled' : 'absent',
    firewall: all('firewall'),
    portsInUse: kubernetesPorts.filter((port) => listening.has(port)),
    existing: {
      containerRuntimes: all('runtime'),
      kubelet: values.has('kubelet'),
      kubeconfig: values.has('kubeconfig'),
    },
    ...(one('python3') ? { python3: one('python3') } : {}),
    sudo,
    kernelModules: Object.fromEntries(
      all('module').map((entry) => entry.split(' ') as [string, 'loaded' | 'available' | 'missing']),
    ),
    sysctls: Object.fromEntries(all('sysctl').map((entry) => entry.split(' ') as [string, string])),
    procSysMounts: all('procsys').map((entry) => {
      const [path = '', options = ''] = entry.split(' ');
      return { path, writable: options.split(',').includes('rw') };
    }),
  };
}
