import { describe, expect, it } from 'vitest';
import {
  eachTarget,
  maxSweepAddresses,
  parseTargets,
  planTargets,
} from '../../../../electron/node/discovery/parse-targets';

const addresses = (input: string) => parseTargets(input).map((target) => target.address ?? target.hostName);

describe('parseTargets', () => {
  it('expands CIDR blocks without network and broadcast addresses', () => {
    expect(addresses('10.1.2.0/30')).toEqual(['10.1.2.1', '10.1.2.2']);
    expect(addresses('10.1.2.0/24')).toHaveLength(254);
    expect(addresses('10.1.2.7/32')).toEqual(['10.1.2.7']);
    expect(addresses('10.1.2.9/24')[0]).toBe('10.1.2.1');
  });

  it('expands full and short ranges, lists and host names, in order, an address typed twice once', () => {
    expect(addresses('10.1.2.10-10.1.2.12, 10.1.2.13-14\nnode-1.dc.local 10.1.2.20 10.1.2.20 NODE-1.dc.local')).toEqual(
      ['10.1.2.10', '10.1.2.11', '10.1.2.12', '10.1.2.13', '10.1.2.14', 'node-1.dc.local', '10.1.2.20'],
    );
    expect(addresses('10.1.2.255-10.1.3.1')).toEqual(['10.1.2.255', '10.1.3.0', '10.1.3.1']);
    expect(addresses('fd00::5')).toEqual(['fd00::5']);
  });

  const invalid = (token: string, reason: string, counts = {}) => ({
    id: 'discovery.target-invalid',
    params: { token, reason, ...counts },
  });
  const overlap = (first: string, second: string, address: string) => ({
    id: 'discovery.targets-overlap',
    params: { first, second, address },
  });
  it.each([
    ['10.1.2.0/33', invalid('10.1.2.0/33', 'notCidr')],
    ['10.1.2.0/8', invalid('10.1.2.0/8', 'tooLarge', { size: 16_777_216 })],
    ['10.1.2.300', invalid('10.1.2.300', 'notAddress')],
    ['10.1.2.50-10.1.2.10', invalid('10.1.2.50-10.1.2.10', 'reversed')],
    ['10.1.2.5-300', invalid('10.1.2.5-300', 'badEnd')],
    ['bad_name!', invalid('bad_name!', 'notHostName')],
    ['  ', { id: 'discovery.no-targets', params: {} }],
    ['10.1.2.0/24 10.1.2.10-20', overlap('10.1.2.0/24', '10.1.2.10-20', '10.1.2.10')],
    ['10.1.2.40-60 10.1.2.0/26', overlap('10.1.2.0/26', '10.1.2.40-60', '10.1.2.40')],
    ['10.1.2.7 10.1.2.0/24', overlap('10.1.2.0/24', '10.1.2.7', '10.1.2.7')],
    ['10.1.0.0/16 10.1.0.0/16', overlap('10.1.0.0/16', '10.1.0.0/16', '10.1.0.1')],
  ])('refuses %j naming the token', (input, i18n) => {
    expect(() => parseTargets(input)).toThrow(
      expect.objectContaining({ code: 'invalid_params', field: 'targets', i18n }),
    );
  });

  it('says a refused token in the English the CLI printed before', () => {
    expect(() => parseTargets('10.1.2.0/33')).toThrow(
      '"10.1.2.0/33" is not a valid IPv4 CIDR block: write a CIDR block (10.0.0.0/24), a range (10.0.0.10-10.0.0.50 or 10.0.0.10-50), an address or a host name.',
    );
    expect(() => parseTargets('10.1.2.0/8')).toThrow('"10.1.2.0/8" is larger than a /16 (16777216 addresses): write');
  });

  it('plans a /16 without expanding it, and yields its addresses one at a time on demand', () => {
    const plan = planTargets('10.7.0.0/16');
    expect(plan.total).toBe(65_534);
    expect(plan.parts).toHaveLength(1);
    const targets = eachTarget(plan);
    expect(targets.next().value).toEqual({ address: '10.7.0.1' });
    expect(targets.next().value).toEqual({ address: '10.7.0.2' });
    let count = 2;
    let last;
    for (const target of targets) {
      count += 1;
      last = target;
    }
    expect(count).toBe(65_534);
    expect(last).toEqual({ address: '10.7.255.254' });
  });

  it('refuses before anything starts when the parts together exceed a /16', () => {
    expect(planTargets('10.1.0.0/17 10.2.0.0/17').total).toBe(2 * 32_766);
    expect(() => planTargets('10.1.0.0/16 10.2.0.0/24')).toThrow(
      expect.objectContaining({
        i18n: {
          id: 'discovery.targets-too-many',
          params: { targets: '10.1.0.0/16 10.2.0.0/24', total: 65_788, max: maxSweepAddresses },
        },
      }),
    );
  });
});
