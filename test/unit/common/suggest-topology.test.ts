import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../electron/common/plan-validation';
import { suggestTopology } from '../../../electron/common/suggest-topology';
import { facts, host, planWith } from '../../support/cluster-plans';

const layout = (count: number, memory: (index: number) => number = () => 8192) =>
  Array.from({ length: count }, (_, index) => ({
    ...host(index + 1, ''),
    facts: facts(`10.0.0.${11 + index}`, memory(index + 1)),
  }));
/** `count` hosts dealt in turn over `subnets` /24s (10.1.0.x, 10.1.1.x…), all alike. */
const spreadLayout = (count: number, subnets: number) =>
  Array.from({ length: count }, (_, index) => {
    const address = `10.1.${index % subnets}.${10 + Math.floor(index / subnets)}`;
    return { ...host(index + 1, ''), address, facts: facts(address) };
  });
const letters = (suggestion: ReturnType<typeof suggestTopology>) =>
  suggestion.hosts.map(
    (entry) => `${entry.roles.controlPlane ? 'c' : ''}${entry.roles.etcd ? 'e' : ''}${entry.roles.worker ? 'w' : ''}`,
  );

describe('suggestTopology', () => {
  it('gives one host every role', () => {
    const suggestion = suggestTopology(layout(1));
    expect(letters(suggestion)).toEqual(['cew']);
    expect(suggestion.deployNode).toBe('node1');
    expect(suggestion.reasons.join(' ')).toMatch(/every role/);
  });

  it('gives two hosts one control plane with etcd and one worker, the larger host leading', () => {
    const suggestion = suggestTopology(layout(2, (index) => (index === 2 ? 16384 : 4096)));
    expect(letters(suggestion)).toEqual(['w', 'ce']);
    expect(suggestion.reasons[0]).toMatch(/node2 is the control plane.*most memory/);
  });

  it('makes three hosts control planes, etcd and workers alike', () => {
    expect(letters(suggestTopology(layout(3)))).toEqual(['cew', 'cew', 'cew']);
  });

  it('puts 3 control planes with etcd on the largest of many hosts and the rest to work', () => {
    const suggestion = suggestTopology(layout(6, (index) => (index >= 4 ? 32768 : 8192)));
    expect(letters(suggestion)).toEqual(['w', 'w', 'w', 'ce', 'ce', 'ce']);
    expect(suggestion.reasons.join(' ')).toMatch(/odd/);
  });

  it('separates etcd only when asked and when there are enough hosts, and says why not otherwise', () => {
    expect(letters(suggestTopology(layout(7), { dedicatedEtcd: true }))).toEqual(['c', 'c', 'c', 'e', 'e', 'e', 'w']);
    const tooFew = suggestTopology(layout(5), { dedicatedEtcd: true });
    expect(letters(tooFew)).toEqual(['ce', 'ce', 'ce', 'w', 'w']);
    expect(tooFew.reasons[0]).toMatch(/at least 7 hosts/);
  });

  it('keeps the chosen deploy node and calico_rr roles', () => {
    const hosts = layout(4).map((entry, index) =>
      index === 3 ? { ...entry, roles: { ...entry.roles, calicoRr: true } } : entry,
    );
    const suggestion = suggestTopology(hosts, { currentDeployNode: 'node4' });
    expect(suggestion.deployNode).toBe('node4');
    expect(suggestion.hosts[3]?.roles.calicoRr).toBe(true);
  });

  it('yields plans the validation accepts for every host count from 1 to 9', () => {
    for (let count = 1; count <= 9; count += 1) {
      const suggestion = suggestTopology(layout(count));
      const plan = { ...planWith([]), hosts: suggestion.hosts, deployNode: suggestion.deployNode };
      expect(
        validatePlan(plan).filter((finding) => finding.severity === 'error'),
        `${count} hosts`,
      ).toEqual([]);
    }
  });

  it('gives 3 control planes up to 100 hosts and 5 control planes with 5 etcd above, naming few of the workers', () => {
    const count = (suggestion: ReturnType<typeof suggestTopology>, role: 'controlPlane' | 'etcd' | 'worker') =>
      suggestion.hosts.filter((entry) => entry.roles[role]).length;
    const hundred = suggestTopology(layout(100));
    expect([count(hundred, 'controlPlane'), count(hundred, 'etcd'), count(hundred, 'worker')]).toEqual([3, 3, 97]);
    const large = suggestTopology(spreadLayout(101, 1));
    expect([count(large, 'controlPlane'), count(large, 'etcd'), count(large, 'worker')]).toEqual([5, 5, 96]);
    expect(large.reasons.join(' ')).toMatch(/five keep quorum when two fail/);
    expect(large.reasons.join(' ')).toMatch(/are the workers/);
    expect(large.reasons.join(' ')).toMatch(/and 88 more are the workers/);
    const dedicated = suggestTopology(spreadLayout(500, 3), { dedicatedEtcd: true });
    expect(letters(dedicated).filter((entry) => entry === 'c')).toHaveLength(5);
    expect(letters(dedicated).filter((entry) => entry === 'e')).toHaveLength(5);
  });

  it('spreads the control planes over the /24s the hosts are in, and says so', () => {
    const suggestion = suggestTopology(spreadLayout(500, 3));
    const subnets = suggestion.hosts
      .filter((entry) => entry.roles.controlPlane)
      .map((entry) => entry.address.split('.').slice(0, 3).join('.'));
    expect(subnets.sort()).toEqual(['10.1.0', '10.1.0', '10.1.1', '10.1.1', '10.1.2']);
    expect(suggestion.reasons.join(' ')).toMatch(/spread over 10\.1\.0\.0\/24, 10\.1\.1\.0\/24, 10\.1\.2\.0\/24/);
    const oneSubnet = suggestTopology(layout(6));
    expect(oneSubnet.reasons.join(' ')).not.toMatch(/spread/);
  });
});
