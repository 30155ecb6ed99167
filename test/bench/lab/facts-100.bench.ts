import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { afterAll, bench, describe } from 'vitest';
import { clockCommand, factsProbeScript, peerProbe } from '../../../electron/node/access/facts-probe';
import { planPeerProbes } from '../../../electron/node/access/peer-probe-plan';
import { labHostCount } from '../../lab/global-setup';
import { eachBounded, labTrim, labUp } from '../../lab/lab';
import { hostName, maxHosts } from '../../lab/lab-network';
import { requireLab } from '../../support/lab';
import { airspray, ansibleSetup, keyLoginToLab } from './lab-key-login';

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

const probes = planPeerProbes(
  hosts.map((address, index) => ({ address, name: hostName(index + 1) })),
  undefined,
);

/** One OpenSSH session per host with airspray's three remote commands, its probes as a here-document. */
function sshProbe(address: string): Promise<void> {
  const { names, ports } = probes.get(address)!;
  const { command, stdin } = peerProbe(names, ports);
  const script = `${clockCommand}\n${factsProbeScript}\n${command} <<'PEERS'\n${stdin}PEERS\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(address), 'sh -s'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${address} exited ${code}`))));
    child.stdin.end(script);
  });
}

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
