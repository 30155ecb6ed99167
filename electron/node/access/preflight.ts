import { joinValues } from '../../common/core-messages';
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
  const { pass, fail } = check('os', 'preflight.os.title');
  const versions = platforms.os[facts.os.id];
  const name = facts.os.prettyName || `${facts.os.id} ${facts.os.versionId}`;
  if (versions && (versions.length === 0 || versions.includes(facts.os.versionId)))
    return pass('preflight.os.supported', { name });
  const supported = Object.entries(platforms.os).map(([id, list]) => (list.length ? `${id} ${list.join('/')}` : id));
  return fail('preflight.os.unsupported', { name, supported: joinValues(supported) });
}

function checkArch(facts: HostFacts, platforms: SupportedPlatforms): PreflightCheck {
  const { pass, fail } = check('arch', 'preflight.arch.title');
  const { arch } = facts;
  if (platforms.arches.includes(arch)) return pass('preflight.arch.supported', { arch });
  return fail('preflight.arch.unsupported', { arch, arches: joinValues(platforms.arches) });
}

function checkSwap(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('swap', 'preflight.swap.title');
  if (facts.swapMiB === 0) return pass('preflight.swap.none');
  return warn('preflight.swap.present', { swap: facts.swapMiB });
}

function checkDuplicates(
  address: string,
  facts: HostFacts,
  everyHost: PreflightContext['everyHost'],
): PreflightCheck[] {
  const others = everyHost.filter((host) => host.address !== address);
  /** what: hostname, machineId, product_uuid or mac (with iface), which the messages name and pick a fix by. */
  const clash = (
    id: string,
    label: { what: string; iface?: string },
    value: string | undefined,
    valueOf: (other: HostFacts) => (string | undefined)[],
  ): PreflightCheck => {
    const what = { iface: '', ...label };
    const { pass, fail } = check(id, 'preflight.unique.title', what);
    const twins = value
      ? others.filter((other) => valueOf(other.facts).includes(value)).map((other) => other.address)
      : [];
    if (!value) return pass('preflight.unique.nothing', what);
    if (twins.length === 0) return pass('preflight.unique.pass', { ...what, value });
    return fail('preflight.unique.clash', { ...what, value, twins: joinValues(twins) });
  };
  return [
    clash('unique-hostname', { what: 'hostname' }, facts.hostname, (other) => [other.hostname]),
    clash('unique-machine-id', { what: 'machineId' }, facts.machineId, (other) => [other.machineId]),
    clash('unique-product-uuid', { what: 'product_uuid' }, facts.productUuid, (other) => [other.productUuid]),
    ...facts.interfaces
      .filter((iface) => iface.mac && iface.mac !== '00:00:00:00:00:00')
      .map((iface) =>
        clash(`unique-mac-${iface.name}`, { what: 'mac', iface: iface.name }, iface.mac, (other) =>
          other.interfaces.map((o) => o.mac),
        ),
      ),
  ];
}

function checkClock(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('clock', 'preflight.clock.title');
  const offset = facts.clockOffsetMs;
  const skew = Math.abs(offset);
  if (skew <= clockSkewWarnMs) return pass('preflight.clock.in-step', { offset });
  return skew > clockSkewFailMs
    ? fail('preflight.clock.skewed', { offset, far: 'yes' })
    : warn('preflight.clock.skewed', { offset, far: 'no' });
}

function checkDisk(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('disk', 'preflight.disk.title');
  const freeMiB = facts.freeMiB.var ?? facts.freeMiB.root;
  if (freeMiB === undefined) return warn('preflight.disk.unknown');
  const free = (freeMiB / 1024).toFixed(1);
  if (freeMiB < freeDiskFailMiB) return fail('preflight.disk.too-little', { free, minimum: freeDiskFailMiB / 1024 });
  if (freeMiB < freeDiskWarnMiB) return warn('preflight.disk.little', { free, advised: freeDiskWarnMiB / 1024 });
  return pass('preflight.disk.enough', { free });
}

function checkPython(facts: HostFacts): PreflightCheck {
  const { pass, fail } = check('python3', 'preflight.python3.title');
  if (facts.python3) return pass('preflight.python3.present', { version: facts.python3 });
  return fail('preflight.python3.missing');
}

function checkSudo(facts: HostFacts): PreflightCheck {
  const { pass, warn, fail } = check('sudo', 'preflight.sudo.title');
  if (facts.sudo === 'works') return pass('preflight.sudo.works');
  if (facts.sudo === 'no-password-given') return warn('preflight.sudo.unchecked');
  return fail('preflight.sudo.refused');
}

function checkPorts(facts: HostFacts): PreflightCheck {
  const { pass, fail } = check('ports', 'preflight.ports.title');
  if (facts.portsInUse.length === 0)
    return pass('preflight.ports.free', { ports: joinValues(kubernetesPorts.map(String)) });
  return fail('preflight.ports.busy', { ports: joinValues(facts.portsInUse.map(String)) });
}

function checkExistingCluster(facts: HostFacts): PreflightCheck {
  const { pass, warn } = check('existing-cluster', 'preflight.existing-cluster.title');
  const found = [
    ...facts.existing.containerRuntimes,
    ...(facts.existing.kubelet ? ['kubelet'] : []),
    ...(facts.existing.kubeconfig ? ['/etc/kubernetes'] : []),
  ];
  if (found.length === 0) return pass('preflight.existing-cluster.none');
  return warn('preflight.existing-cluster.found', { found: joinValues(found) });
}
