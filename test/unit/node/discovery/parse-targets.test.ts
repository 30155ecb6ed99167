import { describe, expect, it } from 'vitest';
import { parseTargets } from '../../../../electron/node/discovery/parse-targets';

const addresses = (input: string) => parseTargets(input).map((target) => target.address ?? target.hostName);

describe('parseTargets', () => {
  it('expands CIDR blocks without network and broadcast addresses', () => {
    expect(addresses('10.1.2.0/30')).toEqual(['10.1.2.1', '10.1.2.2']);
    expect(addresses('10.1.2.0/24')).toHaveLength(254);
    expect(addresses('10.1.2.7/32')).toEqual(['10.1.2.7']);
    expect(addresses('10.1.2.9/24')[0]).toBe('10.1.2.1');
  });

  it('expands full and short ranges, lists and host names, in order and without duplicates', () => {
    expect(addresses('10.1.2.10-10.1.2.12, 10.1.2.11-13\nnode-1.dc.local 10.1.2.10')).toEqual([
      '10.1.2.10',
      '10.1.2.11',
      '10.1.2.12',
      '10.1.2.13',
      'node-1.dc.local',
    ]);
    expect(addresses('10.1.2.255-10.1.3.1')).toEqual(['10.1.2.255', '10.1.3.0', '10.1.3.1']);
    expect(addresses('fd00::5')).toEqual(['fd00::5']);
  });

  it.each([
    ['10.1.2.0/33', /"10.1.2.0\/33" is not a valid IPv4 CIDR block/],
    ['10.1.2.0/8', /larger than a \/16/],
    ['10.1.2.300', /"10.1.2.300" is not a valid IPv4 address/],
    ['10.1.2.50-10.1.2.10', /ends before it starts/],
    ['10.1.2.5-300', /ends with an invalid address/],
    ['bad_name!', /"bad_name!" is neither an address nor a valid host name/],
    ['  ', /No targets/],
  ])('refuses %j naming the token', (input, message) => {
    expect(() => parseTargets(input)).toThrow(message);
    try {
      parseTargets(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_params', field: 'targets' });
    }
  });
});
