import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../../electron/common/host-facts';
import { kubespray223Platforms, platformsFor, runPreflightChecks } from '../../../../electron/node/access/preflight';

const facts = (os: { id: string; versionId: string }, arch: string): HostFacts => ({
  hostname: 'node1',
  os: { ...os, prettyName: `${os.id} ${os.versionId}` },
  kernel: '6.1.0',
  arch,
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
});
const statusOf = (checks: ReturnType<typeof runPreflightChecks>, id: string) => checks.find((check) => check.id === id)?.status;

describe('pre-flight platforms follow the chosen bundle', () => {
  it('uses kubespray 2.23\'s list without a bundle, or when the bundle does not say', () => {
    expect(platformsFor(null)).toBe(kubespray223Platforms);
    expect(platformsFor({ operatingSystems: [] })).toBe(kubespray223Platforms);
  });

  it('accepts only the operating systems and architectures the bundle carries', () => {
    const platforms = platformsFor({ operatingSystems: [{ id: 'ubuntu', version: '22.04' }], architectures: ['arm64'] });
    const context = (host: HostFacts) => runPreflightChecks('10.0.0.1', host, { platforms, everyHost: [{ address: '10.0.0.1', facts: host }] });
    const debianOnX86 = context(facts({ id: 'debian', versionId: '12' }, 'x86_64'));
    expect(statusOf(debianOnX86, 'os')).toBe('fail');
    expect(debianOnX86.find((check) => check.id === 'os')?.message).toContain('install one of ubuntu 22.04');
    expect(statusOf(debianOnX86, 'arch')).toBe('fail');
    const ubuntuOnArm = context(facts({ id: 'ubuntu', versionId: '22.04' }, 'aarch64'));
    expect(statusOf(ubuntuOnArm, 'os')).toBe('pass');
    expect(statusOf(ubuntuOnArm, 'arch')).toBe('pass');
  });
});
