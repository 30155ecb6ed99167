import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeChosenBundle } from '../../electron/node/inventory/inventory-service';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { projectKnownHostsFile } from '../../electron/node/ssh/host-key-store';
import { repoRoot } from '../support/airspray-serve';
import { writeBundleFolder } from '../support/bundle-fixtures';
import { planWith } from '../support/cluster-plans';

const exec = promisify(execFile);

/** Runs the built CLI as a user would (in `cwd`, default the checkout) and returns its exit code and output. */
async function airsprayIn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const airspray = (...args: string[]) => airsprayIn(repoRoot, ...args);

let root: string;
let source: string;
let bundles: string;

/** A project "lab" with hosts, roles, bundle, login reference and one pinned host key, written as the window would. */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-plan-cli-'));
  source = join(root, 'source');
  bundles = join(root, 'bundles');
  const bundlePath = await writeBundleFolder(bundles, 'ks-test', {
    bundleId: 'ks-test',
    kubesprayVersion: '2.23.3',
    kubernetesVersions: ['1.27.10'],
  });
  const store = new ProjectStore(source);
  const created = await store.create('lab');
  const bundle = await describeChosenBundle([{ path: bundles, source: 'option' }], bundlePath);
  await store.update(created.id, created.revision, (project) => ({
    ...project,
    cluster: planWith(['ce', 'w'], { bundle }),
    login: { user: 'ops', passwordEnv: 'AIRSPRAY_SSH_PASSWORD' },
  }));
  await writeFile(
    projectKnownHostsFile(source, created.id),
    '10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPopTVLCoXymaK8tEAlCAtyq3wCCYzIeoSNzUpWtgwvj\n',
  );
});

describe('airspray plan export and airspray apply (built CLI)', () => {
  it('round-trips a project through a plan file into an empty data folder; a second apply has nothing to change', async () => {
    const out = join(root, 'repo', 'lab.plan.yaml');
    const exported = await airspray('plan', 'export', '--project', 'lab', '--data-dir', source, '--out', out);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('2 host(s), 1 host key(s)');
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=airspray-plan-v1.schema.json');
    expect(await readFile(join(root, 'repo', 'airspray-plan-v1.schema.json'), 'utf8')).toBe(
      await readFile(join(repoRoot, 'docs', 'airspray-plan-v1.schema.json'), 'utf8'),
    );

    const target = join(root, 'target');
    const dryRun = await airspray('apply', out, '--data-dir', target, '--bundles-dir', bundles, '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/create project lab\n[\s\S]*\nDry run: nothing was saved\.\n$/);
    expect(await new ProjectStore(target).list()).toEqual([]);

    const applied = await airspray('apply', out, '--data-dir', target, '--bundles-dir', bundles);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /^Changes to project lab:\n {2}create project lab\n {2}add host node1 10\.0\.0\.11 \(roles: controlPlane, etcd\)\n/,
    );
    expect(applied.stdout).toMatch(/trust host key 10\.0\.0\.11 ssh-ed25519 SHA256:/);
    expect(applied.stdout).toContain('Saved project lab at revision 1.');

    const again = await airspray('plan', 'export', '--project', 'lab', '--data-dir', target, '--out', '-');
    expect(again.stdout).toBe(text);
    const twice = await airspray('apply', out, '--data-dir', target);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toBe(`Nothing to change: project lab matches ${out} (revision 1).\n`);
  });

  it('refuses a file with a secret in it, naming file, line and field, and saves nothing', async () => {
    const target = join(root, 'refused');
    const out = join(root, 'lab.plan.yaml');
    await airspray('plan', 'export', '--project', 'lab', '--data-dir', source, '--out', out);
    const project = await new ProjectStore(source).findByName('lab');
    const before = await readFile(join(source, 'projects', project.id, 'project.json'), 'utf8');
    const text = await readFile(out, 'utf8');
    const line = text.split('\n').findIndex((row) => row.includes('passwordEnv:')) + 1;
    await writeFile(
      join(root, 'bad.plan.yaml'),
      text.replace('passwordEnv: AIRSPRAY_SSH_PASSWORD', 'password: hunter2'),
    );

    for (const dataDir of [source, target]) {
      const refused = await airsprayIn(root, 'apply', 'bad.plan.yaml', '--data-dir', dataDir, '--bundles-dir', bundles);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `airspray: bad.plan.yaml is refused and nothing was saved (1 problem):\n  bad.plan.yaml:${line}:3: login.password: "password" is a secret written inline`,
      );
      expect(refused.stderr).not.toContain('hunter2');
    }
    expect(await readFile(join(source, 'projects', project.id, 'project.json'), 'utf8')).toBe(before);
    expect(await new ProjectStore(target).list()).toEqual([]);
  });
});
