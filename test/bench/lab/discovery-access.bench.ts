import { spawn } from 'node:child_process';
import { bench, describe } from 'vitest';
import { factsProbeScript } from '../../../electron/node/access/facts-probe';
import { labUp } from '../../lab/lab';
import { labCidr } from '../../lab/lab-network';
import { requireLab } from '../../support/lab';
import { airspray, ansibleSetup, keyLoginToLab, run, sshSameCommands } from './lab-key-login';

// One run, same lab: a /24 with six live hosts and the sink holding the rest. Both sides are whole processes,
// as an operator would run them. Needs root (the lab) and a built app (npm run build).
const hostCount = 6;
await labUp(hostCount);
await requireLab();
const { hosts, factsArgs, inventory, sshArgs } = await keyLoginToLab(hostCount);

function sshProbe(address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(address), 'sh -s'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${address} exited ${code}`))));
    child.stdin.end(factsProbeScript);
  });
}

const sameCommands = sshSameCommands(hosts, sshArgs);

const slow = { iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 };

describe(`sweep of ${labCidr}, port 22`, () => {
  bench(
    'airspray discover',
    async () => {
      await airspray(['discover', labCidr]);
    },
    slow,
  );
  bench(
    'peer: nmap -sT -p22 -n -Pn -T4',
    async () => {
      await run('nmap', ['-sT', '-p22', '-n', '-Pn', '-T4', labCidr]);
    },
    slow,
  );
});

describe(`facts for ${hostCount} lab hosts`, () => {
  bench(
    'airspray facts',
    async () => {
      await airspray(factsArgs);
    },
    slow,
  );
  bench(
    'peer: parallel OpenSSH ssh host "sh -s" < probe',
    async () => {
      await Promise.all(hosts.map(sshProbe));
    },
    slow,
  );
  // The same remote work as airspray (clock, facts probe, peer probe) in one OpenSSH session per host.
  bench(
    'peer: parallel OpenSSH, clock + facts probe + peer probe',
    async () => {
      await Promise.all(hosts.map(sameCommands));
    },
    slow,
  );
  bench(
    'peer: ansible all -m setup',
    async () => {
      await ansibleSetup(inventory);
    },
    { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 },
  );
});
