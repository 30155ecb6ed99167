import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadCheck, DownloadFinding } from '../../../../electron/common/download-check';
import type { ProjectDocument } from '../../../../electron/common/project';
import type { RunOptions } from '../../../../electron/common/run';
import { DeployKeyStore } from '../../../../electron/node/deploy/deploy-key-store';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import { RunService } from '../../../../electron/node/runs/run-service';
import { planWith } from '../../../support/cluster-plans';

// A run of a playbook that downloads is refused before it reaches the deploy node when the bundle lacks an item.

const missing: DownloadFinding = {
  key: 'calicoctl',
  kind: 'file',
  variables: ['calicoctl_download_url'],
  reference: 'http://10.0.0.11:8080/github.com/projectcalico/calico/releases/download/v3.25.2/calicoctl-linux-amd64',
  architecture: 'amd64',
  problem: 'missing',
  message:
    'File … (calicoctl_download_url, for amd64) is not in bundle ks-2.23.3-test: rebuild the bundle with it, or change the setting that asks for it.',
};

let dataDir: string;
let projects: ProjectStore;
let project: ProjectDocument;
const checked: { name: string; extraVars: Record<string, unknown> }[] = [];

function runsWith(check: DownloadCheck): RunService {
  return new RunService({
    dataDir,
    projects,
    version: 'test',
    keys: new DeployKeyStore((id) => projects.projectFolder(id)),
    checkDownloads: async (checkedProject, extraVars) => {
      checked.push({ name: checkedProject.name, extraVars });
      return check;
    },
  });
}

const start = (runs: RunService, playbook: RunOptions['playbook'], extraVars?: RunOptions['extraVars']) =>
  runs.start({
    projectId: project.id,
    options: { playbook, ...(extraVars ? { extraVars } : {}) },
    credential: { label: 'ops', user: 'ops', auth: { kind: 'password', password: 'pw' }, sudoPassword: 'pw' },
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'airspray-run-gate-'));
  projects = new ProjectStore(dataDir);
  const created = await projects.create('lab');
  project = await projects.update(created.id, created.revision, (document) => ({
    ...document,
    cluster: planWith(['ce', 'w']),
  }));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('starting a run against the download set', () => {
  it("refuses cluster.yml when the bundle lacks an item, naming its variable and the fix, with the run's own variables", async () => {
    const refusal = start(runsWith({ checked: true, items: [missing], findings: [missing] }), 'cluster.yml', {
      download_container: false,
    });
    await expect(refusal).rejects.toMatchObject({ code: 'conflict', field: 'bundle' });
    await expect(refusal).rejects.toThrow(
      /cluster\.yml was not started: .*1 item[\s\S]*calicoctl_download_url.*rebuild the bundle with it/,
    );
    expect(checked).toEqual([{ name: 'lab', extraVars: { download_container: false } }]);
  });

  it('does not check a playbook that downloads nothing, and lets a complete bundle through to the login', async () => {
    checked.length = 0;
    // No deploy key in this data folder: getting as far as the login proves the check let the run through.
    await expect(
      start(runsWith({ checked: true, items: [missing], findings: [missing] }), 'reset.yml'),
    ).rejects.toThrow(/no deploy key/);
    expect(checked).toEqual([]);
    await expect(start(runsWith({ checked: true, items: [missing], findings: [] }), 'scale.yml')).rejects.toThrow(
      /no deploy key/,
    );
    expect(checked).toEqual([{ name: 'lab', extraVars: {} }]);
  });

  it('does not render again a set that passed for the same plan and variables, and does when either changed', async () => {
    checked.length = 0;
    const complete = runsWith({ checked: true, items: [missing], findings: [] });
    await expect(start(complete, 'cluster.yml', { kube_version: 'v1.27.10' })).rejects.toThrow(/no deploy key/);
    await expect(start(complete, 'cluster.yml', { kube_version: 'v1.27.10' })).rejects.toThrow(/no deploy key/);
    expect(checked).toHaveLength(1);
    await expect(start(complete, 'cluster.yml', { kube_version: 'v1.27.11' })).rejects.toThrow(/no deploy key/);
    expect(checked).toHaveLength(2);
    project = await projects.update(project.id, project.revision, (document) => ({
      ...document,
      cluster: planWith(['ce', 'w', 'w']),
    }));
    await expect(start(complete, 'cluster.yml', { kube_version: 'v1.27.11' })).rejects.toThrow(/no deploy key/);
    expect(checked).toHaveLength(3);
  });

  it("refuses a run whose download set could not be rendered, with the render's reason", async () => {
    const failing = new RunService({
      dataDir,
      projects,
      version: 'test',
      keys: new DeployKeyStore((id) => projects.projectFolder(id)),
      checkDownloads: () => Promise.reject(new Error("kubespray's download set did not render: 'x' is undefined")),
    });
    await expect(start(failing, 'scale.yml', { x_override: 1 })).rejects.toThrow(/did not render: 'x' is undefined/);
  });

  it('never remembers a refusal', async () => {
    checked.length = 0;
    const lacking = runsWith({ checked: true, items: [missing], findings: [missing] });
    await expect(start(lacking, 'upgrade-cluster.yml')).rejects.toThrow(/was not started/);
    await expect(start(lacking, 'upgrade-cluster.yml')).rejects.toThrow(/was not started/);
    expect(checked).toHaveLength(2);
  });
});
