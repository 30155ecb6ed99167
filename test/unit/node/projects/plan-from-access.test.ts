import { describe, expect, it } from 'vitest';
import { check } from '../../../../electron/node/access/kubespray-checks';
import { emptyClusterPlan } from '../../../../electron/common/cluster-plan';
import type { AirsprayError } from '../../../../electron/common/errors';
import type { FactsOutcome } from '../../../../electron/common/host-facts';
import type { ProjectDocument } from '../../../../electron/common/project';
import { expandHostPattern } from '../../../../electron/node/projects/host-patterns';
import { addDiscoveredHosts, placeholderName, recordFacts } from '../../../../electron/node/projects/plan-from-access';
import { sampleFacts } from '../../../support/host-facts';

const hostKey = { keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' };

function answered(address: string, hostname: string, failing = false): FactsOutcome {
  const facts = sampleFacts({ hostname, interfaces: [{ name: 'eth0', addresses: [`${address}/24`] }] as never });
  const checks = failing
    ? [
        check('memory', 'preflight.memory.title').fail('preflight.memory.below', {
          memory: 900,
          minimum: 1024,
          role: 'node',
        }),
      ]
    : [];
  return { state: 'ok', address, hostKey, facts, checks } as FactsOutcome;
}

function projectWith(plan = emptyClusterPlan('dc1')): ProjectDocument {
  return {
    schemaVersion: 2,
    id: '0b7e7f3a-3b9e-4a8e-9a53-5a3b3c7b1f11',
    name: 'dc1',
    createdAt: '2026-12-05T00:00:00.000Z',
    updatedAt: '2026-12-05T00:00:00.000Z',
    revision: 3,
    wizard: { step: 'access' },
    cluster: plan,
  };
}

describe('host patterns', () => {
  it("expands ranges keeping the start's leading zeros, several ranges multiplying, and refuses backwards or huge ones", () => {
    expect(expandHostPattern('node[08:11]')).toEqual(['node08', 'node09', 'node10', 'node11']);
    expect(expandHostPattern('10.0.0.[9:11]')).toEqual(['10.0.0.9', '10.0.0.10', '10.0.0.11']);
    expect(expandHostPattern('r[1:2]n[1:2]')).toEqual(['r1n1', 'r1n2', 'r2n1', 'r2n2']);
    expect(expandHostPattern('node1')).toEqual(['node1']);
    const refusal = (pattern: string) => {
      try {
        expandHostPattern(pattern);
      } catch (error) {
        return (error as AirsprayError).i18n;
      }
      throw new Error(`${pattern} was expanded`);
    };
    expect(refusal('node[5:1]')).toEqual({
      id: 'project.host-range-backwards',
      params: { pattern: 'node[5:1]', range: '[5:1]' },
    });
    expect(refusal('n[1:50]m[1:50]')).toEqual({
      id: 'project.host-range-too-large',
      params: { pattern: 'n[1:50]m[1:50]', limit: 1000 },
    });
  });
});

describe('the plan from Discover and Access', () => {
  it('adds swept addresses once under placeholder names, leaving planned ones as they are', () => {
    const first = addDiscoveredHosts(emptyClusterPlan('dc1'), ['10.0.0.11', '10.0.0.12', '10.0.0.11']);
    expect(first.added).toEqual(['10.0.0.11', '10.0.0.12']);
    expect(first.plan.hosts.map((host) => host.name)).toEqual([placeholderName('10.0.0.11'), 'host-10-0-0-12']);
    const again = addDiscoveredHosts(first.plan, ['10.0.0.12', '10.0.0.13']);
    expect(again.added).toEqual(['10.0.0.13']);
    expect(again.plan.hosts).toHaveLength(3);
  });

  it('adds hosts in address order whatever order they answered in', () => {
    const swept = addDiscoveredHosts(emptyClusterPlan('dc1'), ['10.0.0.12', '10.0.0.100', '10.0.0.9']);
    expect(swept.added).toEqual(['10.0.0.9', '10.0.0.12', '10.0.0.100']);
    expect(swept.plan.hosts.map((host) => host.address)).toEqual(['10.0.0.9', '10.0.0.12', '10.0.0.100']);
  });

  it('records facts as the Access step does: the host takes its own name and keeps its roles, a failing host stays out', () => {
    const swept = addDiscoveredHosts(emptyClusterPlan('dc1'), ['10.0.0.11', '10.0.0.12']).plan;
    const withRoles = {
      ...swept,
      hosts: swept.hosts.map((host) => ({ ...host, roles: { ...host.roles, worker: true } })),
    };
    const failed: FactsOutcome = {
      state: 'failed',
      address: '10.0.0.13',
      kind: 'auth-refused',
      message: 'login refused',
    };
    const record = recordFacts(
      projectWith(withRoles),
      [answered('10.0.0.11', 'node1.lan'), answered('10.0.0.12', 'node2', true), failed],
      '2026-12-05T10:00:00.000Z',
    );

    expect(record.recorded).toEqual(['node1']);
    expect(record.leftOut).toEqual([
      { address: '10.0.0.12', reason: 'a pre-flight check failed' },
      { address: '10.0.0.13', reason: 'login refused' },
    ]);
    const node1 = record.next.cluster.hosts.find((host) => host.address === '10.0.0.11');
    expect(node1).toMatchObject({
      name: 'node1',
      roles: { worker: true },
      facts: {
        os: { id: 'debian', version: '12' },
        cpus: 2,
        memoryMiB: 4096,
        addresses: [{ address: '10.0.0.11', prefixLength: 24 }],
        collectedAt: '2026-12-05T10:00:00.000Z',
      },
    });
    expect(record.next.cluster.hosts.map((host) => host.name).sort()).toEqual(['host-10-0-0-12', 'node1']);
  });

  it('records a host whose check failed when the operator says so, never one that did not answer', () => {
    const failed: FactsOutcome = { state: 'failed', address: '10.0.0.13', kind: 'timeout', message: 'no answer' };
    const record = recordFacts(
      projectWith(),
      [answered('10.0.0.12', 'node2', true), failed],
      '2026-12-05T10:00:00.000Z',
      { despiteChecks: true },
    );
    expect(record.recorded).toEqual(['node2']);
    expect(record.leftOut).toEqual([{ address: '10.0.0.13', reason: 'no answer' }]);
  });
});
