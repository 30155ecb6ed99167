import { globSource, hostRangePattern, hostRanges } from './host-ranges';
import { ipv4ToNumber, networkSize, parseIpv4Cidr } from './ipv4';

/** What a filter reads of a host: the Roles plan's hosts and discovery's results both have these. */
export interface FilterableHost {
  name: string;
  address: string;
  /**
   * The ids of what failed on the host: its pre-flight checks (`swap`, `firewall`…), the plan's findings about it
   * (`memory-too-small`…), or why it could not be reached (`auth-refused`…). Absent where nothing was checked.
   */
  failed?: readonly string[];
}

/** Why a term of a filter cannot be read; the window words each one and names the term. */
export type HostFilterProblem = 'cidr-invalid' | 'range-syntax' | 'range-backwards' | 'failed-id';

export type HostFilter =
  { ok: true; matches: (host: FilterableHost) => boolean } | { ok: false; problem: HostFilterProblem; term: string };

type TermTest = (host: FilterableHost) => boolean;
type TermResult = { test: TermTest } | { problem: HostFilterProblem };

function cidrTerm(term: string): TermResult {
  const network = parseIpv4Cidr(term);
  if (!network) return { problem: 'cidr-invalid' };
  const end = network.base + networkSize(network);
  return {
    test: (host) => {
      const value = ipv4ToNumber(host.address);
      return value !== null && value >= network.base && value < end;
    },
  };
}

/**
 * `node[001:100]`, `10.0.1.[10:20]`, `rack[1:2]-n*`: the whole name or address, each range a number within its
 * bounds; a start written with a leading zero fixes the width, as Ansible expands it.
 */
function rangeTerm(term: string): TermResult {
  if (/[[\]]/.test(term.replace(hostRangePattern, ''))) return { problem: 'range-syntax' };
  const bounds = hostRanges(term);
  let source = '';
  let last = 0;
  for (const { whole, index, start, end, width } of bounds) {
    if (end < start) return { problem: 'range-backwards' };
    source += `${globSource(term.slice(last, index))}(${width > 0 ? `\\d{${width}}` : '0|[1-9]\\d*'})`;
    last = index + whole.length;
  }
  const pattern = new RegExp(`^${source}${globSource(term.slice(last))}$`, 'i');
  const within = (text: string) => {
    const match = pattern.exec(text);
    return (
      match !== null &&
      bounds.every(({ start, end }, index) => {
        const value = Number(match[index + 1]);
        return value >= start && value <= end;
      })
    );
  };
  return { test: (host) => within(host.name) || within(host.address) };
}

/** `failed:swap`, `failed:unique-*`: the hosts where a check with that id (a glob) failed. */
function failedTerm(pattern: string): TermResult {
  if (!/^[\w.*?-]+$/.test(pattern)) return { problem: 'failed-id' };
  const glob = new RegExp(`^${globSource(pattern)}$`, 'i');
  return { test: (host) => host.failed?.some((id) => glob.test(id)) ?? false };
}

function readTerm(term: string): TermResult {
  const failed = /^failed:(.*)$/i.exec(term);
  if (failed) return failedTerm(failed[1]!);
  if (term.includes('/')) return cidrTerm(term);
  if (/[[\]]/.test(term)) return rangeTerm(term);
  if (/[*?]/.test(term)) {
    const glob = new RegExp(`^${globSource(term)}$`, 'i');
    return { test: (host) => glob.test(host.name) || glob.test(host.address) };
  }
  const lower = term.toLowerCase();
  return { test: (host) => host.name.toLowerCase().includes(lower) || host.address.includes(lower) };
}

/**
 * Reads a host filter: terms split by commas or spaces, a host matching any of them. A term is part of a name or
 * address, a range (`node[001:100]`), a glob (`node*`), an IPv4 network (`10.0.1.0/24`) or a failed check
 * (`failed:swap`). Empty matches every host.
 */
export function readHostFilter(text: string): HostFilter {
  const tests: TermTest[] = [];
  for (const term of text.split(/[\s,]+/).filter(Boolean)) {
    const result = readTerm(term);
    if ('problem' in result) return { ok: false, problem: result.problem, term };
    tests.push(result.test);
  }
  if (tests.length === 0) return { ok: true, matches: () => true };
  return { ok: true, matches: (host) => tests.some((test) => test(host)) };
}
