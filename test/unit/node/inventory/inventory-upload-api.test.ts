import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/airspray-serve';
import { coreWithBundle } from '../../../support/core-with-bundle';

const fixtures = join(repoRoot, 'test', 'fixtures', 'inventory');

async function newCore() {
  const { bundlePath, call, reply } = await coreWithBundle(await mkdtemp(join(tmpdir(), 'airspray-inv-upload-')));
  let project = await call('projects.create', { name: 'upload' });
  project = await call('projects.chooseBundle', { id: project.id, revision: project.revision, bundlePath });
  return { call, reply, project };
}

/** A fixture folder as the page uploads it: every file with its path relative to the folder. */
async function uploadOf(folder: string) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(
    files.sort().map(async (path) => ({
      path: relative(folder, path).split('\\').join('/'),
      content: await readFile(path, 'utf8'),
    })),
  );
}

describe('inventory.previewImportFiles and inventory.importFiles through the real dispatcher', () => {
  it('makes of uploaded files exactly the plan the path import makes of the same folder', async () => {
    for (const fixture of ['new-cluster', 'scale-node', 'scale-master']) {
      const { call, project } = await newCore();
      const files = await uploadOf(join(fixtures, fixture));
      expect(files.map((file) => file.path)).toContain('group_vars/all/offline.yml');
      const preview = await call('inventory.previewImportFiles', { id: project.id, files });
      const byPath = await call('inventory.import', {
        id: project.id,
        revision: project.revision,
        path: join(fixtures, fixture),
      });
      const { bundle: _bundle, ...pathPlan } = byPath.project.cluster;
      expect(preview.plan).toEqual(pathPlan);
      expect(preview.notes).toEqual(byPath.notes);
    }
  });

  it('previews without saving, then imports: hosts, roles and settings replaced, bundle kept, secret left out', async () => {
    const { call, project } = await newCore();
    const files = await uploadOf(join(fixtures, 'new-cluster'));
    const preview = await call('inventory.previewImportFiles', { id: project.id, files });
    expect(preview.plan.hosts.map((host) => host.name)).toEqual([
      'master1',
      'master2',
      'master3',
      'worker1',
      'worker2',
    ]);
    expect(preview.plan.settings.kubeProxyMode).toBe('ipvs');
    expect(preview.notes.join('\n')).toMatch(/ansible_become_password looks like a secret and was not imported/);
    const unchanged = await call('projects.open', { id: project.id });
    expect(unchanged.revision).toBe(project.revision);
    expect(unchanged.cluster.hosts).toEqual([]);

    const { project: imported } = await call('inventory.importFiles', {
      id: project.id,
      revision: project.revision,
      files,
    });
    expect(imported.revision).toBe(project.revision + 1);
    expect(imported.cluster.hosts.filter((host) => host.roles.controlPlane).map((host) => host.name)).toEqual([
      'master1',
      'master2',
      'master3',
    ]);
    expect(imported.cluster.hosts.filter((host) => host.roles.worker).map((host) => host.name)).toEqual([
      'worker1',
      'worker2',
    ]);
    expect(imported.cluster.bundle?.bundleId).toBe('ks-2.23.3');
    expect(JSON.stringify(imported)).not.toContain('do-not-import-me');
  });

  it('reads group_vars/<group>.yml beside group_vars/<group>/ files, the folder first', async () => {
    const { call, project } = await newCore();
    const files = [
      {
        path: 'hosts.yaml',
        content:
          'all:\n  hosts:\n    node1: {ansible_host: 10.0.0.11}\n  children:\n    kube_control_plane: {hosts: {node1: {}}}\n    kube_node: {hosts: {node1: {}}}\n    etcd: {hosts: {node1: {}}}\n',
      },
      { path: 'group_vars/k8s_cluster.yml', content: 'kube_proxy_mode: iptables\n' },
      {
        path: 'group_vars/k8s_cluster/k8s-cluster.yml',
        content: 'kube_proxy_mode: ipvs\nkube_network_plugin: cilium\n',
      },
    ];
    const { plan } = await call('inventory.previewImportFiles', { id: project.id, files });
    expect(plan.hosts).toEqual([
      { name: 'node1', address: '10.0.0.11', roles: { controlPlane: true, etcd: true, worker: true, calicoRr: false } },
    ]);
    expect(plan.settings.kubeProxyMode).toBe('iptables');
    expect(plan.settings.networkPlugin).toBe('cilium');
  });

  it('refuses bad uploads naming the field and the fix, and saves nothing', async () => {
    const { call, reply, project } = await newCore();
    const ini = {
      path: 'cluster1.ini',
      content: await readFile(join(fixtures, 'new-cluster', 'cluster1.ini'), 'utf8'),
    };
    const refusals = [
      { files: [], code: 'invalid_params', message: /Choose a hosts.yaml or .ini inventory file/ },
      {
        files: [ini, { ...ini, path: 'other.ini' }],
        code: 'bad_request',
        message: /exactly one hosts.yaml or .ini inventory file \(got cluster1.ini, other.ini\)/,
      },
      { files: [{ path: 'group_vars/all/all.yml', content: 'a: 1\n' }], code: 'bad_request', message: /got none/ },
      {
        files: [ini, { path: 'group_vars/../../etc/passwd.yml', content: '' }],
        code: 'invalid_params',
        message: /group_vars\/<group>\/<name>.yml/,
      },
      { files: [{ ...ini, content: 'x'.repeat(256 * 1024 + 1) }], code: 'invalid_params', message: /at most 256 KiB/ },
      {
        files: [ini, { path: 'group_vars/all.yml', content: '- a list\n' }],
        code: 'bad_request',
        message: /group_vars\/all.yml is not a mapping/,
      },
      {
        files: [{ path: 'hosts.yaml', content: 'all: [\n' }],
        code: 'bad_request',
        message: /hosts.yaml is not valid YAML/,
      },
    ];
    for (const refusal of refusals) {
      const answer = await reply('inventory.importFiles', {
        id: project.id,
        revision: project.revision,
        files: refusal.files,
      });
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe(refusal.code);
      expect(answer.error.message).toMatch(refusal.message);
      if (refusal.code === 'invalid_params' || /exactly one/.test(answer.error.message))
        expect(answer.error.field).toMatch(/^files/);
    }
    const stale = await reply('inventory.importFiles', {
      id: project.id,
      revision: project.revision + 5,
      files: [ini],
    });
    expect(stale.ok ? null : stale.error.code).toBe('stale_revision');
    const after = await call('projects.open', { id: project.id });
    expect(after.revision).toBe(project.revision);
    expect(after.cluster.hosts).toEqual([]);
  });
});
