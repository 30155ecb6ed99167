import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { noRoles, type HostRoles } from '../../../../electron/common/cluster-plan';
import type { HostFacts, PeerView } from '../../../../electron/common/host-facts';
import * as checks from '../../../../electron/node/access/kubespray-checks';
import { kubespray, peerPortsFor, type PlanView } from '../../../../electron/node/access/kubespray-checks';
import { runPreflightChecks, kubespray223Platforms } from '../../../../electron/node/access/preflight';
import { sampleFacts } from '../../../support/host-facts';
import { requireKubesprayRelease } from '../../../support/kubespray-release-path';

const run = promisify(execFile);

/** One file of the real kubespray 2.23.3 release, read from the tarball beside the checkout. */
async function releaseFile(path: string): Promise<string> {
  return (await run('tar', ['-xzOf', requireKubesprayRelease(), `kubespray-2.23.3/${path}`], { maxBuffer: 1 << 20 }))
    .stdout;
}

const controlPlane: HostRoles = { ...noRoles, controlPlane: true };
const worker: HostRoles = { ...noRoles, worker: true };
const etcdOnly: HostRoles = { ...noRoles, etcd: true };
const plan = (overrides: Partial<PlanView> = {}): PlanView => ({
  hosts: [],
  networkPlugin: 'calico',
  kubeProxyMode: 'ipvs',
  nodeLocalDns: true,
  ...overrides,
});
const memory = (memoryMiB: number) => sampleFacts({ memoryMiB });

// The release's own numbers: if kubespray's defaults change, these tests say so before the boundaries drift.
const release = { masterMemory: 0, nodeMemory: 0, ciliumKernel: '' };
beforeAll(async () => {
  const defaults = await releaseFile('roles/kubernetes/preinstall/defaults/main.yml');
  release.masterMemory = Number(/^minimal_master_memory_mb: (\d+)$/m.exec(defaults)?.[1]);
  release.nodeMemory = Number(/^minimal_node_memory_mb: (\d+)$/m.exec(defaults)?.[1]);
  const verify = await releaseFile('roles/kubernetes/preinstall/tasks/0040-verify-settings.yml');
  release.ciliumKernel = /ansible_kernel\.split\('-'\)\[0\] is version\('([\d.]+)', '>='\)/.exec(verify)?.[1] ?? '';
});

describe('memory per role (roles/kubernetes/preinstall/tasks/0040-verify-settings.yml, defaults/main.yml)', () => {
  it('uses the minimums the release asserts', () => {
    expect(kubespray.minimalMasterMemoryMb).toBe(release.masterMemory);
    expect(kubespray.minimalNodeMemoryMb).toBe(release.nodeMemory);
  });

  it('fails a control plane one MiB below minimal_master_memory_mb and passes it at the minimum', () => {
    expect(checks.checkMemory(memory(release.masterMemory - 1), controlPlane).status).toBe('fail');
    expect(checks.checkMemory(memory(release.masterMemory), controlPlane).status).toBe('pass');
  });

  it('fails a worker one MiB below minimal_node_memory_mb and passes it at the minimum', () => {
    expect(checks.checkMemory(memory(release.nodeMemory - 1), worker).status).toBe('fail');
    expect(checks.checkMemory(memory(release.nodeMemory), worker).status).toBe('pass');
  });

  it('asks the larger minimum of a host that is both, and none of an etcd-only host', () => {
    expect(checks.checkMemory(memory(release.masterMemory - 1), { ...controlPlane, worker: true }).message).toContain(
      `${release.masterMemory} MiB minimum for a control plane`,
    );
    expect(checks.checkMemory(memory(512), etcdOnly).status).not.toBe('fail');
  });

  it('without roles: fails below the node minimum, warns between the two, passes at the control plane minimum', () => {
    expect(checks.checkMemory(memory(release.nodeMemory - 1), undefined).status).toBe('fail');
    expect(checks.checkMemory(memory(release.nodeMemory), undefined).status).toBe('warn');
    expect(checks.checkMemory(memory(release.masterMemory), undefined).status).toBe('pass');
  });

  it('warns an etcd member below 4096 MiB, where roles/etcd/defaults/main.yml caps etcd at 512M', async () => {
    expect(await releaseFile('roles/etcd/defaults/main.yml')).toContain(
      'etcd_memory_limit: "{% if ansible_memtotal_mb < 4096 %}512M',
    );
    expect(checks.checkMemory(memory(kubespray.etcdUnlimitedMemoryMb - 1), etcdOnly).status).toBe('warn');
    expect(checks.checkMemory(memory(kubespray.etcdUnlimitedMemoryMb), etcdOnly).status).toBe('pass');
  });
});

describe('CPUs', () => {
  it('warns (never fails: kubespray runs kubeadm with --ignore-preflight-errors=all) a control plane with one CPU', async () => {
    expect(await releaseFile('roles/kubernetes/control-plane/tasks/kubeadm-setup.yml')).toContain(
      '--ignore-preflight-errors=all',
    );
    expect(checks.checkCpus(sampleFacts({ cpus: 1 }), controlPlane).status).toBe('warn');
    expect(checks.checkCpus(sampleFacts({ cpus: 2 }), controlPlane).status).toBe('pass');
    expect(checks.checkCpus(sampleFacts({ cpus: 1 }), worker).status).toBe('pass');
  });
});

describe('kernel version (0040-verify-settings.yml: only cilium has a minimum)', () => {
  it("uses the release's minimum for cilium", () => {
    expect(kubespray.ciliumMinKernel).toBe(release.ciliumKernel);
  });

  it('compares the part before the first dash, as the assert does', () => {
    const [major, minor, patch] = release.ciliumKernel.split('.').map(Number) as [number, number, number];
    const cilium = plan({ networkPlugin: 'cilium' });
    expect(checks.checkKernel(sampleFacts({ kernel: `${major}.${minor}.${patch - 1}-generic` }), cilium).status).toBe(
      'fail',
    );
    expect(checks.checkKernel(sampleFacts({ kernel: `${release.ciliumKernel}-generic` }), cilium).status).toBe('pass');
    expect(checks.checkKernel(sampleFacts({ kernel: `${major}.${minor + 1}.0` }), cilium).status).toBe('pass');
    expect(checks.checkKernel(sampleFacts({ kernel: `${major}.${minor}.${patch - 1}` }), plan()).status).toBe('pass');
  });
});

describe('kernel modules', () => {
  const modules = (states: Partial<Record<string, 'loaded' | 'available' | 'missing'>>) =>
    sampleFacts({
      kernelModules: {
        br_netfilter: 'loaded',
        overlay: 'loaded',
        nf_conntrack: 'loaded',
        ip_vs: 'loaded',
        ip_vs_rr: 'loaded',
        ip_vs_wrr: 'loaded',
        ip_vs_sh: 'loaded',
        dummy: 'loaded',
        ...states,
      } as Record<string, 'loaded'>,
    });
  const statusOf = (results: ReturnType<typeof checks.checkModules>, name: string) =>
    results.find((entry) => entry.id === `module-${name}`)?.status;

  it('fails a missing ip_vs module in ipvs mode (its modprobe task fails the run) and ignores it in iptables mode', async () => {
    expect(await releaseFile('roles/kubernetes/node/tasks/main.yml')).toMatch(
      /Modprobe Kernel Module for IPVS[\s\S]*- ip_vs_sh[\s\S]*when: kube_proxy_mode == 'ipvs'/,
    );
    expect(statusOf(checks.checkModules(modules({ ip_vs_sh: 'missing' }), worker, plan()), 'ip_vs_sh')).toBe('fail');
    expect(
      statusOf(
        checks.checkModules(modules({ ip_vs_sh: 'missing' }), worker, plan({ kubeProxyMode: 'iptables' })),
        'ip_vs_sh',
      ),
    ).toBeUndefined();
  });

  it('warns a missing br_netfilter (kubespray skips it when modinfo fails), passes one kubespray can load', () => {
    expect(statusOf(checks.checkModules(modules({ br_netfilter: 'missing' }), worker, plan()), 'br_netfilter')).toBe(
      'warn',
    );
    const loadable = checks
      .checkModules(modules({ br_netfilter: 'available' }), worker, plan())
      .find((entry) => entry.id === 'module-br_netfilter');
    expect(loadable).toMatchObject({ status: 'pass', message: expect.stringContaining('will load') });
  });

  it('needs dummy only with nodelocaldns, and no module on an etcd-only host', () => {
    expect(statusOf(checks.checkModules(modules({ dummy: 'missing' }), worker, plan()), 'dummy')).toBe('fail');
    expect(
      statusOf(checks.checkModules(modules({ dummy: 'missing' }), worker, plan({ nodeLocalDns: false })), 'dummy'),
    ).toBeUndefined();
    expect(checks.checkModules(modules({ ip_vs: 'missing' }), etcdOnly, plan())).toEqual([]);
  });
});

describe('sysctls', () => {
  const statusOf = (facts: HostFacts, roles: HostRoles | undefined, key: string) =>
    checks.checkSysctls(facts, roles).find((entry) => entry.id === `sysctl-${key}`)?.status;

  it('passes a forwarding sysctl kubespray will set, fails one it cannot write', () => {
    expect(
      statusOf(
        sampleFacts({ sysctls: { 'net.ipv4.ip_forward': '0' }, procSysMounts: [] }),
        worker,
        'net.ipv4.ip_forward',
      ),
    ).toBe('pass');
    const readOnly = sampleFacts({
      sysctls: { 'net.ipv4.ip_forward': '0' },
      procSysMounts: [{ path: '/proc/sys', writable: false }],
    });
    expect(statusOf(readOnly, worker, 'net.ipv4.ip_forward')).toBe('fail');
  });

  it('takes the deepest /proc/sys mount: a writable /proc/sys/net under a read-only /proc/sys', () => {
    const facts = sampleFacts({
      sysctls: { 'net.ipv4.ip_forward': '1' },
      procSysMounts: [
        { path: '/proc/sys', writable: false },
        { path: '/proc/sys/net', writable: true },
      ],
    });
    expect(statusOf(facts, worker, 'net.ipv4.ip_forward')).toBe('pass');
    expect(statusOf(facts, worker, 'kernel.panic')).toBe('fail');
  });

  it('passes an absent bridge sysctl when br_netfilter can be loaded, warns when it cannot, skips it on etcd-only hosts', () => {
    const absent = (state: 'available' | 'missing') =>
      sampleFacts({
        sysctls: { 'net.ipv4.ip_forward': '1' },
        kernelModules: { br_netfilter: state },
        procSysMounts: [],
      });
    expect(statusOf(absent('available'), worker, 'net.bridge.bridge-nf-call-iptables')).toBe('pass');
    expect(statusOf(absent('missing'), worker, 'net.bridge.bridge-nf-call-iptables')).toBe('warn');
    expect(statusOf(absent('missing'), etcdOnly, 'net.bridge.bridge-nf-call-iptables')).toBeUndefined();
  });
});

describe('firewall', () => {
  it('warns an active firewalld or drop rules, passes neither, and says when rules were not read', () => {
    expect(checks.checkFirewall(sampleFacts({ firewall: ['firewalld'], dropRules: [] })).status).toBe('warn');
    expect(checks.checkFirewall(sampleFacts({ dropRules: ['tcp dport 6443 drop'] })).message).toContain(
      'tcp dport 6443 drop',
    );
    expect(checks.checkFirewall(sampleFacts({ dropRules: [] })).status).toBe('pass');
    expect(checks.checkFirewall(sampleFacts({})).message).toContain('sudo password');
  });
});

describe('host-to-host ports', () => {
  const hosts = [
    { name: 'cp1', address: '10.0.0.1', roles: { ...controlPlane, etcd: true } },
    { name: 'w1', address: '10.0.0.2', roles: worker },
    { name: 'w2', address: '10.0.0.3', roles: worker },
  ];
  const seen = (ports: PeerView['ports']): PeerView => ({ names: [], ports });
  /** The port check of `from` when it saw only `probe`. */
  const checkOne = (from: string, probe: PeerView['ports'][number]) =>
    checks.checkPeerPorts(from, seen([probe]), plan({ hosts }))[0];

  it('treats refused as reachable and filtered as blocked', () => {
    expect(checkOne('10.0.0.2', { address: '10.0.0.1', port: 6443, result: 'refused' })?.status).toBe('pass');
    const blocked = checkOne('10.0.0.2', { address: '10.0.0.1', port: 6443, result: 'filtered' });
    expect(blocked).toMatchObject({ status: 'fail', message: expect.stringContaining('10.0.0.1:6443 filtered') });
  });

  it('ignores ports a role never uses: a worker reaching etcd, the API on a worker, kubelet from a worker', () => {
    const unused = seen([
      { address: '10.0.0.1', port: 2379, result: 'filtered' },
      { address: '10.0.0.3', port: 6443, result: 'filtered' },
      { address: '10.0.0.3', port: 10250, result: 'filtered' },
    ]);
    expect(checks.checkPeerPorts('10.0.0.2', unused, plan({ hosts }))[0]?.status).toBe('pass');
    expect(checkOne('10.0.0.1', { address: '10.0.0.3', port: 10250, result: 'filtered' })?.status).toBe('fail');
  });

  it('without a plan every port on every host counts', () => {
    expect(
      checks.checkPeerPorts(
        '10.0.0.2',
        seen([{ address: '10.0.0.3', port: 2380, result: 'unreachable' }]),
        undefined,
      )[0]?.status,
    ).toBe('fail');
  });

  it('warns when no port could be tried (no python3 on the host), passes when none was asked of it', () => {
    const untried = { ...seen([]), untried: true };
    expect(checks.checkPeerPorts('10.0.0.2', untried, plan({ hosts }))[0]?.status).toBe('warn');
    expect(checks.checkPeerPorts('10.0.0.2', seen([]), plan({ hosts }))[0]?.status).toBe('pass');
  });

  it("tries the network plugin's TCP ports besides Kubernetes'", () => {
    expect(peerPortsFor(plan({ networkPlugin: 'cilium' }))).toEqual([6443, 2379, 2380, 10250, 4240]);
    expect(peerPortsFor(undefined)).toEqual([6443, 2379, 2380, 10250]);
  });
});

describe('host names', () => {
  const everyHost = [
    { address: '10.0.0.1', facts: sampleFacts({ hostname: 'node1' }) },
    { address: '10.0.0.2', facts: sampleFacts({ hostname: 'node2' }) },
  ];
  it('passes unresolved names (kubespray writes /etc/hosts) and warns a name that resolves elsewhere', async () => {
    expect(await releaseFile('roles/kubernetes/preinstall/defaults/main.yml')).toMatch(
      /^populate_inventory_to_hosts_file: true$/m,
    );
    const unresolved = checks.checkPeerNames({ names: [{ name: 'node2' }], ports: [] }, everyHost, undefined)[0];
    expect(unresolved).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('populate_inventory_to_hosts_file'),
    });
    expect(
      checks.checkPeerNames({ names: [{ name: 'node2', address: '10.0.0.2' }], ports: [] }, everyHost, undefined)[0]
        ?.status,
    ).toBe('pass');
    expect(
      checks.checkPeerNames({ names: [{ name: 'node2', address: '10.9.9.9' }], ports: [] }, everyHost, undefined)[0]
        ?.status,
    ).toBe('warn');
  });
});

describe('runPreflightChecks per role', () => {
  it('checks each host for the role the plan gives it', () => {
    const facts = memory(release.nodeMemory);
    const hosts = [
      { name: 'cp1', address: '10.0.0.1', roles: controlPlane },
      { name: 'w1', address: '10.0.0.2', roles: worker },
    ];
    const context = { platforms: kubespray223Platforms, everyHost: [], plan: plan({ hosts }) };
    expect(runPreflightChecks('10.0.0.1', facts, context).find((entry) => entry.id === 'memory')?.status).toBe('fail');
    expect(runPreflightChecks('10.0.0.2', facts, context).find((entry) => entry.id === 'memory')?.status).toBe('pass');
  });
});
