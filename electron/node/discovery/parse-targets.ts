import { isIPv4, isIPv6 } from 'node:net';
import { AirsprayError } from '../../common/errors';
import { ipv4ToNumber, networkOf, numberToIpv4 } from '../../common/ipv4';

export type SweepTarget = { address: string; hostName?: string } | { hostName: string; address?: undefined };

/** A sweep larger than a /16 is almost certainly a typo, and would take hours on a real LAN. */
export const maxSweepAddresses = 65_536;

const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

// Every address reaching these is checked by isIPv4 first.
const addressValue = (address: string) => ipv4ToNumber(address) ?? 0;

function invalid(token: string, why: string): AirsprayError {
  return new AirsprayError(
    'invalid_params',
    `"${token}" ${why}: write a CIDR block (10.0.0.0/24), a range (10.0.0.10-10.0.0.50 or 10.0.0.10-50), an address or a host name.`,
    'targets',
  );
}

/**
 * Parses what the operator typed (CIDR blocks, ranges, addresses and host names, separated by spaces, commas or
 * new lines) into the list of targets, in order, without duplicates. Throws naming the first bad token.
 */
export function parseTargets(input: string): SweepTarget[] {
  const tokens = input.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0)
    throw new AirsprayError('invalid_params', 'No targets: type a subnet such as 10.0.0.0/24.', 'targets');
  const seen = new Set<string>();
  const targets: SweepTarget[] = [];
  const add = (target: SweepTarget) => {
    const key = target.address ?? `name:${target.hostName!.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(target);
    if (targets.length > maxSweepAddresses) {
      throw new AirsprayError(
        'invalid_params',
        `More than ${maxSweepAddresses} targets: sweep one /16 or less at a time.`,
        'targets',
      );
    }
  };
  for (const token of tokens) {
    for (const target of expandToken(token)) add(target);
  }
  return targets;
}

function* expandToken(token: string): Generator<SweepTarget> {
  if (token.includes('/')) {
    yield* expandCidr(token);
    return;
  }
  if (isIPv4(token) || isIPv6(token)) {
    yield { address: token };
    return;
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(token);
  if (range) {
    yield* expandRange(token, range[1]!, range[2]!);
    return;
  }
  if (/^[\d.]+$/.test(token)) throw invalid(token, 'is not a valid IPv4 address');
  if (!hostNamePattern.test(token)) throw invalid(token, 'is neither an address nor a valid host name');
  yield { hostName: token.toLowerCase() };
}

function* expandCidr(token: string): Generator<SweepTarget> {
  const [base = '', bitsText = ''] = token.split('/');
  if (!/^\d{1,2}$/.test(bitsText)) throw invalid(token, 'has no valid prefix length');
  const bits = Number(bitsText);
  if (!isIPv4(base) || bits > 32) throw invalid(token, 'is not a valid IPv4 CIDR block');
  if (2 ** (32 - bits) > maxSweepAddresses)
    throw invalid(token, `is larger than a /16 (${2 ** (32 - bits)} addresses)`);
  const size = 2 ** (32 - bits);
  const network = networkOf(addressValue(base), bits).base;
  // Network and broadcast addresses hold no host in blocks that have them.
  const [first, last] = size >= 4 ? [network + 1, network + size - 2] : [network, network + size - 1];
  for (let value = first; value <= last; value += 1) yield { address: numberToIpv4(value) };
}

function* expandRange(token: string, start: string, end: string): Generator<SweepTarget> {
  if (!isIPv4(start)) throw invalid(token, 'starts with an invalid address');
  const endAddress = end.includes('.') ? end : `${start.split('.').slice(0, 3).join('.')}.${end}`;
  if (!isIPv4(endAddress)) throw invalid(token, 'ends with an invalid address');
  const [from, to] = [addressValue(start), addressValue(endAddress)];
  if (to < from) throw invalid(token, 'ends before it starts');
  if (to - from + 1 > maxSweepAddresses) throw invalid(token, `spans more than ${maxSweepAddresses} addresses`);
  for (let value = from; value <= to; value += 1) yield { address: numberToIpv4(value) };
}
