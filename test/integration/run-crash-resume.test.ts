import { createHash } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions, RunRecord } from '../../electron/common/run';
import { execOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';
import type { ApiClient } from '../support/api-client';
import { serveWithApi, type ServedApi } from '../support/airspray-serve';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { createFixtureCluster, opsProfile, prepareFixtureDeployNode } from '../support/fixture-cluster';
import { requireLab } from '../support/lab';
import { seededRandom } from '../support/seeded-random';
import { trustHosts } from '../support/trust-hosts';

// A run whose `airspray serve` is SIGKILLed at seeded random points and re-attached by a new server each time must
// end as an uninterrupted run of the same playbook does. AIRSPRAY_CRASH_SEED replays a failing sequence.
const seed = Number(process.env.AIRSPRAY_CRASH_SEED ?? Date.now() % 1_000_000);
const keyPassphrase = 'crash resume test passphrase';
const options: RunOptions = { playbook: 'cluster.yml', extraVars: { airspray_fixture_sleep: 8 } };

let dataDir: string;
let projectId: string;
let server: ServedApi;
let api: ApiClient;
let credentialId: string;

async function startServer(): Promise<void> {
  server = await serveWithApi(['--data-dir', dataDir]);
  api = server.api;
  credentialId = (await api.call('credentials.add', { credential: opsProfile, persist: false })).id;
}

const isFinished = (runId: string) => (event: string, payload: unknown) =>
  event === 'runs.updated' && (payload as RunRecord).id === runId && (payload as RunRecord).state !== 'running';

async function startRun(): Promise<string> {
  return (
    await api.call('runs.start', { projectId, credentialId, keyPassphrase, options, kubesprayDir: fixtureKubesprayDir })
  ).id;
}

/** What must not depend on interruptions: how it ended and what the parser made of the whole log. */
async function outcomeOf(runId: string) {
  const run = await api.call('runs.get', { projectId, runId });
  const log = Buffer.from((await api.call('runs.log', { projectId, runId, from: 0 })).data, 'base64');
  const { state, exitCode, logBytes, digest } = run;
  return { record: { state, exitCode, digest: { ...digest, play: undefined, task: undefined } }, logBytes, log };
}

/**
 * Lines in order of appearance differ between runs only where two hosts answer in either order, and so do the hosts
 * of an `included: … for a, b` line (Ansible lists them as they finish): both are compared sorted.
 */
const sortedLines = (log: Buffer) =>
  log
    .toString()
    .split('\n')
    // Colour codes off first: Ansible colours an `included:` line, so the pattern below never met one.
    .map((line) => stripVTControlCharacters(line))
    .map((line) =>
      line.replace(
        /^(included: .* for )(.*)$/,
        (_, head: string, hosts: string) => head + hosts.split(', ').sort().join(', '),
      ),
    )
    .sort();

beforeAll(async () => {
  await requireLab();
  await prepareFixtureDeployNode();
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-run-crash-')), 'data');
  await startServer();
  projectId = (await createFixtureCluster(api, 'crash-resume')).id;
  await trustHosts(api, projectId, credentialId, [1, 2, 3].map(hostAddress));
  const keys = await api.call('deploy.bootstrapKeys', { projectId, credentialId, keyPassphrase });
  expect(keys.hosts.every((host) => host.ok)).toBe(true);
  // The first run changes the hosts (the node marker); the two compared below both find them as it left them.
  const warmUp = await startRun();
  await api.waitForEvent(isFinished(warmUp), 120_000);
}, 240_000);

describe('a run interrupted at random points and resumed', () => {
  it('ends in the same state, with the same log, as an uninterrupted run', async () => {
    const reference = await startRun();
    await api.waitForEvent(isFinished(reference), 120_000);
    const expected = await outcomeOf(reference);
    expect(expected.record).toMatchObject({ state: 'succeeded', exitCode: 0 });

    const random = seededRandom(seed);
    const runId = await startRun();
    const kills: number[] = [];
    const statesAtRestart: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      const delay = 200 + Math.floor(random() * 3000);
      await sleep(delay);
      if (api.events.some((entry) => isFinished(runId)(entry.event, entry.payload))) break;
      api.close();
      await server.serve.crash();
      kills.push(delay);
      await startServer();
      statesAtRestart.push((await api.call('runs.get', { projectId, runId })).state);
      await api.call('runs.attach', { projectId, runId, credentialId, keyPassphrase });
    }
    console.log(`run crash/resume: seed ${seed} (AIRSPRAY_CRASH_SEED), SIGKILLs after ${kills.join(', ')} ms`);
    expect(kills.length).toBeGreaterThan(0);
    // The first kill came mid-run: the restarted server found it still running and had to resume it.
    expect(statesAtRestart[0]).toBe('running');
    await api.waitForEvent(isFinished(runId), 180_000);
    const resumed = await outcomeOf(runId);

    expect(resumed.record).toEqual(expected.record);
    // Every byte of the node's log arrived once, in order: the local copy is the remote file.
    const remoteSha = (await execOnHost('lab1', `sha256sum /var/lib/airspray/runs/${runId}/log`)).split(' ')[0];
    expect(createHash('sha256').update(resumed.log).digest('hex')).toBe(remoteSha);
    expect(resumed.logBytes).toBe(resumed.log.length);
    expect(sortedLines(resumed.log)).toEqual(sortedLines(expected.log));
    await server.close();
  }, 400_000);
});
