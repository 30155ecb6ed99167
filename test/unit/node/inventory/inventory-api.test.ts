import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../../electron/common/api';
import { repoRoot } from '../../../support/airspray-serve';
import { coreWithBundle } from '../../../support/core-with-bundle';
import { host } from '../../../support/cluster-plans';

const run = promisify(execFile);

async function newCore(options: { chooseSavePath?: (name: string) => Promise<string | null> } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'airspray-inv-api-'));
  const { bundlePath, call, core } = await coreWithBundle(root, {
    shell: options.chooseSavePath ? 'desktop' : 'browser',
    ...options,
  });
  return { root, bundlePath, call, core };
}

const planOf = (project: ApiResult<'projects.open'>) => ({
  hosts: project.cluster.hosts,
  deployNode: project.cluster.deployNode,
  settings: project.cluster.settings,
});

/** A project with a bundle, three hosts typed in with roles and a deploy node: ready to export. */
/** A core (see newCore) with the project readyProject makes. */
async function coreWithProject(options: Parameters<typeof newCore>[0] = {}) {
  const core = await newCore(options);
  return { ...core, project: await readyProject(core.call, core.bundlePath) };
}

async function readyProject(call: Awaited<ReturnType<typeof newCore>>['call'], bundlePath: string) {
  let project = await call('projects.create', { name: 'lab' });
  project = await call('projects.chooseBundle', { id: project.id, revision: project.revision, bundlePath });
  project = await call('projects.setHosts', {
    id: project.id,
    revision: project.revision,
    hosts: [host(1, 'cew', false), host(2, 'cew', false), host(3, 'cew', false)].map(({ name, address }) => ({
      name,
      address,
    })),
  });
  const hosts = project.cluster.hosts.map((entry) => ({
    ...entry,
    roles: { controlPlane: true, etcd: true, worker: true, calicoRr: false },
  }));
  return call('projects.savePlan', {
    id: project.id,
    revision: project.revision,
    hosts,
    deployNode: 'node1',
    settings: { ...project.cluster.settings, kubernetesVersion: '1.27.10' },
  });
}

describe('inventory API', () => {
  it('snapshots the chosen bundle with its manifest digest', async () => {
    const { bundlePath, project } = await coreWithProject();
    const digest = (await run('sha256sum', [join(bundlePath, 'manifest.json')])).stdout.split(' ')[0];
    expect(project.cluster.bundle).toEqual({
      bundleId: 'ks-2.23.3',
      kubesprayVersion: '2.23.3',
      kubernetesVersions: ['1.27.10'],
      manifestSha256: digest,
    });
  });

  it('keeps roles of hosts that stay when discovery sends the host list again, and drops a vanished deploy node', async () => {
    const { call, project } = await coreWithProject();
    const next = await call('projects.setHosts', {
      id: project.id,
      revision: project.revision,
      hosts: [
        {
          name: 'node2',
          address: '10.0.0.12',
          facts: {
            os: { id: 'debian', version: '12' },
            arch: 'x86_64',
            cpus: 2,
            memoryMiB: 4096,
            addresses: [{ address: '10.0.0.12', prefixLength: 24 }],
          },
        },
      ],
    });
    expect(next.cluster.hosts).toEqual([
      expect.objectContaining({
        name: 'node2',
        roles: { controlPlane: true, etcd: true, worker: true, calicoRr: false },
      }),
    ]);
    expect(next.cluster.hosts[0]?.facts?.memoryMiB).toBe(4096);
    expect(next.cluster.deployNode).toBeNull();
  });

  it('previews the files with a diff status against the last export, and exports deterministic archives', async () => {
    const { call, root, project } = await coreWithProject();
    const before = await call('inventory.preview', { id: project.id });
    expect(before.lastExportAt).toBeNull();
    expect(before.files.map((file) => `${file.status} ${file.path}`)).toEqual([
      'new hosts.yaml',
      'new inventory.ini',
      'new group_vars/all/all.yml',
      'new group_vars/all/offline.yml',
      'new group_vars/k8s_cluster/k8s-cluster.yml',
      'new group_vars/k8s_cluster/addons.yml',
    ]);

    const zip = await call('inventory.exportArchive', { id: project.id, format: 'zip' });
    const again = await call('inventory.exportArchive', { id: project.id, format: 'zip' });
    expect(zip.fileName).toBe('lab-inventory.zip');
    expect(again.base64).toBe(zip.base64);
    await writeFile(join(root, zip.fileName), Buffer.from(zip.base64, 'base64'));
    expect((await run('unzip', ['-Z1', join(root, zip.fileName)])).stdout.trim().split('\n')).toContain(
      'lab-inventory/group_vars/all/offline.yml',
    );

    const tar = await call('inventory.exportArchive', { id: project.id, format: 'tar.gz' });
    expect((await call('inventory.exportArchive', { id: project.id, format: 'tar.gz' })).base64).toBe(tar.base64);
    await writeFile(join(root, tar.fileName), Buffer.from(tar.base64, 'base64'));
    expect((await run('tar', ['-tzf', join(root, tar.fileName)])).stdout).toContain('lab-inventory/hosts.yaml');

    const current = await call('projects.open', { id: project.id });
    await call('projects.savePlan', {
      ...planOf(current),
      id: current.id,
      revision: current.revision,
      settings: { ...current.cluster.settings, kubeProxyMode: 'iptables' },
    });
    const after = await call('inventory.preview', { id: project.id });
    expect(after.lastExportAt).not.toBeNull();
    const changed = after.files.filter((file) => file.status === 'changed');
    expect(changed.map((file) => file.path)).toEqual(['group_vars/k8s_cluster/k8s-cluster.yml']);
    expect(changed[0]?.previous).toContain('kube_proxy_mode: ipvs');
    expect(changed[0]?.content).toContain('kube_proxy_mode: iptables');
  });

  it('refuses to export a plan with errors, naming them; warnings do not block', async () => {
    const { call, project } = await coreWithProject();
    const broken = await call('projects.savePlan', {
      ...planOf(project),
      id: project.id,
      revision: project.revision,
      deployNode: null,
    });
    await expect(call('inventory.exportArchive', { id: broken.id, format: 'zip' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/1 error\(s\).*\n.*No deploy node chosen/),
    });
    const { findings } = await call('inventory.validate', { id: project.id });
    expect(findings.map((finding) => finding.rule)).toContain('facts-missing');
  });

  it('never lets a secret into the plan or an export', async () => {
    const { call, project } = await coreWithProject();
    const harbor = {
      kind: 'harbor',
      address: 'harbor.lan',
      project: 'k8s',
      username: 'robot',
      password: 'hunter2',
      filesPort: 8080,
    };
    await expect(
      call('projects.savePlan', {
        ...planOf(project),
        id: project.id,
        revision: project.revision,
        settings: { ...project.cluster.settings, registry: harbor as never },
      }),
    ).rejects.toMatchObject({ code: 'invalid_params', field: 'settings.registry' });
    await expect(
      call('projects.savePlan', {
        ...planOf(project),
        id: project.id,
        revision: project.revision,
        settings: { ...project.cluster.settings, extraVarsYaml: 'ansible_become_password: hunter2\n' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      field: 'settings.extraVarsYaml',
      message: expect.stringMatching(/looks like a secret/),
    });
    expect(JSON.stringify(await call('projects.open', { id: project.id }))).not.toContain('hunter2');
  });

  it('saves through the desktop dialog, and does nothing when it is cancelled', async () => {
    const targets: (string | null)[] = [];
    const { call, root, project } = await coreWithProject({ chooseSavePath: async () => targets.shift() ?? null });
    targets.push(join(root, 'chosen.tar.gz'));
    expect(await call('inventory.saveArchive', { id: project.id, format: 'tar.gz' })).toEqual({
      savedTo: join(root, 'chosen.tar.gz'),
    });
    expect((await run('tar', ['-tzf', join(root, 'chosen.tar.gz')])).stdout).toContain('lab-inventory/inventory.ini');
    expect(await call('inventory.saveArchive', { id: project.id, format: 'zip' })).toEqual({ savedTo: null });
  });

  it('says the dialog needs the desktop app in browser mode', async () => {
    const { call, project } = await coreWithProject();
    await expect(call('inventory.saveArchive', { id: project.id, format: 'zip' })).rejects.toMatchObject({
      code: 'unsupported',
      field: 'format',
      i18n: { id: 'downloads.dialog-needs-desktop', params: { use: 'inventory.exportArchive' } },
    });
  });

  it('imports a seed-talk inventory into a project and keeps the bundle choice and the etcd backups kept', async () => {
    const { call, project: ready } = await coreWithProject();
    const project = await call('projects.savePlan', {
      id: ready.id,
      revision: ready.revision,
      hosts: ready.cluster.hosts,
      deployNode: ready.cluster.deployNode,
      settings: { ...ready.cluster.settings, etcdBackupsKept: 9 },
    });
    const { project: imported, notes } = await call('inventory.import', {
      id: project.id,
      revision: project.revision,
      path: join(repoRoot, 'test', 'fixtures', 'inventory', 'scale-node'),
    });
    expect(imported.cluster.hosts.map((entry) => entry.name)).toEqual([
      'master1',
      'master2',
      'master3',
      'worker1',
      'worker2',
      'worker3',
    ]);
    expect(imported.cluster.bundle?.bundleId).toBe('ks-2.23.3');
    expect(imported.cluster.settings.etcdBackupsKept).toBe(9);
    expect(notes.length).toBeGreaterThan(0);
    const { dataDir } = await call('app.info', {});
    const stored = JSON.parse(await readFile(join(dataDir, 'projects', project.id, 'project.json'), 'utf8'));
    expect(stored.cluster.hosts).toHaveLength(6);
  });
});
