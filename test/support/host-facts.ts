import type { HostFacts } from '../../electron/common/host-facts';

/** A healthy Debian 12 host's facts, for checks to be tried on one changed field at a time. */
export function sampleFacts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    hostname: 'node1',
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    kernel: '6.1.0-18-amd64',
    arch: 'x86_64',
    cpus: 2,
    memoryMiB: 4096,
    swapMiB: 0,
    disks: [],
    freeMiB: { var: 50 * 1024 },
    interfaces: [],
    machineId: 'a'.repeat(32),
    clockOffsetMs: 0,
    selinux: 'absent',
    apparmor: 'absent',
    firewall: [],
    portsInUse: [],
    existing: { containerRuntimes: [], kubelet: false, kubeconfig: false },
    python3: '3.11.2',
    sudo: 'works',
    ...overrides,
  };
}
