import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../electron/common/run';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { nodeSteps } from '../../electron/node/upgrade/upgrade-steps';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { repoRoot, serveWithApi } from '../support/airspray-serve';
import { downloadOverHttp } from '../support/api-client';
import { requireLab } from '../support/lab';
import {
  openRealKubesprayLab,
  realCluster as cluster,
  realTags as tags,
  type RealKubesprayLab,
} from '../support/real-kubespray-lab';

// The published kubespray v2.23.3 release, bundled by `airspray bundle build` with its Debian packages, pushed and
// served by `airspray deploy`, and its own cluster.yml run by `airspray run` on lab2 (control plane, etcd, worker)
// and lab3 (worker) from lab1. The lab's hosts are containers: the run ends after `download`, with the variables
// docs/real-kubespray.md gives for each task a container cannot run. The Kubernetes files are stand-ins (they cannot
// be downloaded here), so their checksums are passed as kubespray's checksum variables.
let lab: RealKubesprayLab;

beforeAll(async () => {
  await requireLab();
  lab = await openRealKubesprayLab();
}, 900_000);

afterAll(async () => {
  await lab?.close();
}, 600_000);

describe('the real kubespray v2.23.3 cluster.yml through airspray run (lab)', () => {
  it('runs bootstrap-os, preinstall and download on lab2 and lab3 from the pushed bundle, packages and files from the deploy node', async () => {
    const run = await lab.cli(...(await lab.runArgs()));
    const [record] = JSON.parse((await lab.step('runs', 'list', ...lab.projectArgs(), '--json')).stdout) as RunRecord[];
    await keepLog(record);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(record).toMatchObject({ playbook: 'cluster.yml', state: 'succeeded', exitCode: 0, options: { tags: tags } });
    // kubespray's first play checks the Ansible version on localhost.
    expect(Object.keys(record!.digest.recap ?? {}).sort()).toEqual([...cluster, 'localhost']);
    for (const host of cluster) expect(record!.digest.recap?.[host]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(record!.digest.recap?.lab2?.ok).toBeGreaterThan(100);

    // preinstall installed kubespray's packages from the bundle's repos/debian-12, through the deploy node.
    expect(await execOnHost('lab2', 'dpkg -s ipvsadm conntrack socat')).not.toMatch(/not installed/);
    expect(await execOnHost('lab2', 'cat /etc/apt/sources.list.d/airspray-offline.list')).toContain(
      `http://${hostAddress(1)}:`,
    );
    // download fetched the bundle's files from the deploy node's file server, each checked against its checksum.
    const kubeadm = 'https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm';
    expect(await execOnHost('lab2', 'cat /tmp/releases/kubeadm-v1.27.10-amd64')).toBe(
      lab.downloads.contents.get(kubeadm)!.toString(),
    );
  }, 2_400_000);

  it('shows the run through the API as the UI does: in the history with its recap, and its report with the whole log', async () => {
    const { serve, api, close } = await serveWithApi(['--data-dir', lab.dataDir]);
    try {
      const [run] = await api.call('runs.list', { projectId: lab.projectId });
      expect(run).toMatchObject({ playbook: 'cluster.yml', state: 'succeeded' });
      const report = await downloadOverHttp(api, Number(new URL(serve.url).port), {
        kind: 'run-report',
        projectId: lab.projectId,
        runId: run!.id,
      });
      const html = await report.response.text();
      expect(html).toContain('PLAY RECAP');
      expect(html).toContain('kubernetes/preinstall : Install packages requirements');
      expect(html).not.toContain(labAccounts.ops.password);
    } finally {
      await close();
    }
  });

  it("runs the release's upgrade-cluster.yml as an upgrade does: the control plane and etcd first, then the worker", async () => {
    // The upgrade's own runs (nodeSteps), to the version the bundle carries, with what a container allows of them:
    // preinstall and download (pre-upgrade drains through a cluster the lab does not have).
    const plan = (await new ProjectStore(lab.dataDir).open(lab.projectId)).cluster;
    const steps = nodeSteps(plan.hosts, '1.27.10');
    expect(steps.map((step) => step.options.limit)).toEqual(['kube_control_plane:etcd', 'lab3']);
    for (const [index, step] of steps.entries()) {
      const { playbook, limit, extraVars } = step.options;
      const run = await lab.cli(...(await lab.runArgs({ playbook, tags: 'preinstall,download', limit, extraVars })));
      const [record] = JSON.parse(
        (await lab.step('runs', 'list', ...lab.projectArgs(), '--json')).stdout,
      ) as RunRecord[];
      expect(run.code, run.stderr.slice(-4000)).toBe(0);
      expect(record).toMatchObject({
        playbook: 'upgrade-cluster.yml',
        state: 'succeeded',
        options: { limit, extraVars },
      });
      // Only the limited host: lab2 in the first run, lab3 in the second.
      const upgraded = cluster[index]!;
      const recapHosts = Object.keys(record!.digest.recap ?? {});
      expect(recapHosts).toContain(upgraded);
      expect(recapHosts).not.toContain(cluster[1 - index]);
      expect(record!.digest.recap?.[upgraded]).toMatchObject({ failed: 0, unreachable: 0 });
      const log = await readFile(join(runFolder(record!), 'log'), 'utf8');
      expect(log).toContain('PLAY [Prepare nodes for upgrade]');
    }
  }, 2_400_000);
});

const runFolder = (run: RunRecord) => join(new ProjectStore(lab.dataDir).projectFolder(lab.projectId), 'runs', run.id);

/** The run's log beside the screenshots, to refresh the parser fixtures from (test/fixtures/ansible/). */
async function keepLog(run: RunRecord | undefined): Promise<void> {
  if (!run) return;
  await mkdir(join(repoRoot, 'test-results'), { recursive: true });
  const log = join(runFolder(run), 'log');
  await copyFile(log, join(repoRoot, 'test-results', 'real-kubespray-2.23.3-run.log')).catch(() => undefined);
}
