import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { killSshd, startSshd } from '../../lab/lab';
import { hostAddress } from '../../lab/lab-network';
import type { ApiClient } from '../../support/api-client';
import { repoRoot } from '../../support/airspray-serve';
import { launchPage } from '../../support/chromium';
import { fixtureKubesprayDir } from '../../support/deploy-node';
import {
  prepareFreshFixtureCluster,
  serveFixtureCluster,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { requireLab } from '../../support/lab';
import { goToStep, poll } from '../../support/wizard-page';

/**
 * The Operate step's Cluster access panel on the lab. No Kubernetes can run there: the fixture cluster.yml stands in
 * with a kubeadm-shaped admin.conf and a kubectl stand-in on the control plane (test/fixtures/kubespray-shaped).
 */
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let lab: ServedFixtureCluster;
let api: ApiClient, projectId: string, credentialId: string;
let browser: Browser, page: Page;

beforeAll(async () => {
  await requireLab();
  await prepareFreshFixtureCluster([5]);
  await mkdir(screenshotDir, { recursive: true });
  const dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-cluster-panel-')), 'data');
  // lab5, not lab3: the test stops a worker's sshd, and hosts 1-4 stay as built. No passphrase: the deploy key, and
  // so the kubeconfig, stay in the server's memory.
  lab = await serveFixtureCluster(dataDir, 'panel', { workers: [5], trusted: [1, 2, 5] });
  ({ api, projectId, credentialId } = lab);
  ({ browser, page } = await launchPage({
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    acceptDownloads: true,
  }));
  await page.goto(lab.serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
});

const panel = () => page.getByRole('region', { name: 'Cluster access' });
const nodeRows = () =>
  panel()
    .getByRole('table', { name: 'Nodes' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );

describe('Cluster access on the Operate step', () => {
  it('fills in after cluster.yml succeeds: endpoint, protection, nodes with readiness, and a kubeconfig download', async () => {
    await page.getByRole('button', { name: 'Open a project' }).click();
    await page.getByRole('dialog', { name: 'Projects' }).getByRole('button', { name: /panel/ }).click();
    await goToStep(page, 'Operate');
    await poll(() => panel().textContent()).toContain('No kubeconfig yet');
    expect(await panel().getByRole('button', { name: 'Download kubeconfig' }).isDisabled()).toBe(true);

    const run = await api.call('runs.start', {
      projectId,
      credentialId,
      options: { playbook: 'cluster.yml' },
      kubesprayDir: fixtureKubesprayDir,
    });
    // The panel hears of the fetch that follows the run, without a reload.
    await poll(nodeRows, 90_000).toEqual([
      ['lab2', 'Ready', 'control-plane', 'v0.0.0-fixture', hostAddress(2)],
      ['lab5', 'Ready', 'none', 'v0.0.0-fixture', hostAddress(5)],
    ]);
    expect((await api.call('runs.get', { projectId, runId: run.id })).state).toBe('succeeded');
    const text = (await panel().textContent()) ?? '';
    expect(text).toContain(`admin.conf from lab2 (${hostAddress(2)})`);
    expect(text).toContain(`https://${hostAddress(2)}:6443 (the first control plane)`);
    expect(text).toContain('Kept in memory only');
    expect(text).toContain('The kubeconfig grants cluster-admin');

    await panel().evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screenshotDir, '40-operate-cluster-access.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel().getByRole('button', { name: 'Download kubeconfig' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('panel-admin.kubeconfig');
    const content = await readFile((await download.path())!, 'utf8');
    expect(content).toMatch(/^# This file grants cluster-admin/);
    expect((parse(content) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server).toBe(
      `https://${hostAddress(2)}:6443`,
    );

    // Check nodes asks the control plane again: a node whose host stops answering shows as NotReady with the reason.
    await killSshd('lab5');
    try {
      await panel().getByRole('button', { name: 'Check nodes' }).click();
      await poll(async () => (await nodeRows()).map((cells) => cells.slice(0, 2)), 30_000).toEqual([
        ['lab2', 'Ready'],
        ['lab5', 'NotReadyKubelet stopped posting node status.'],
      ]);
      await page.screenshot({ path: join(screenshotDir, '41-operate-cluster-access-notready.png') });
    } finally {
      await startSshd('lab5');
    }
  }, 180_000);

  it('lists the nodes again after remove-node.yml, and marks the kubeconfig stale after reset.yml', async () => {
    const removal = await api.call('runs.start', {
      projectId,
      credentialId,
      options: { playbook: 'remove-node.yml', extraVars: { node: 'lab5', skip_confirmation: true } },
      kubesprayDir: fixtureKubesprayDir,
    });
    await poll(async () => (await nodeRows()).map((cells) => cells.slice(0, 2)), 90_000).toEqual([['lab2', 'Ready']]);
    expect((await api.call('runs.get', { projectId, runId: removal.id })).state).toBe('succeeded');

    const reset = await api.call('runs.start', {
      projectId,
      credentialId,
      options: { playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } },
      kubesprayDir: fixtureKubesprayDir,
    });
    await poll(() => panel().textContent(), 90_000).toContain('The cluster was reset: this kubeconfig is stale');
    expect((await api.call('runs.get', { projectId, runId: reset.id })).state).toBe('succeeded');
    expect(await panel().textContent()).toContain(`reset.yml (run ${reset.id})`);
    // Kept, not deleted silently: where it came from still shows, but it is not offered, nor are nodes asked of a
    // cluster that is gone.
    expect(await panel().textContent()).toContain(`admin.conf from lab2 (${hostAddress(2)})`);
    expect(await panel().getByRole('table', { name: 'Nodes' }).count()).toBe(0);
    expect(await panel().getByRole('button', { name: 'Download kubeconfig' }).isDisabled()).toBe(true);
    expect(await panel().getByRole('button', { name: 'Check nodes' }).isDisabled()).toBe(true);
    await panel().evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screenshotDir, '42-operate-cluster-access-reset.png') });
  }, 180_000);
});
