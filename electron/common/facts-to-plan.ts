import type { ClusterHost, HostFactsSummary, HostInput } from './cluster-plan';
import type { FactsOutcome } from './host-facts';
import { ipv4ToNumber } from './ipv4';

const isIpv4 = (text: string) => ipv4ToNumber(text) !== null;

/**
 * The Access step's default, shared by the UI and `airspray facts --project`: a host goes into the plan when it
 * answered and no check failed that a cluster setting could not answer instead (a kernel without ip_vs still suits
 * kube-proxy in iptables mode).
 */
export function fitsPlanByDefault(outcome: FactsOutcome | undefined): boolean {
  return (
    outcome?.state === 'ok' && !outcome.checks.some((check) => check.status === 'fail' && !check.answeredBySetting)
  );
}

/** What planning keeps of the facts: the short host name, OS, size and every IPv4 address with its prefix. */
export function hostInputFromFacts(outcome: FactsOutcome, receivedAt?: string): HostInput | null {
  if (outcome.state !== 'ok' || !isIpv4(outcome.address)) return null;
  const { facts } = outcome;
  const addresses = facts.interfaces
    .filter((iface) => iface.name !== 'lo')
    .flatMap((iface) => iface.addresses)
    .map((cidr) => cidr.split('/'))
    .filter(([address = '', prefix]) => isIpv4(address) && !address.startsWith('127.') && prefix !== undefined)
    .map(([address = '', prefix]) => ({ address, prefixLength: Number(prefix) }));
  const summary: HostFactsSummary = {
    os: { id: facts.os.id, version: facts.os.versionId },
    arch: facts.arch,
    cpus: facts.cpus,
    memoryMiB: facts.memoryMiB,
    addresses,
    ...(receivedAt ? { collectedAt: receivedAt } : {}),
  };
  const name = (facts.hostname.split('.')[0] ?? facts.hostname).toLowerCase();
  // A host whose probe could not count its CPUs keeps no summary rather than a made-up one.
  return { name, address: outcome.address, ...(facts.cpus > 0 && facts.os.id ? { facts: summary } : {}) };
}

/** The plan's hosts with the new ones in: a new host replaces one of the same name or address and keeps its roles. */
export function mergeHosts(existing: readonly ClusterHost[], incoming: readonly HostInput[]): HostInput[] {
  const kept: HostInput[] = existing.filter(
    (host) => !incoming.some((input) => input.name === host.name || input.address === host.address),
  );
  const added = incoming.map((input) => {
    const previous =
      existing.find((host) => host.name === input.name) ?? existing.find((host) => host.address === input.address);
    return previous ? { ...input, roles: previous.roles } : input;
  });
  return [...kept, ...added];
}
