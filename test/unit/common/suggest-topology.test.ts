import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../electron/common/plan-validation';
import { suggestTopology } from '../../../electron/common/suggest-topology';
import { facts, host, planWith } from '../../support/cluster-plans';

const layout = (count: number, memory: (index: number) => number = () => 8192) =>
  Array.from({ length: count }, (_, index) => ({
    ...host(index + 1, ''),
    facts: facts(`10.0.0.${11 + index}`, memory(index + 1)),
  }));
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
});
