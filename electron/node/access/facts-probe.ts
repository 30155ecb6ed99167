import type { HostFacts } from '../../common/host-facts';

/** Kubernetes ports that must be free: API server, etcd client and peer, kubelet. */
export const kubernetesPorts = [6443, 2379, 2380, 10250] as const;

/**
 * One POSIX sh script, read-only, no Python: prints "key=value" lines the parser below understands.
 * It reads /proc and /sys rather than tools that minimal installs lack.
 */
export const factsProbeScript = String.raw`
LC_ALL=C; export LC_ALL
echo "now=$(date +%s%N 2>/dev/null)"
echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"
if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_version=$VERSION_ID"; echo "os_pretty=$PRETTY_NAME"; fi
echo "kernel=$(uname -r)"
echo "arch=$(uname -m)"
echo "cpus=$(grep -c '^processor' /proc/cpuinfo)"
awk '/^MemTotal:/ {print "mem_kib=" $2} /^SwapTotal:/ {print "swap_kib=" $2}' /proc/meminfo
awk 'NR > 2 && $4 !~ /[0-9]$/ || NR > 2 && $4 ~ /^(nvme[0-9]+n[0-9]+|mmcblk[0-9]+)$/ {print "disk=" $4 " " $3}' /proc/partitions
df -Pk / 2>/dev/null | awk 'NR == 2 {print "free_root_kib=" $4}'
df -Pk /var 2>/dev/null | awk 'NR == 2 {print "free_var_kib=" $4}'
for dev in /sys/class/net/*; do
  name=${"$"}{dev##*/}; [ "$name" = lo ] && continue
  echo "iface=$name $(cat "$dev/address" 2>/dev/null)"
done
ip -o -4 addr show 2>/dev/null | awk '$2 != "lo" {print "addr=" $2 " " $4}'
ip -o -6 addr show scope global 2>/dev/null | awk '{print "addr=" $2 " " $4}'
echo "route=$(ip -4 route show default 2>/dev/null | head -n 1)"
echo "machine_id=$(cat /etc/machine-id 2>/dev/null)"
[ -r /sys/class/dmi/id/product_uuid ] && echo "product_uuid=$(cat /sys/class/dmi/id/product_uuid)"
if [ -r /sys/fs/selinux/enforce ]; then echo "selinux=$(cat /sys/fs/selinux/enforce)"; else echo "selinux=absent"; fi
[ -r /sys/module/apparmor/parameters/enabled ] && echo "apparmor=$(cat /sys/module/apparmor/parameters/enabled)"
# One systemctl call for all four units: each call costs a round trip to systemd.
set -- firewalld ufw nftables iptables
for state in $(systemctl is-active "$@" 2>/dev/null); do
  [ "$state" = active ] && echo "firewall=$1"
  shift
done
cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk 'NR > 1 && $4 == "0A" {split($2, a, ":"); print "listen=" a[2]}'
for tool in containerd docker crio podman; do command -v "$tool" >/dev/null 2>&1 && echo "runtime=$tool"; done
command -v kubelet >/dev/null 2>&1 && echo "kubelet=yes"
[ -e /etc/kubernetes/admin.conf ] || [ -e /etc/kubernetes/kubelet.conf ] && echo "kubeconfig=yes"
command -v python3 >/dev/null 2>&1 && echo "python3=$(python3 --version 2>&1 | cut -d' ' -f2)"
echo "end=1"
`;

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
    return { name, ...(mac ? { mac } : {}), addresses: all('addr').filter((addr) => addr.split(' ')[0] === name).map((addr) => addr.split(' ')[1] ?? '') };
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
    existing: { containerRuntimes: all('runtime'), kubelet: values.has('kubelet'), kubeconfig: values.has('kubeconfig') },
    ...(one('python3') ? { python3: one('python3') } : {}),
    sudo,
  };
}
