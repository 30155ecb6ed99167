import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clockCommand, factsProbeScript, peerProbe } from '../../../electron/node/access/facts-probe';
import { planPeerProbes } from '../../../electron/node/access/peer-probe-plan';
import { eachBounded, execOnHost } from '../../lab/lab';
import { hostAddress, hostName } from '../../lab/lab-network';
import { repoRoot } from '../../support/airspray-serve';

export const run = promisify(execFile);

/** The built CLI as an operator runs it; a failing exit (failed checks) is a result, not an error. */
export const airspray = (args: string[]) =>
  run(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout: string }) => error,
  );

/**
 * One key for ops on the first `hostCount` lab hosts, their host keys accepted by `airspray facts`, and an Ansible
 * inventory with the same login: every side of a facts bench logs in alike.
 */
export async function keyLoginToLab(hostCount: number) {
  const hosts = Array.from({ length: hostCount }, (_, index) => hostAddress(index + 1));
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-bench-'));
  const key = join(workDir, 'id_ed25519');
  const knownHosts = join(workDir, 'known_hosts');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
  const names = Array.from({ length: hostCount }, (_, index) => hostName(index + 1));
  await eachBounded(names, 8, async (name) => {
    await execOnHost(
      name,
      `install -d -m 700 -o ops -g ops /home/ops/.ssh && echo '${publicKey}' > /home/ops/.ssh/authorized_keys && chown ops:ops /home/ops/.ssh/authorized_keys`,
    );
  });
  const factsArgs = ['facts', ...hosts, '--user', 'ops', '--key', key, '--known-hosts', knownHosts];
  await airspray([...factsArgs, '--accept-new']);
  const inventory = join(workDir, 'hosts.ini');
  await writeFile(
    inventory,
    `[lab]\n${hosts.join('\n')}\n\n[lab:vars]\nansible_user=ops\nansible_ssh_private_key_file=${key}\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}'\n`,
  );
  const sshArgs = (address: string) => [
    '-i',
    key,
    '-o',
    'BatchMode=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    `ops@${address}`,
  ];
  return { hosts, factsArgs, inventory, sshArgs };
}

/** `ansible all -m setup` on the inventory, Ansible's defaults (five forks). */
export const ansibleSetup = (inventory: string) =>
  run('ansible', ['all', '-i', inventory, '-m', 'setup'], {
    env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False' },
    maxBuffer: 256 * 1024 * 1024,
  });

/**
 * For each host, one OpenSSH session with the remote commands `airspray facts` runs there (clock, facts probe, peer
 * probe with the same plan), its probes as a here-document: the peer that does the same remote work.
 */
export function sshSameCommands(hosts: string[], sshArgs: (address: string) => string[]) {
  const probes = planPeerProbes(
    hosts.map((address, index) => ({ address, name: hostName(index + 1) })),
    undefined,
  );
  return (address: string): Promise<void> => {
    const { names, ports } = probes.get(address)!;
    const { command, stdin } = peerProbe(names, ports);
    const script = `${clockCommand}\n${factsProbeScript}\n${command} <<'PEERS'\n${stdin}PEERS\n`;
    return new Promise((resolve, reject) => {
      const child = spawn('ssh', [...sshArgs(address), 'sh -s'], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${address} exited ${code}`))));
      child.stdin.end(script);
    });
  };
}
