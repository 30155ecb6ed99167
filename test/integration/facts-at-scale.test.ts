import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialInput } from '../../electron/common/credentials';
import type { FactsOutcome } from '../../electron/common/host-facts';
import { collectFacts } from '../../electron/node/access/collect-facts';
import { kubespray223Platforms } from '../../electron/node/access/preflight';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { labHostCount } from '../lab/global-setup';
import { execOnHost, labCosts, labTrim, labUp } from '../lab/lab';
import { hostAddress, hostName, labAccounts, maxHosts } from '../lab/lab-network';
import { requireLab } from '../support/lab';

/**
 * Facts and pre-flight checks across many hosts at once. 20 hosts in every lab run; AIRSPRAY_LAB_HOSTS=100 for the
 * data-center size (minutes on two cores, see docs/testing.md).
 */
const hostCount = Number(process.env.AIRSPRAY_LAB_HOSTS ?? 20);
const indexes = Array.from({ length: hostCount }, (_, index) => index + 1);
const targets = indexes.map((index) => ({ host: hostAddress(index), port: 22 }));
const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
  sudoPassword: labAccounts.ops.password,
};
const loadText = () =>
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;
/** The checks that compare a host with every other one. */
const isUniqueCheck = (id: string) => id.startsWith('unique-');

let hostKeys: HostKeyStore;
const collect = () =>
  collectFacts(targets, { credential: ops, hostKeys, platforms: kubespray223Platforms, acceptNewHostKeys: true });

const checksOf = (outcome: FactsOutcome | undefined) => {
  if (outcome?.state !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.checks;
};

/** Address to the ids of its failed comparisons; every host must have answered. */
function clashes(outcomes: FactsOutcome[]): Map<string, string[]> {
  const failed = new Map<string, string[]>();
  for (const outcome of outcomes) {
    const ids = checksOf(outcome).filter((check) => isUniqueCheck(check.id) && check.status === 'fail');
    if (ids.length) failed.set(outcome.address, ids.map((check) => check.id).sort());
  }
  return failed;
}

beforeAll(async () => {
  expect(hostCount).toBeGreaterThan(labHostCount);
  expect(hostCount).toBeLessThanOrEqual(maxHosts);
  const startedAt = Date.now();
  await labUp(hostCount);
  const costs = await labCosts();
  const total = (key: 'pssKiB' | 'diskKiB') => costs.reduce((sum, cost) => sum + cost[key], 0) / 1024;
  console.log(
    `lab: ${hostCount} hosts up in ${((Date.now() - startedAt) / 1000).toFixed(0)} s, ` +
      `${total('pssKiB').toFixed(0)} MiB PSS, ${total('diskKiB').toFixed(0)} MiB of writable layers, ${loadText()}`,
  );
  await requireLab();
  hostKeys = new HostKeyStore(join(await mkdtemp(join(tmpdir(), 'airspray-scale-')), 'known_hosts'));
}, 1_800_000);

// Every other lab test expects the usual six hosts and the sink on the rest of the /24.
afterAll(() => labTrim(labHostCount), 300_000);

describe(`facts and pre-flight checks for ${hostCount} lab hosts`, () => {
  it('reads every host and flags none of them as a clone of another', async () => {
    const startedAt = Date.now();
    const outcomes = await collect();
    console.log(`facts: ${hostCount} hosts in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ${loadText()}`);
    expect(clashes(outcomes)).toEqual(new Map());
    const names = outcomes.map((outcome) => (outcome.state === 'ok' ? outcome.facts.hostname : ''));
    expect(names).toEqual(indexes.map(hostName));
    for (const outcome of outcomes) {
      expect(checksOf(outcome).map((check) => check.id)).toEqual(
        expect.arrayContaining(['unique-hostname', 'unique-machine-id', 'unique-mac-host0']),
      );
    }
  }, 900_000);

  it('flags exactly the two hosts that share a hostname and the two that share a machine-id', async () => {
    const [first, second, third, fourth] = indexes.slice(-4).map(hostName) as [string, string, string, string];
    const machineId = (await execOnHost(fourth, 'cat /etc/machine-id')).trim();
    await execOnHost(second, `hostname ${first}`);
    await execOnHost(third, `echo ${machineId} > /etc/machine-id`);
    const outcomes = await collect();
    const address = (name: string) => hostAddress(Number(name.slice('lab'.length)));
    expect(clashes(outcomes)).toEqual(
      new Map([
        [address(first), ['unique-hostname']],
        [address(second), ['unique-hostname']],
        [address(third), ['unique-machine-id']],
        [address(fourth), ['unique-machine-id']],
      ]),
    );
    const twinsOf = (name: string, id: string) =>
      checksOf(outcomes.find((outcome) => outcome.address === address(name))).find((check) => check.id === id)?.i18n
        .message.params;
    expect(twinsOf(first, 'unique-hostname')).toMatchObject({ value: first, twins: address(second) });
    expect(twinsOf(third, 'unique-machine-id')).toMatchObject({ value: machineId, twins: address(fourth) });
  }, 900_000);
});
