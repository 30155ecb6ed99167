import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { repoRoot } from '../support/airspray-serve';
import { requireLab } from '../support/lab';

const run = promisify(execFile);
const airspray = (args: string[]) =>
  run(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

let workDir: string;
beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-cli-'));
  await writeFile(join(workDir, 'password'), `${labAccounts.ops.password}\n`, { mode: 0o600 });
});

describe('airspray discover and facts on the lab', () => {
  it('discover prints one line per address and JSON on request', async () => {
    const text = await airspray(['discover', `${hostAddress(1)}-${hostAddress(2).split('.').at(-1)}`, '10.231.0.250']);
    expect(text.code).toBe(0);
    // Lines come as addresses are classified, not in the order typed.
    expect(text.stdout.trim().split('\n').sort()).toEqual([
      expect.stringMatching(/^10\.231\.0\.11\tssh\tSSH-2\.0-OpenSSH_/),
      expect.stringMatching(/^10\.231\.0\.12\tssh\tSSH-2\.0-OpenSSH_/),
      '10.231.0.250\topen-not-ssh\t220 lab-mail ESMTP Postfix',
    ]);
    const json = await airspray(['discover', '10.231.0.251', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { address: '10.231.0.251', class: 'closed', port: 22, detail: 'connection refused' },
    ]);
  });

  it('discover and facts refuse bad input with the reason, exit 1', async () => {
    const badTarget = await airspray(['discover', '10.231.0.0/33']);
    expect(badTarget.code).toBe(1);
    expect(badTarget.stderr).toContain('"10.231.0.0/33" is not a valid IPv4 CIDR block');
    const overlapping = await airspray(['discover', '10.231.0.0/24', '10.231.0.10-20']);
    expect(overlapping.code).toBe(1);
    expect(overlapping.stderr).toContain('"10.231.0.0/24" and "10.231.0.10-20" overlap');
    expect(overlapping.stdout).toBe('');
    const badRate = await airspray(['discover', '10.231.0.11', '--rate', '0']);
    expect(badRate.code).not.toBe(0);
    expect(badRate.stderr).toContain('--rate 0: Connect attempts per second run from 1 to 100000 (default 2000)');
    const noAuth = await airspray(['facts', hostAddress(1), '--user', 'ops']);
    expect(noAuth.code).toBe(1);
    expect(noAuth.stderr).toContain('Give exactly one of --password-file FILE or --key FILE');
  });

  it('facts refuses an unknown host key without --accept-new, then reads facts with it', async () => {
    const knownHosts = join(workDir, 'known_hosts');
    const common = [
      'facts',
      hostAddress(1),
      '--user',
      'ops',
      '--password-file',
      join(workDir, 'password'),
      '--sudo-password-file',
      join(workDir, 'password'),
      '--known-hosts',
      knownHosts,
    ];
    const refused = await airspray(common);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/FAILED host-key-unknown.*SHA256:/);
    const accepted = await airspray([...common, '--accept-new']);
    // The lab's containers lack ip_vs and dummy and have /proc/sys read-only: kubespray would refuse them too.
    const failures = accepted.stdout.split('\n').filter((line) => line.includes('[fail]'));
    for (const line of failures) expect(line).toMatch(/\[fail\] (Kernel module|sysctl) /);
    expect(accepted.code).toBe(failures.length > 0 ? 1 : 0);
    expect(accepted.stdout).toContain('\tlab1\tDebian GNU/Linux 12 (bookworm)\t');
    expect(accepted.stdout).toContain('[pass] sudo works');
    expect(accepted.stdout).not.toContain(labAccounts.ops.password);
  });

  it('discover and facts with --project put the hosts into the plan, then name and size them by their facts', async () => {
    const dataDir = join(workDir, 'data');
    const password = join(workDir, 'password');
    const inProject = ['--project', 'lab', '--data-dir', dataDir];
    expect((await airspray(['project', 'create', 'lab', '--data-dir', dataDir])).code).toBe(0);
    const swept = await airspray([
      'discover',
      `${hostAddress(1)}-${hostAddress(2).split('.').at(-1)}`,
      '10.231.0.250',
      ...inProject,
    ]);
    expect(swept.code).toBe(0);
    expect(swept.stderr).toContain(`2 host(s) added to lab: ${hostAddress(1)}, ${hostAddress(2)}.`);
    expect((await airspray(['plan', 'roles', hostAddress(1), '--control-plane', '--etcd', ...inProject])).code).toBe(0);

    const facts = await airspray([
      'facts',
      hostAddress(1),
      hostAddress(2),
      '--user',
      'ops',
      '--password-file',
      password,
      '--sudo-password-file',
      password,
      '--accept-new',
      '--despite-checks',
      ...inProject,
    ]);
    expect(facts.stderr).toContain('recorded the facts of 2 host(s) in lab: lab1, lab2.');
    const project = await new ProjectStore(dataDir).findByName('lab');
    expect(
      project.cluster.hosts.map((host) => [host.name, host.address, host.facts?.os.id, host.roles.controlPlane]),
    ).toEqual([
      ['lab1', hostAddress(1), 'debian', true],
      ['lab2', hostAddress(2), 'debian', false],
    ]);
    // The host keys went to the project's own known_hosts, as the Access step keeps them.
    expect(
      (await readFile(join(dataDir, 'projects', project.id, 'known_hosts'), 'utf8')).trim().split('\n'),
    ).toHaveLength(2);
  });
});
