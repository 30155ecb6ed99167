import { isIPv4, isIPv6 } from 'node:net';
import type { CoreMessageParams } from '../../common/core-messages';
import { ipv4ToNumber, networkOf, numberToIpv4 } from '../../common/ipv4';
import { coreError } from '../i18n/format-core-message';

export type SweepTarget = { address: string; hostName?: string } | { hostName: string; address?: undefined };

/** A sweep larger than a /16 is almost certainly a typo, and would take hours on a real LAN. */
export const maxSweepAddresses = 65_536;

/** One token the operator typed: an IPv4 block or range (kept as numbers, never expanded), or a single target. */
type TargetSpan = { token: string; first: number; last: number };
type TargetPart = TargetSpan | { token: string; target: SweepTarget };

/** What to sweep, parsed and checked; its addresses are produced one at a time by `eachTarget`. */
export interface TargetPlan {
  parts: readonly TargetPart[];
  total: number;
}

const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

// Every address reaching these is checked by isIPv4 first.
const addressValue = (address: string) => ipv4ToNumber(address) ?? 0;

/** Why a token is refused: a `reason` of the catalog's discovery.target-invalid, with its numbers. */
type TargetRefusal =
  | 'notAddress'
  | 'notHostName'
  | 'noPrefix'
  | 'notCidr'
  | 'badStart'
  | 'badEnd'
  | 'reversed'
  | 'tooLarge'
  | 'spansTooMany';

const invalid = (token: string, reason: TargetRefusal, counts: CoreMessageParams = {}) =>
  coreError('invalid_params', 'discovery.target-invalid', { token, reason, ...counts }, 'targets');

/**
 * Parses what the operator typed (CIDR blocks, ranges, addresses and host names, separated by spaces, commas or
 * new lines) without expanding it. Refuses, naming the token, anything malformed, a block larger than a /16, two
 * parts that overlap and more than a /16 in all; a repeated address or name counts once.
 */
export function planTargets(input: string): TargetPlan {
  const tokens = input.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) throw coreError('invalid_params', 'discovery.no-targets', {}, 'targets');
  const parts: TargetPart[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    const part = parsePart(token);
    // A single address or name typed twice is a harmless slip; two ranges that overlap are refused below.
    const key =
      'target' in part ? (part.target.address ?? `name:${part.target.hostName}`) : `${part.first}-${part.last}`;
    if ('target' in part || part.first === part.last) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    parts.push(part);
  }
  refuseOverlaps(parts);
  const total = parts.reduce((sum, part) => sum + ('target' in part ? 1 : part.last - part.first + 1), 0);
  if (total > maxSweepAddresses) {
    throw coreError(
      'invalid_params',
      'discovery.targets-too-many',
      { targets: tokens.join(' '), total, max: maxSweepAddresses },
      'targets',
    );
  }
  return { parts, total };
}

/** The plan's targets in the order typed, one at a time: a /16 is never held as 65,536 objects. */
export function* eachTarget(plan: TargetPlan): Generator<SweepTarget> {
  for (const part of plan.parts) {
    if ('target' in part) yield part.target;
    else for (let value = part.first; value <= part.last; value += 1) yield { address: numberToIpv4(value) };
  }
}

/** Every target, as a list: for the few addresses of a command line, never for a sweep. */
export const parseTargets = (input: string): SweepTarget[] => [...eachTarget(planTargets(input))];

function refuseOverlaps(parts: readonly TargetPart[]): void {
  const spans = parts.filter((part): part is TargetSpan => !('target' in part)).sort((a, b) => a.first - b.first);
  for (let index = 1; index < spans.length; index += 1) {
    const [before, after] = [spans[index - 1]!, spans[index]!];
    if (after.first <= before.last) {
      throw coreError(
        'invalid_params',
        'discovery.targets-overlap',
        { first: before.token, second: after.token, address: numberToIpv4(after.first) },
        'targets',
      );
    }
  }
}

function parsePart(token: string): TargetPart {
  if (token.includes('/')) return parseCidr(token);
  if (isIPv4(token)) return { token, first: addressValue(token), last: addressValue(token) };
  if (isIPv6(token)) return { token, target: { address: token } };
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(token);
  if (range) return parseRange(token, range[1]!, range[2]!);
  if (/^[\d.]+$/.test(token)) throw invalid(token, 'notAddress');
  if (!hostNamePattern.test(token)) throw invalid(token, 'notHostName');
  return { token, target: { hostName: token.toLowerCase() } };
}

function parseCidr(token: string): TargetSpan {
  const [base = '', bitsText = ''] = token.split('/');
  if (!/^\d{1,2}$/.test(bitsText)) throw invalid(token, 'noPrefix');
  const bits = Number(bitsText);
  if (!isIPv4(base) || bits > 32) throw invalid(token, 'notCidr');
  const size = 2 ** (32 - bits);
  if (size > maxSweepAddresses) throw invalid(token, 'tooLarge', { size });
  const network = networkOf(addressValue(base), bits).base;
  // Network and broadcast addresses hold no host in blocks that have them.
  return size >= 4
    ? { token, first: network + 1, last: network + size - 2 }
    : { token, first: network, last: network + size - 1 };
}

function parseRange(token: string, start: string, end: string): TargetSpan {
  if (!isIPv4(start)) throw invalid(token, 'badStart');
  const endAddress = end.includes('.') ? end : `${start.split('.').slice(0, 3).join('.')}.${end}`;
  if (!isIPv4(endAddress)) throw invalid(token, 'badEnd');
  const [first, last] = [addressValue(start), addressValue(endAddress)];
  if (last < first) throw invalid(token, 'reversed');
  if (last - first + 1 > maxSweepAddresses) throw invalid(token, 'spansTooMany', { max: maxSweepAddresses });
  return { token, first, last };
}
