import type { ClusterHost } from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import type { AirsprayError } from '../../common/errors';
import { globSource, hostRanges } from '../../common/host-ranges';
import { coreError } from '../i18n/format-core-message';

/** More names than the plan can hold (1000 hosts) is a typo, not a cluster. */
const maxExpansion = 1000;

/**
 * Expands `node[01:20]` and `10.0.0.[11:15]` (several ranges multiply) into the names or addresses they stand for;
 * anything else is itself.
 */
export function expandHostPattern(pattern: string): string[] {
  const [range] = hostRanges(pattern);
  if (!range) return [pattern];
  const { whole, start, end, width } = range;
  if (end < start)
    throw coreError('invalid_params', 'project.host-range-backwards', { pattern, range: whole }, 'hosts');
  if (end - start + 1 > maxExpansion)
    throw coreError('invalid_params', 'project.host-range-too-large', { pattern, limit: maxExpansion }, 'hosts');
  const before = pattern.slice(0, range.index);
  const after = pattern.slice(range.index + whole.length);
  const expanded: string[] = [];
  for (let value = start; value <= end; value += 1) {
    expanded.push(...expandHostPattern(`${before}${String(value).padStart(width, '0')}${after}`));
    if (expanded.length > maxExpansion)
      throw coreError('invalid_params', 'project.host-range-too-large', { pattern, limit: maxExpansion }, 'hosts');
  }
  return expanded;
}

const globToRegExp = (glob: string) => new RegExp(`^${globSource(glob)}$`);

/** The first five names, joined, and how many more there are. */
const namedList = (items: readonly string[]) => ({
  names: joinValues(items.slice(0, 5)),
  more: Math.max(0, items.length - 5),
});

/**
 * The plan's hosts that HOST arguments name: a name, an address, a range (`node[01:20]`) or a glob (`node*`).
 * Every name a range stands for must be in the plan, and a glob must match something: a typo is refused, not ignored.
 */
export function selectHosts(hosts: readonly ClusterHost[], patterns: readonly string[]): ClusterHost[] {
  if (patterns.length === 0) throw coreError('invalid_params', 'project.hosts-required', {}, 'hosts');
  const chosen = new Set<ClusterHost>();
  for (const pattern of patterns) {
    if (/[*?]/.test(pattern)) {
      const glob = globToRegExp(pattern);
      const matched = hosts.filter((host) => glob.test(host.name) || glob.test(host.address));
      if (matched.length === 0) throw notInPlan(hosts, [pattern]);
      for (const host of matched) chosen.add(host);
      continue;
    }
    const wanted = expandHostPattern(pattern);
    const missing = wanted.filter((value) => !hosts.some((host) => host.name === value || host.address === value));
    if (missing.length > 0) throw notInPlan(hosts, missing);
    for (const host of hosts) if (wanted.includes(host.name) || wanted.includes(host.address)) chosen.add(host);
  }
  return hosts.filter((host) => chosen.has(host));
}

function notInPlan(hosts: readonly ClusterHost[], missing: readonly string[]): AirsprayError {
  const wanted = namedList(missing);
  const known = namedList(hosts.map((host) => host.name));
  return coreError(
    'not_found',
    'project.host-not-in-plan',
    {
      missing: wanted.names,
      missingMore: wanted.more,
      knownCount: hosts.length,
      known: known.names,
      knownMore: known.more,
    },
    'hosts',
  );
}
