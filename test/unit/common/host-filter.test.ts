import { describe, expect, it } from 'vitest';
import { readHostFilter, type FilterableHost } from '../../../electron/common/host-filter';
import { compareHosts } from '../../../electron/common/host-order';

/** node001..node300 on 10.0.1.x, 10.0.2.x and 10.0.3.x, a hundred to a /24. */
const hosts: FilterableHost[] = Array.from({ length: 300 }, (_, index) => ({
  name: `node${String(index + 1).padStart(3, '0')}`,
  address: `10.0.${Math.floor(index / 100) + 1}.${(index % 100) + 10}`,
}));

function matching(text: string): string[] {
  const filter = readHostFilter(text);
  if (!filter.ok) throw new Error(`${filter.problem}: ${filter.term}`);
  return hosts.filter(filter.matches).map((host) => host.name);
}

/** The names node`first`..node`last` (three digits already, so no padding). */
const nodes = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, index) => `node${first + index}`);

describe('readHostFilter', () => {
  it('matches every host when empty or blank', () => {
    expect(matching('')).toHaveLength(300);
    expect(matching('  , ')).toHaveLength(300);
  });

  it('matches part of a name or address, ignoring case', () => {
    expect(matching('NODE29')).toEqual(nodes(290, 299));
    expect(matching('10.0.3.10')).toEqual(['node201', ...nodes(291, 300)]);
  });

  it('matches a range over names with its width, and over addresses', () => {
    expect(matching('node[001:100]')).toEqual(hosts.slice(0, 100).map((host) => host.name));
    expect(matching('node[098:102]')).toEqual(['node098', 'node099', 'node100', 'node101', 'node102']);
    // Without a leading zero the range writes no padding, as Ansible expands node[1:5] to node1..node5.
    expect(matching('node[1:5]')).toEqual([]);
    expect(matching('10.0.2.[10:12]')).toEqual(['node101', 'node102', 'node103']);
  });

  it('multiplies ranges and mixes them with globs', () => {
    expect(matching('node[0:1][0:0][1:2]')).toEqual(['node001', 'node002', 'node101', 'node102']);
    expect(matching('node2[0:1]*')).toHaveLength(20);
  });

  it('matches the addresses inside a network', () => {
    expect(matching('10.0.2.0/24')).toEqual(hosts.slice(100, 200).map((host) => host.name));
    expect(matching('10.0.0.0/22')).toHaveLength(300);
    expect(matching('10.0.2.0/28')).toEqual(['node101', 'node102', 'node103', 'node104', 'node105', 'node106']);
  });

  it('matches a host when any of several terms does', () => {
    expect(matching('node001, node[299:300] 10.0.2.10/32')).toEqual(['node001', 'node101', 'node299', 'node300']);
  });

  it('matches globs over the whole name or address', () => {
    expect(matching('node1?0')).toEqual([
      'node100',
      'node110',
      'node120',
      'node130',
      'node140',
      'node150',
      'node160',
      'node170',
      'node180',
      'node190',
    ]);
    expect(matching('*.3.1?')).toEqual(nodes(201, 210));
  });

  it.each([
    ['node[001:100', 'range-syntax'],
    ['node]', 'range-syntax'],
    ['node[a:b]', 'range-syntax'],
    ['node[1-5]', 'range-syntax'],
    ['node[100:001]', 'range-backwards'],
    ['10.0.1.0/33', 'cidr-invalid'],
    ['10.0.1/24', 'cidr-invalid'],
    ['10.0.1.300/24', 'cidr-invalid'],
    ['node/1', 'cidr-invalid'],
  ])('refuses %s as %s, naming the term', (term, problem) => {
    expect(readHostFilter(`node001, ${term}`)).toEqual({ ok: false, problem, term });
  });
});

describe('compareHosts', () => {
  const unsorted: FilterableHost[] = [
    { name: 'node10', address: '10.0.0.9' },
    { name: 'node2', address: '10.0.0.10' },
    { name: 'Node1', address: '9.255.0.1' },
  ];
  it('orders names counting their numbers, and addresses as numbers', () => {
    expect([...unsorted].sort(compareHosts('name')).map((host) => host.name)).toEqual(['Node1', 'node2', 'node10']);
    expect([...unsorted].sort(compareHosts('address')).map((host) => host.address)).toEqual([
      '9.255.0.1',
      '10.0.0.9',
      '10.0.0.10',
    ]);
  });
});

describe('readHostFilter over failed checks', () => {
  const checked: FilterableHost[] = [
    { name: 'node1', address: '10.0.0.1', failed: ['swap', 'unique-hostname'] },
    { name: 'node2', address: '10.0.0.2', failed: ['firewall'] },
    { name: 'node3', address: '10.0.0.3', failed: [] },
    { name: 'node4', address: '10.0.1.4' },
  ];
  const names = (text: string) => {
    const filter = readHostFilter(text);
    if (!filter.ok) throw new Error(`${filter.problem}: ${filter.term}`);
    return checked.filter(filter.matches).map((host) => host.name);
  };

  it('matches the hosts where a check with that id failed, the id a glob', () => {
    expect(names('failed:swap')).toEqual(['node1']);
    expect(names('FAILED:Firewall')).toEqual(['node2']);
    expect(names('failed:unique-*')).toEqual(['node1']);
    expect(names('failed:*')).toEqual(['node1', 'node2']);
    expect(names('failed:memory')).toEqual([]);
  });

  it('mixes with the other terms: a host matching any of them', () => {
    expect(names('failed:firewall, 10.0.1.0/24')).toEqual(['node2', 'node4']);
    // A name that merely contains "failed" is a plain term, not a check.
    expect(names('failed')).toEqual([]);
  });

  it.each(['failed:', 'failed:a[1', 'failed:x/y'])('refuses %s, naming the term', (term) => {
    expect(readHostFilter(`node1 ${term}`)).toEqual({ ok: false, problem: 'failed-id', term });
  });
});
