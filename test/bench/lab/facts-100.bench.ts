import { loadavg } from 'node:os';
import { afterAll, bench, describe } from 'vitest';
import { labHostCount } from '../../lab/global-setup';
import { eachBounded, labTrim, labUp } from '../../lab/lab';
import { maxHosts } from '../../lab/lab-network';
import { requireLab } from '../../support/lab';
import { airspray, ansibleSetup, keyLoginToLab, sshSameCommands } from './lab-key-login';

// Issue #18: facts for a hundred hosts. Every side is a whole process as an operator would run it, logging in with
// the same key; the OpenSSH side runs the remote commands airspray runs (clock, facts probe, peer probe), at the
// core's concurrency (collectFacts' default, 32). Needs root (the lab) and a built app (npm run build).
const hostCount = maxHosts;
const concurrency = 32;
const startedAt = Date.now();
await labUp(hostCount);
console.log(`lab: ${hostCount} hosts up in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
await requireLab();
afterAll(() => labTrim(labHostCount));
const { hosts, factsArgs, inventory, sshArgs } = await keyLoginToLab(hostCount);

const sshProbe = sshSameCommands(hosts, sshArgs);

const once = { iterations: 3, time: 0, warmupIterations: 0 };
const logLoad = () =>
  console.log(
    `load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );

describe(`facts for ${hostCount} lab hosts`, () => {
  bench(
    'airspray facts',
    async () => {
      logLoad();
      await airspray(factsArgs);
    },
    once,
  );
  bench(
    `peer: OpenSSH, ${concurrency} at a time, clock + facts probe + peer probe`,
    async () => {
      logLoad();
      await eachBounded(hosts, concurrency, sshProbe);
    },
    once,
  );
  bench(
    'peer: ansible all -m setup (default forks)',
    async () => {
      logLoad();
      await ansibleSetup(inventory);
    },
    { iterations: 1, time: 0, warmupIterations: 0 },
  );
});
