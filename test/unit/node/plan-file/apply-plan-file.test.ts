import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../../../electron/common/project';
import type { BundleLocation } from '../../../../electron/node/bundles/find-bundles';
import { describeChosenBundle } from '../../../../electron/node/inventory/inventory-service';
import {
  preparePlanApply,
  savePlanApply,
  type PlanApplyContext,
} from '../../../../electron/node/plan-file/apply-plan-file';
import { exportProjectPlan } from '../../../../electron/node/plan-file/export-plan-file';
import { parsePlanFile } from '../../../../electron/node/plan-file/parse-plan-file';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { projectKnownHostsFile } from '../../../../electron/node/ssh/host-key-store';
import { writeBundleFolder } from '../../../support/bundle-fixtures';
import { planWith } from '../../../support/cluster-plans';

const keys = {
  node1: 'AAAAC3NzaC1lZDI1NTE5AAAAIPopTVLCoXymaK8tEAlCAtyq3wCCYzIeoSNzUpWtgwvj',
  node2: 'AAAAC3NzaC1lZDI1NTE5AAAAIJ0uGXFPLtD8x1JKN3SZbaLhuLfJwvvC6hmRNXRVOwQ2',
};
/** A hashed entry and a comment: a plan file cannot say them, and apply must keep them. */
const keptLines = [
  '# pinned by hand',
  `|1|c2FsdHNhbHRzYWx0c2FsdHNhbHQ=|aGFzaGhhc2hoYXNoaGFzaGhhc2g= ssh-ed25519 ${keys.node2}`,
];

let root: string;
let bundles: BundleLocation[];

async function contextFor(dataDir: string, locations = bundles): Promise<PlanApplyContext> {
  await mkdir(dataDir, { recursive: true });
  return { projects: new ProjectStore(dataDir), dataDir, bundleLocations: locations };
}

/** Project "lab" in its own data folder: three hosts with facts, bundle ks-test, a login reference and known_hosts. */
async function sourceProject(): Promise<{ context: PlanApplyContext; project: ProjectDocument }> {
  const context = await contextFor(join(root, 'source'));
  const created = await context.projects.create('lab');
  const bundle = await describeChosenBundle(bundles, join(root, 'bundles', 'ks-test'));
  const plan = planWith(['ce', 'w', 'w'], { bundle });
  const project = await context.projects.update(created.id, created.revision, (current) => ({
    ...current,
    cluster: {
      ...plan,
      settings: {
        ...plan.settings,
        networkPlugin: 'cilium',
        ntpServers: ['ntp.lan'],
        extraVarsYaml: 'kubelet_max_pods: 150\n',
      },
    },
    login: { user: 'ops', keyFile: '~/.ssh/ops_ed25519', sudoPasswordEnv: 'AIRSPRAY_SUDO_PASSWORD' },
  }));
  const knownHosts = [
    ...keptLines,
    `10.0.0.11 ssh-ed25519 ${keys.node1}`,
    `[10.0.0.12]:2222 ssh-ed25519 ${keys.node2}`,
  ];
  await writeFile(projectKnownHostsFile(context.dataDir, project.id), `${knownHosts.join('\n')}\n`);
  return { context, project };
}

const exportText = async (context: PlanApplyContext, name = 'lab') =>
  (await exportProjectPlan(context.projects, context.dataDir, name)).text;

async function applyText(text: string, context: PlanApplyContext, projectOption?: string) {
  const prepared = await preparePlanApply(parsePlanFile(text, 'lab.plan.yaml'), context, projectOption);
  return { prepared, saved: await savePlanApply(prepared, context) };
}

const projectFile = (context: PlanApplyContext, project: ProjectDocument) =>
  readFile(join(context.dataDir, 'projects', project.id, 'project.json'), 'utf8');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-plan-file-'));
  await writeBundleFolder(join(root, 'bundles'), 'ks-test', {
    bundleId: 'ks-test',
    kubesprayVersion: '2.23.3',
    kubernetesVersions: ['1.27.10'],
  });
  bundles = [{ path: join(root, 'bundles'), source: 'option' }];
});

describe('export, then apply', () => {
  it('an export applied to an empty data folder gives the same plan, login and trusted keys', async () => {
    const { context, project } = await sourceProject();
    const text = await exportText(context);
    const target = await contextFor(join(root, 'target'));
    const { prepared, saved } = await applyText(text, target);

    expect(prepared.changes.slice(0, 4)).toEqual([
      'create project lab',
      'add host node1 10.0.0.11 (roles: controlPlane, etcd)',
      'add host node2 10.0.0.12 (roles: worker)',
      'add host node3 10.0.0.13 (roles: worker)',
    ]);
    expect(saved?.cluster).toEqual({
      ...project.cluster,
      hosts: project.cluster.hosts.map(({ facts: _facts, ...host }) => host),
    });
    expect(saved?.login).toEqual(project.login);
    expect(await exportText(target)).toBe(text);
    expect(await readFile(projectKnownHostsFile(target.dataDir, saved!.id), 'utf8')).toBe(
      `10.0.0.11 ssh-ed25519 ${keys.node1}\n[10.0.0.12]:2222 ssh-ed25519 ${keys.node2}\n`,
    );
  });

  it('applying the same file twice has nothing to change the second time and saves nothing', async () => {
    const { context, project } = await sourceProject();
    const text = await exportText(context);
    const before = await projectFile(context, project);
    const { prepared, saved } = await applyText(text, context);
    expect(prepared.changes).toEqual([]);
    expect(saved?.revision).toBe(project.revision);
    expect(await projectFile(context, project)).toBe(before);
  });

  it('lists each change and saves them, keeping the known_hosts lines a plan file cannot say', async () => {
    const { context, project } = await sourceProject();
    const edited = (await exportText(context))
      .replace('  - name: node3\n    address: 10.0.0.13\n    port: 22\n', '  - name: node4\n    address: 10.0.0.14\n')
      .replace('  worker:\n    - node2\n    - node3\n', '  worker:\n    - node1\n    - node4\n')
      .replace('networkPlugin: cilium', 'networkPlugin: calico')
      .replace('deployNode: node1', 'deployNode: node4')
      .replace(/ {2}# SHA256:\S+\n {2}- host: 10\.0\.0\.12\n(?: {4}.*\n){3}/, '');
    const { prepared, saved } = await applyText(edited, context);
    expect(prepared.changes).toEqual([
      'change roles of node1: controlPlane, etcd → controlPlane, etcd, worker',
      'change roles of node2: worker → none',
      'add host node4 10.0.0.14 (roles: worker)',
      'remove host node3 10.0.0.13',
      'change deploy node: node1 → node4',
      'change settings.networkPlugin: cilium → calico',
      expect.stringMatching(/^forget host key \[10\.0\.0\.12\]:2222 ssh-ed25519 SHA256:/),
    ]);
    expect(saved?.revision).toBe(project.revision + 1);
    expect(saved?.cluster.hosts.map((host) => [host.name, Boolean(host.facts)])).toEqual([
      ['node1', true],
      ['node2', true],
      ['node4', false],
    ]);
    expect(await readFile(projectKnownHostsFile(context.dataDir, project.id), 'utf8')).toBe(
      `${keptLines.join('\n')}\n10.0.0.11 ssh-ed25519 ${keys.node1}\n`,
    );
    expect(await exportText(context)).toBe(
      edited.replace('    address: 10.0.0.14\n', '    address: 10.0.0.14\n    port: 22\n'),
    );
  });

  it('refuses to save over a revision another writer saved meanwhile, and changes nothing', async () => {
    const { context, project } = await sourceProject();
    const knownHosts = await readFile(projectKnownHostsFile(context.dataDir, project.id), 'utf8');
    const prepared = await preparePlanApply(
      parsePlanFile(
        (await exportText(context)).replace('networkPlugin: cilium', 'networkPlugin: flannel'),
        'lab.plan.yaml',
      ),
      context,
    );
    await context.projects.setStep(project.id, 'roles', project.revision);
    const afterOtherWriter = await projectFile(context, project);

    await expect(savePlanApply(prepared, context)).rejects.toMatchObject({
      i18n: { id: 'project.stale-revision', params: { revision: 2, expected: 1 } },
    });
    expect(await projectFile(context, project)).toBe(afterOtherWriter);
    expect(await readFile(projectKnownHostsFile(context.dataDir, project.id), 'utf8')).toBe(knownHosts);
  });

  it('refuses to save when a host key was accepted meanwhile (which does not bump the revision)', async () => {
    const { context, project } = await sourceProject();
    const prepared = await preparePlanApply(
      parsePlanFile(
        (await exportText(context)).replace('networkPlugin: cilium', 'networkPlugin: flannel'),
        'lab.plan.yaml',
      ),
      context,
    );
    const knownHosts = projectKnownHostsFile(context.dataDir, project.id);
    const accepted = `${await readFile(knownHosts, 'utf8')}10.0.0.13 ssh-ed25519 ${keys.node1}\n`;
    await writeFile(knownHosts, accepted);
    const before = await projectFile(context, project);

    await expect(savePlanApply(prepared, context)).rejects.toMatchObject({
      i18n: { id: 'planFile.host-keys-changed', params: { project: 'lab' } },
    });
    expect(await projectFile(context, project)).toBe(before);
    expect(await readFile(knownHosts, 'utf8')).toBe(accepted);
  });
});

describe('refusals change nothing', () => {
  it('a file made for another bundle than the project has says so, naming the line', async () => {
    const { context, project } = await sourceProject();
    const before = await projectFile(context, project);
    const text = await exportText(context);
    await expect(
      applyText(
        text.replace('id: ks-test', 'id: ks-other').replace('networkPlugin: cilium', 'networkPlugin: calico'),
        context,
      ),
    ).rejects.toMatchObject({
      i18n: {
        id: 'planFile.bundle-differs',
        params: {
          where: expect.stringMatching(/^lab\.plan\.yaml:\d+:3: bundle\.id$/),
          made: 'manifest',
          wanted: 'ks-other',
          wantedManifest: expect.stringMatching(/^[0-9a-f]{12}$/),
          project: 'lab',
          have: 'ks-test',
        },
      },
    });
    await expect(
      applyText(text.replace(/manifestSha256: [0-9a-f]+/, `manifestSha256: '${'0'.repeat(64)}'`), context),
    ).rejects.toMatchObject({ i18n: { params: { wanted: 'ks-test', wantedManifest: '000000000000' } } });
    await expect(applyText(text.replace(/bundle:\n(?: {2}.*\n)+/, ''), context)).rejects.toMatchObject({
      i18n: { id: 'planFile.bundle-differs', params: { made: 'none' } },
    });
    expect(await projectFile(context, project)).toBe(before);
  });

  it('a new project whose bundle is nowhere to be found is not created', async () => {
    const { context } = await sourceProject();
    const target = await contextFor(join(root, 'target'), []);
    await expect(applyText(await exportText(context), target)).rejects.toMatchObject({
      i18n: { id: 'planFile.bundle-not-found', params: { bundle: 'ks-test', foundCount: 0 } },
    });
    expect(await readdir(target.dataDir)).toEqual([]);
  });

  it('a file with a problem saves nothing, and a new project is not created', async () => {
    const { context, project } = await sourceProject();
    const before = await projectFile(context, project);
    const text = await exportText(context);
    const broken = text.replace('  sudoPasswordEnv: AIRSPRAY_SUDO_PASSWORD', '  sudoPassword: hunter2');
    await expect(applyText(broken, context)).rejects.toThrow(
      /lab\.plan\.yaml:\d+:3: login\.sudoPassword: "sudoPassword" is a secret written inline/,
    );
    expect(await projectFile(context, project)).toBe(before);
    const target = await contextFor(join(root, 'target'));
    await expect(applyText(text.replace('planFileVersion: 1', 'planFileVersion: 3'), target)).rejects.toThrow(
      /plan-file version 3/,
    );
    expect(await target.projects.list()).toEqual([]);
  });

  it('--project applies the file to another project; without a name anywhere it is refused', async () => {
    const { context } = await sourceProject();
    const text = await exportText(context);
    const { saved } = await applyText(text, context, 'lab-copy');
    expect(saved?.name).toBe('lab-copy');
    await expect(
      applyText(text.replace('project: lab\n', ''), await contextFor(join(root, 'target'))),
    ).rejects.toMatchObject({ code: 'invalid_params', field: 'project', i18n: { id: 'planFile.project-missing' } });
  });
});
