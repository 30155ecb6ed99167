import { describe, expect, it } from 'vitest';
import { defaultForks, forksFor } from '../../../../electron/node/runs/ansible-forks';

describe('forksFor: forks sized to the deploy node', () => {
  it('takes four forks per CPU when memory allows more', () => {
    expect(forksFor({ cpus: 4, memoryMiB: 16_384 }, 200)).toBe(16);
  });

  it('takes one fork per 100 MiB above 2 GiB when CPUs allow more', () => {
    expect(forksFor({ cpus: 32, memoryMiB: 8192 }, 200)).toBe(61);
  });

  it("never goes below Ansible's default of 5 on a small deploy node", () => {
    expect(forksFor({ cpus: 1, memoryMiB: 2048 }, 200)).toBe(defaultForks);
  });

  it('never goes above the hosts in the inventory', () => {
    expect(forksFor({ cpus: 64, memoryMiB: 262_144 }, 6)).toBe(6);
    expect(forksFor({ cpus: 1, memoryMiB: 1024 }, 3)).toBe(3);
  });

  it("keeps Ansible's default without facts (a typed-in deploy node)", () => {
    expect(forksFor(undefined, 150)).toBe(5);
    expect(forksFor(undefined, 2)).toBe(2);
  });

  it('gives at least one fork to an empty inventory', () => {
    expect(forksFor({ cpus: 8, memoryMiB: 32_768 }, 0)).toBe(1);
  });
});
