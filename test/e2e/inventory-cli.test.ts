import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { repoRoot } from '../support/airspray-serve';

const exec = promisify(execFile);
const seedTalk = (name: string) => join(repoRoot, 'test', 'fixtures', 'inventory', name);

/** Runs the built CLI as a user would and returns its exit code and output. */
async function airspray(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let dataDir: string;
beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-cli-')), 'data');
  await new ProjectStore(dataDir).create('cluster1');
});

/** `airspray inventory export` of `project` into the test's data folder, to `out`, in `format` when given. */
function exportInventory(project: string, out: string, format?: string) {
  const formatArgs = format === undefined ? [] : ['--format', format];
  return airspray('inventory', 'export', '--project', project, '--data-dir', dataDir, '--out', out, ...formatArgs);
}

describe('airspray inventory (built CLI)', () => {
  it('imports the seed talk cluster1.ini by project name and prints what it did not keep', async () => {
    const result = await airspray(
      'inventory',
      'import',
      join(seedTalk('new-cluster'), 'cluster1.ini'),
      '--project',
      'cluster1',
      '--data-dir',
      dataDir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported 5 host\(s\) into cluster1/);
    expect(result.stdout).toMatch(/note: ansible_become_password looks like a secret/);
  });

  it('validate exits 1 on errors and lists them as JSON; the imported plan lacks only its bundle, which is a warning', async () => {
    const json = await airspray('inventory', 'validate', '--project', 'cluster1', '--data-dir', dataDir, '--json');
    const report = JSON.parse(json.stdout) as { errors: number; findings: { rule: string; severity: string }[] };
    expect(report.findings.map((finding) => finding.rule)).toContain('bundle-missing');
    expect(json.code).toBe(report.errors > 0 ? 1 : 0);
    expect(report.errors).toBe(0);

    await airspray('inventory', 'import', seedTalk('scale-node'), '--project', 'cluster1', '--data-dir', dataDir);
    const broken = join(await mkdtemp(join(tmpdir(), 'airspray-cli-even-')), 'even.ini');
    await writeFile(
      broken,
      '[all]\nn1 ansible_host=10.9.0.1\nn2 ansible_host=10.9.0.2\n[kube_control_plane]\nn1\n[etcd]\nn1\nn2\n[kube_node]\nn2\n',
    );
    await airspray('inventory', 'import', broken, '--project', 'cluster1', '--data-dir', dataDir);
    const text = await airspray('inventory', 'validate', '--project', 'cluster1', '--data-dir', dataDir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/error: 2 etcd members/);
  });

  it('exports a folder, a zip and a tar.gz, and refuses an unknown project by name', async () => {
    await airspray('inventory', 'import', seedTalk('scale-master'), '--project', 'cluster1', '--data-dir', dataDir);
    const out = await mkdtemp(join(tmpdir(), 'airspray-cli-out-'));
    const folder = await exportInventory('cluster1', join(out, 'inv'));
    expect(folder.code).toBe(0);
    expect((await readdir(join(out, 'inv'))).sort()).toEqual(['group_vars', 'hosts.yaml', 'inventory.ini']);
    expect(await readFile(join(out, 'inv', 'inventory.ini'), 'utf8')).toContain(
      '[kube_control_plane]\nmaster1\nmaster2\nmaster3\nmaster4\nmaster5\n',
    );
    expect((await exportInventory('cluster1', join(out, 'i.zip'), 'zip')).code).toBe(0);
    expect((await exec('unzip', ['-Z1', join(out, 'i.zip')])).stdout).toContain('cluster1-inventory/hosts.yaml');
    expect((await exportInventory('cluster1', join(out, 'i.tgz'), 'tar.gz')).code).toBe(0);
    expect((await exec('tar', ['-tzf', join(out, 'i.tgz')])).stdout).toContain(
      'cluster1-inventory/group_vars/k8s_cluster/k8s-cluster.yml',
    );

    const missing = await exportInventory('nope', join(out, 'x'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No project named "nope".*cluster1/);
    const badFormat = await exportInventory('cluster1', join(out, 'x'), 'rar');
    expect(badFormat.code).not.toBe(0);
    expect(badFormat.stderr).toMatch(/--format takes folder, zip, tar.gz/);
  });
});
