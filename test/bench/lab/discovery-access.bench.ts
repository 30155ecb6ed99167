import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bench, describe } from 'vitest';
import { factsProbeScript } from '../../../electron/node/access/facts-probe';
import { execOnHost, labUp } from '../../lab/lab';
import { hostAddress, labCidr } from '../../lab/lab-network';
import { repoRoot } from '../../support/airspray-serve';
import { requireLab } from '../../support/lab';

// One run, same lab: a /24 with six live hosts and the sink holding the rest. Both sides are whole processes,
// as an operator would run them. Needs root (the lab) and a built app (npm run build).
const run = promisify(execFile);
const hostCount = 6;
await labUp(hostCount);
await requireLab();
const hosts = Array.from({ length: hostCount }, (_, index) => hostAddress(index + 1));
const workDir = await mkdtemp(join(tmpdir(), 'airspray-bench-'));
const key = join(workDir, 'id_ed25519');
const knownHosts = join(workDir, 'known_hosts');
await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
for (let index = 1; index <= hostCount; index += 1) {
  await execOnHost(
    `lab${index}`,
    `install -d -m 700 -o ops -g ops /home/ops/.ssh && echo '${publicKey}' > /home/ops/.ssh/authorized_keys && chown ops:ops /home/ops/.ssh/authorized_keys`,
  );
}
const airspray = (args: string[]) =>
  run(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout: string }) => error,
  );
const factsArgs = ['facts', ...hosts, '--user', 'ops', '--key', key, '--known-hosts', knownHosts];
await airspray([...factsArgs, '--accept-new']);
const inventory = join(workDir, 'hosts.ini');
await writeFile(
  inventory,
  `[lab]\n${hosts.join('\n')}\n\n[lab:vars]\nansible_user=ops\nansible_ssh_private_key_file=${key}\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}'\n`,
);

function sshProbe(address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ssh',
      ['-i', key, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`, `ops@${address}`, 'sh -s'],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${address} exited ${code}`))));
    child.stdin.end(factsProbeScript);
  });
}

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
  bench(
    'peer: ansible all -m setup',
    async () => {
      await run('ansible', ['all', '-i', inventory, '-m', 'setup'], {
        env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False' },
        maxBuffer: 64 * 1024 * 1024,
      });
    },
    { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 },
  );
});
