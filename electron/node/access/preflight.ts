import type { HostFacts, PreflightCheck } from '../../common/host-facts';
import { kubernetesPorts } from './facts-probe';
import {
  check,
  checkCpus,
  checkFirewall,
  checkKernel,
  checkMemory,
  checkModules,
  checkPeerNames,
  checkPeerPorts,
  checkSysctls,
  rolesOf,
  type PlanView,
} from './kubespray-checks';

export interface SupportedPlatforms {
  /** OS id to the versions supported; an empty list means every version. */
  os: Record<string, string[]>;
  arches: string[];
}

/** Kubespray 2.23's supported distributions and architectures (its README), used until a bundle narrows them. */
export const kubespray223Platforms: SupportedPlatforms = {
  os: {
    debian: ['10', '11', '12'],
    ubuntu: ['20.04', '22.04'],
    rhel: ['8', '9'],
    rocky: ['8', '9'],
    almalinux: ['8', '9'],
    centos: ['7'],
    ol: ['7', '8', '9'],
    fedora: ['37', '38'],
    opensuse: [],
    flatcar: [],
    amzn: ['2'],
    kylin: [],
    openEuler: [],
    uos: [],
  },
  arches: ['x86_64', 'aarch64'],
};

/** Bundle architectures use Go's names; hosts report the kernel's. */
const kernelArchOf: Readonly<Record<string, string>> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armv7l',
  ppc64le: 'ppc64le',
};

/** The platforms a chosen bundle carries, or kubespray 2.23's when no bundle is chosen or it does not say. */
export function platformsFor(
  bundle: { operatingSystems?: { id: string; version: string }[]; architectures?: string[] } | null | undefined,
): SupportedPlatforms {
  if (!bundle?.operatingSystems?.length || !bundle.architectures?.length) return kubespray223Platforms;
  const os: Record<string, string[]> = {};
  for (const entry of bundle.operatingSystems) (os[entry.id] ??= []).push(entry.version);
  return { os, arches: bundle.architectures.map((arch) => kernelArchOf[arch] ?? arch) };
}

const clockSkewWarnMs = 1000;
const clockSkewFailMs = 60_000;
const freeDiskWarnMiB = 20 * 1024;
const freeDiskFailMiB = 5 * 1024;

export interface PreflightContext {
  platforms: SupportedPlatforms;
  /** Facts of every host in this run, to find duplicates. */
  everyHost: readonly { address: string; facts: HostFacts }[];
  /** The project's plan, when there is one: roles decide what each host is checked for. */
  plan?: PlanView;
}

/** Every pre-flight check for one host: pass, warn or fail, each with what was found and the fix. */
export function runPreflightChecks(address: string, facts: HostFacts, context: PreflightContext): PreflightCheck[] {
  const roles = rolesOf(address, context.plan);
  return [
    checkOs(facts, context.platforms),
    checkArch(facts, context.platforms),
    checkCpus(facts, roles),
    checkMemory(facts, roles),
    checkKernel(facts, context.plan),
    ...checkModules(facts, roles, context.plan),
    ...checkSysctls(facts, roles),
    checkSwap(facts),
    ...checkDuplicates(address, facts, context.everyHost),
    checkClock(facts),
    checkDisk(facts),
    checkPython(facts),
    checkSudo(facts),
    checkPorts(facts),
    checkFirewall(facts),
    ...checkPeerPorts(address, facts.peers, context.plan),
    ...checkPeerNames(facts.peers, context.everyHost, context.plan),
    checkExistingCluster(facts),
  ];
}

function checkOs(facts: HostFacts, platforms: SupportedPlatforms): PreflightCheck {
  const { pass, fail } = check('os', 'Operating system supported');
  const versions = platforms.os[facts.os.id];
  const name = facts.os.prettyName || `${facts.os.id} ${facts.os.versionId}`;
  if (versions && (versions.length === 0 || versions.includes(facts.os.versionId)))
    return pass(`${name} is supported.`);
  const supported = Object.entries(platforms.os)
    .map(([id, list]) => (list.length ? `${id} ${list.join('/')}` : id))
    .join(', ');
  return fail(`${name || 'An unknown OS'} is not supported by this bundle: install one of ${supported}.`);
}

function checkArch(facts: HostFacts, platforms: SupportedPlatforms): PreflightCheck {
  const { pass, fail } = check('arch', 'Architecture supported');
  if (platforms.arches.includes(facts.arch)) return pass(`${facts.arch} is supported.`);
  return fail(
    `${facts.arch} is not in this bundle (${platforms.arches.join(', ')}): use a bundle built for ${facts.arch}, or another host.`,
  );
}

function checkSwap(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('swap', 'Swap');
  if (facts.swapMiB === 0) return pass('No swap.');
  return warn(
    `${facts.swapMiB} MiB of swap: kubespray turns it off on every node; remove it from /etc/fstab to keep it off.`,
  );
}

function checkDuplicates(
  address: string,
  facts: HostFacts,
  everyHost: PreflightContext['everyHost'],
): PreflightCheck[] {
  const others = everyHost.filter((host) => host.address !== address);
  const clash = (
    label: string,
    id: string,
    value: string | undefined,
    valueOf: (other: HostFacts) => (string | undefined)[],
    fix: string,
  ): PreflightCheck => {
    const { pass, fail } = check(id, `Unique ${label}`);
    const twins = value
      ? others.filter((other) => valueOf(other.facts).includes(value)).map((other) => other.address)
      : [];
    if (twins.length === 0) return pass(value ? `${label} ${value} is unique.` : `No ${label} to compare.`);
    return fail(`${label} ${value} is also on ${twins.join(', ')}: ${fix}`);
  };
  return [
    clash(
      'hostname',
      'unique-hostname',
      facts.hostname,
      (other) => [other.hostname],
      'give every node its own hostname (hostnamectl set-hostname).',
    ),
    clash(
      'machine-id',
      'unique-machine-id',
      facts.machineId,
      (other) => [other.machineId],
      'the hosts were cloned: regenerate it (rm /etc/machine-id && systemd-machine-id-setup) and reboot.',
    ),
    clash(
      'product_uuid',
      'unique-product-uuid',
      facts.productUuid,
      (other) => [other.productUuid],
      'the VMs were cloned with the same UUID: give each VM its own UUID in the hypervisor.',
    ),
    ...facts.interfaces
      .filter((iface) => iface.mac && iface.mac !== '00:00:00:00:00:00')
      .map((iface) =>
        clash(
          `MAC of ${iface.name}`,
          `unique-mac-${iface.name}`,
          iface.mac,
          (other) => other.interfaces.map((o) => o.mac),
          'give each VM its own MAC address.',
        ),
      ),
  ];
}

function checkClock(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('clock', 'Clock in step with the laptop');
  const skew = Math.abs(facts.clockOffsetMs);
  const found = `off by ${facts.clockOffsetMs} ms`;
  if (skew <= clockSkewWarnMs) return pass(`The clock is ${found}.`);
  const fix = 'point the hosts at the same NTP server on the LAN (Settings) or set the time by hand.';
  return skew > clockSkewFailMs
    ? fail(`The clock is ${found}: certificates and etcd will fail; ${fix}`)
    : warn(`The clock is ${found}: ${fix}`);
}

function checkDisk(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('disk', 'Free disk space');
  const free = facts.freeMiB.var ?? facts.freeMiB.root;
  if (free === undefined) return warn('Free space on / and /var is unknown: check it by hand (df -h /var).');
  const found = `${(free / 1024).toFixed(1)} GiB free on /var`;
  if (free < freeDiskFailMiB)
    return fail(`${found}: images and etcd need at least ${freeDiskFailMiB / 1024} GiB; free or add disk space.`);
  if (free < freeDiskWarnMiB)
    return warn(`${found}: ${freeDiskWarnMiB / 1024} GiB or more is advised; free or add disk space.`);
  return pass(`${found}.`);
}

function checkPython(facts: HostFacts): PreflightCheck {
  const { pass, fail } = check('python3', 'Python 3 present');
  if (facts.python3) return pass(`Python ${facts.python3}.`);
  return fail(
    "No python3: Ansible needs it on every node; install the python3 package from the bundle's OS repository.",
  );
}

function checkSudo(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('sudo', 'sudo works');
  if (facts.sudo === 'works') return pass('sudo accepted the password.');
  if (facts.sudo === 'no-password-given')
    return warn('Not checked: give the profile a sudo password so kubespray can become root.');
  return fail(
    'sudo refused this user: add the user to the sudo (or wheel) group, or fix the sudo password in the profile.',
  );
}

function checkPorts(facts: HostFacts): PreflightCheck {
  const { pass, fail } = check('ports', 'Kubernetes ports free');
  if (facts.portsInUse.length === 0) return pass(`${kubernetesPorts.join(', ')} are free.`);
  return fail(
    `Port ${facts.portsInUse.join(', ')} already has a listener: stop that service (ss -ltnp shows which), or pick another host.`,
  );
}

function checkExistingCluster(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('existing-cluster', 'No existing cluster');
  const found = [
    ...facts.existing.containerRuntimes,
    ...(facts.existing.kubelet ? ['kubelet'] : []),
    ...(facts.existing.kubeconfig ? ['/etc/kubernetes'] : []),
  ];
  if (found.length === 0) return pass('No container runtime or kubelet installed.');
  return warn(
    `Found ${found.join(', ')}: this host may belong to a cluster; reset it (reset.yml) or confirm it is meant to be reused.`,
  );
}
