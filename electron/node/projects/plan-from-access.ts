import { noRoles, type ClusterPlan } from '../../common/cluster-plan';
import { fitsPlanByDefault, hostInputFromFacts, mergeHosts } from '../../common/facts-to-plan';
import type { FactsOutcome } from '../../common/host-facts';
import { compareIpv4 } from '../../common/ipv4';
import type { ProjectDocument } from '../../common/project';
import { replaceHosts } from '../inventory/inventory-service';

/** A sweep knows addresses, not names: a placeholder the facts replace with the host's own name later. */
export const placeholderName = (address: string) => `host-${address.replace(/\./g, '-')}`;

/** Discover's SSH hosts into the plan, each address once; hosts already planned stay as they are. */
export function addDiscoveredHosts(
  plan: ClusterPlan,
  addresses: readonly string[],
): { plan: ClusterPlan; added: string[] } {
  // A sweep reports in the order hosts answer; the plan takes them in address order, the same on every run.
  const fresh = [...new Set(addresses)]
    .filter((address) => !plan.hosts.some((host) => host.address === address || host.name === placeholderName(address)))
    .sort(compareIpv4);
  const hosts = [
    ...plan.hosts,
    ...fresh.map((address) => ({ name: placeholderName(address), address, roles: { ...noRoles } })),
  ];
  return { plan: { ...plan, hosts }, added: fresh };
}

export interface FactsRecord {
  next: ProjectDocument;
  /** Names of the hosts put into the plan with their facts. */
  recorded: string[];
  /** Addresses left out, with why: the Access step's rule (it answered and no unanswerable check failed). */
  leftOut: { address: string; reason: string }[];
}

/**
 * As the Access step's "use in plan": hosts that answered and passed (or all that answered) go in with their facts,
 * keeping their roles.
 */
export function recordFacts(
  project: ProjectDocument,
  outcomes: readonly FactsOutcome[],
  receivedAt: string,
  options: { despiteChecks?: boolean } = {},
): FactsRecord {
  const leftOut: FactsRecord['leftOut'] = [];
  const incoming = [];
  for (const outcome of outcomes) {
    // despiteChecks is the operator ticking a host whose check failed, as the Access step allows.
    const used = options.despiteChecks ? outcome.state === 'ok' : fitsPlanByDefault(outcome);
    const input = used ? hostInputFromFacts(outcome, receivedAt) : null;
    if (input) incoming.push(input);
    else
      leftOut.push({
        address: outcome.address,
        reason: outcome.state === 'failed' ? outcome.message : 'a pre-flight check failed',
      });
  }
  const next = replaceHosts(project, mergeHosts(project.cluster.hosts, incoming));
  return { next, recorded: incoming.map((input) => input.name), leftOut };
}
