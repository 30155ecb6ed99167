import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot } from '../support/airspray-serve';
import { requireLab } from '../support/lab';

const run = promisify(execFile);
const airspray = (args: string[]) =>
  run(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args]).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
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
    expect(text.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^10\.231\.0\.11\tssh\tSSH-2\.0-OpenSSH_/),
      expect.stringMatching(/^10\.231\.0\.12\tssh\tSSH-2\.0-OpenSSH_/),
      '10.231.0.250\topen-not-ssh\t220 lab-mail ESMTP Postfix',
    ]);
    const json = await airspray(['discover', '10.231.0.251', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ address: '10.231.0.251', class: 'closed', port: 22, detail: 'connection refused' }]);
  });

  it('discover and facts refuse bad input with the reason, exit 1', async () => {
    const badTarget = await airspray(['discover', '10.231.0.0/33']);
    expect(badTarget.code).toBe(1);
    expect(badTarget.stderr).toContain('"10.231.0.0/33" is not a valid IPv4 CIDR block');
    const noAuth = await airspray(['facts', hostAddress(1), '--user', 'ops']);
    expect(noAuth.code).toBe(1);
    expect(noAuth.stderr).toContain('Give exactly one of --password-file FILE or --key FILE');
  });

  it('facts refuses an unknown host key without --accept-new, then reads facts with it', async () => {
    const knownHosts = join(workDir, 'known_hosts');
    const common = ['facts', hostAddress(1), '--user', 'ops', '--password-file', join(workDir, 'password'), '--sudo-password-file', join(workDir, 'password'), '--known-hosts', knownHosts];
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
});
