import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions, RunRecord } from '../../electron/common/run';
import { remoteFactsDir } from '../../electron/node/deploy/remote-layout';
import { NodeLifecycleService } from '../../electron/node/runs/node-lifecycle-service';
import type { RunService } from '../../electron/node/runs/run-service';
import { createServices } from '../../electron/node/services';
import { execOnHost } from '../lab/lab';
import { hostAddress } from '../lab/lab-network';
import { fixtureKubesprayDir } from '../support/deploy-node';
import { opsProfile, prepareFixtureDeployNode, serveFixtureCluster } from '../support/fixture-cluster';
import { requireLab } from '../support/lab';

/**
 * The fact cache on the deploy node (lab1) between runs, and a worker added by kubespray's procedure: facts.yml over
 * every host, then scale.yml limited to the new worker (lab6), which knows the control plane (lab2) from the cache.
 */
const keyPassphrase = 'fact-cache-lab';
const login = { credential: opsProfile, keyPassphrase };
const cluster = 'facts';
const cacheDir = remoteFactsDir(cluster);
let runs: RunService;
let lifecycle: NodeLifecycleService;
let projectId: string;

async function runToEnd(options: RunOptions): Promise<RunRecord> {
  const started = await runs.start({ projectId, ...login, options, kubesprayDir: fixtureKubesprayDir });
  return runs.whenEnded(projectId, started.id);
}

/** The cache's files with owner and mtime (ns), one line each: `lab2 ops 1700000000.123456789`. */
async function cacheFiles(): Promise<Map<string, string>> {
  const text = await execOnHost('lab1', `cd ${cacheDir} && stat -c '%n %U %.9Y' * 2>/dev/null || true`);
  return new Map(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.split(' ')[0]!, line.split(' ').slice(1).join(' ')]),
  );
}

/** Rounds of the measurement: one by default (a lab run stays short), more with AIRSPRAY_FACT_CACHE_ROUNDS. */
const rounds = Number(process.env.AIRSPRAY_FACT_CACHE_ROUNDS ?? '1');

const controlPlaneAddresses = () => execOnHost('lab6', 'cat /var/tmp/airspray-fixture-control-plane-addresses');

beforeAll(async () => {
  await requireLab();
  const dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-facts-')), 'data');
  const served = await serveFixtureCluster(dataDir, cluster, { workers: [3, 6], trusted: [1, 2, 3, 6], keyPassphrase });
  projectId = served.projectId;
  await served.close();
  await prepareFixtureDeployNode([3, 6]);
  await execOnHost('lab1', `rm -rf ${cacheDir}`);
  await execOnHost('lab6', 'rm -f /var/tmp/airspray-fixture-control-plane-addresses');
  const services = createServices({ dataDir, bundleLocations: [], version: 'test' });
  runs = services.runs({ listener: { output: () => undefined, updated: () => undefined } });
  lifecycle = new NodeLifecycleService({ projects: services.projects, runs });
}, 300_000);

describe('the fact cache on the deploy node', () => {
  it('keeps a file per host, owned by the run user, in the cluster folder; forks bounded by the hosts', async () => {
    const run = await runToEnd({ playbook: 'playbooks/facts.yml' });
    expect(run.state).toBe('succeeded');
    // lab1 is the deploy node without facts or a role: Ansible's 5 forks, cut to the three hosts of the inventory.
    expect(run.commandLine).toContain("'--forks' '3'");
    const files = await cacheFiles();
    expect([...files.keys()].sort()).toEqual(['lab2', 'lab3', 'lab6']);
    for (const owner of files.values()) expect(owner).toMatch(/^ops /);
    expect(await execOnHost('lab1', `stat -c %a ${cacheDir}`)).toBe('700\n');
  }, 180_000);

  it('adds a worker with facts.yml then scale.yml limited to it, which knows the others from the cache', async () => {
    const done = await (
      await lifecycle.begin(projectId, { action: 'add', hosts: ['lab6'] }, login, fixtureKubesprayDir)
    ).advancing;
    expect([done.state, done.message]).toEqual(['succeeded', undefined]);
    const ran = (await runs.list(projectId)).slice(0, 2).reverse();
    expect(ran.map((run) => [run.playbook, run.options?.limit, run.state])).toEqual([
      ['playbooks/facts.yml', undefined, 'succeeded'],
      ['scale.yml', 'lab6', 'succeeded'],
    ]);
    expect(Object.keys(ran[0]!.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab3', 'lab6']);
    expect(Object.keys(ran[1]!.digest.recap ?? {})).toEqual(['lab6']);
    expect((await controlPlaneAddresses()).trim().split(',')).toContain(hostAddress(2));
  }, 240_000);

  it('without the cache, the same limited scale.yml does not know the control plane', async () => {
    const before = await cacheFiles();
    await execOnHost('lab1', `rm -f ${cacheDir}/lab2`);
    const run = await runToEnd({ playbook: 'scale.yml', limit: 'lab6' });
    expect(run.state).toBe('succeeded');
    expect(await controlPlaneAddresses()).toBe('\n');
    // The limited run gathered nobody else: lab3's cached facts were not touched.
    expect((await cacheFiles()).get('lab3')).toBe(before.get('lab3'));
  }, 180_000);

  it('measures adding one worker: scale.yml over every host against facts.yml then scale.yml --limit', async () => {
    const seconds = async (options: RunOptions[]) => {
      const start = performance.now();
      for (const step of options) expect((await runToEnd(step)).state).toBe('succeeded');
      return ((performance.now() - start) / 1000).toFixed(1);
    };
    const figures: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const whole = await seconds([{ playbook: 'scale.yml' }]);
      const limited = await seconds([{ playbook: 'playbooks/facts.yml' }, { playbook: 'scale.yml', limit: 'lab6' }]);
      const warm = await seconds([{ playbook: 'scale.yml', limit: 'lab6' }]);
      const load = (await execOnHost('lab1', 'cut -d" " -f1-3 /proc/loadavg')).trim();
      figures.push(
        `round ${round + 1}: unlimited ${whole} s, facts+limited ${limited} s, limited ${warm} s, load ${load}`,
      );
    }
    console.log(`fact cache figures (stand-in, 3 hosts):\n${figures.join('\n')}`);
    expect(figures).toHaveLength(rounds);
  }, 600_000);
});
