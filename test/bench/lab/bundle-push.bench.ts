import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bench, describe } from 'vitest';
import { pushBundle } from '../../../electron/node/deploy/push-bundle';
import { HostKeyStore } from '../../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../../electron/node/ssh/ssh-connection';
import { execOnHost } from '../../lab/lab';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import { writeDeployBundle } from '../../support/deploy-bundle';
import { requireLab } from '../../support/lab';

// One run, same lab host, same disk (/var/lib on the host's overlay, not the tmpfs /tmp), same key: the bundle
// push (with its sha256 check on the node) against OpenSSH's own tools copying the same folder.
const run = promisify(execFile);
await requireLab();
const address = hostAddress(2);
const workDir = await mkdtemp(join(tmpdir(), 'airspray-push-bench-'));
const bundle = await writeDeployBundle(join(workDir, 'bundle'), { largeFiles: 3, largeBytes: 50 * 1024 * 1024, smallFiles: 3000, smallBytes: 2048 });
const key = join(workDir, 'id_ed25519');
const knownHosts = join(workDir, 'known_hosts');
await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
await execOnHost('lab2', `install -d -m 700 -o ops -g ops /home/ops/.ssh && echo '${publicKey}' > /home/ops/.ssh/authorized_keys && chown ops:ops /home/ops/.ssh/authorized_keys && install -d -m 755 -o ops -g ops /var/lib/airspray /var/lib/airspray/bench`);
await run('sh', ['-c', `ssh-keyscan -t ed25519 ${address} > ${knownHosts} 2>/dev/null`]);
const hostKeys = new HostKeyStore(knownHosts);
const privateKey = await readFile(key, 'utf8');
const connect = () => connectSsh({ host: address, port: 22 }, { credential: { user: 'ops', auth: { kind: 'key', privateKey } }, hostKeys }).then((session) => session.client);
const ssh = ['-i', key, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`];
const totalMiB = (bundle.manifest.files.reduce((sum, file) => sum + file.size, 0) / 1024 / 1024).toFixed(0);

let round = 0;
const fresh = (tool: string) => `/var/lib/airspray/bench/${tool}-${(round += 1)}`;
const push = (destination: string) => pushBundle({ bundleDir: bundle.dir, manifest: bundle.manifest, destination, connect, sudoPassword: labAccounts.ops.password });
const unchanged = '/var/lib/airspray/bench/unchanged';
await push(unchanged);

const slow = { iterations: 3, time: 0, warmupIterations: 1 };

describe(`bundle to a lab host's disk: ${totalMiB} MiB, 3 x 50 MiB + 3000 x 2 KiB`, () => {
  bench('airspray push (ssh2: tar stream + parallel SFTP ranges, sha256 on the node)', async () => {
    await push(fresh('airspray'));
  }, slow);
  bench('peer: tar c | ssh host tar x', async () => {
    const destination = fresh('tar');
    await run('sh', ['-c', `tar -C ${bundle.dir} -cf - . | ssh ${ssh.join(' ')} ops@${address} 'mkdir -p ${destination} && tar -C ${destination} -xf -'`]);
  }, slow);
  bench('peer: scp -r', async () => {
    await run('scp', ['-r', '-q', ...ssh, bundle.dir, `ops@${address}:${fresh('scp')}`]);
  }, slow);
});

describe('second push of an unchanged bundle', () => {
  bench('airspray push, nothing to send', async () => {
    const result = await push(unchanged);
    if (result.bytesSent !== 0) throw new Error(`an unchanged bundle sent ${result.bytesSent} bytes`);
  }, { iterations: 5, time: 0, warmupIterations: 1 });
});
