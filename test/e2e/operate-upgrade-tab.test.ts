import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, serveWithApi, type ServedApi } from '../support/airspray-serve';
import { signTestBundle } from '../support/bundle-fixtures';
import { launchChromium } from '../support/chromium';
import { createFixtureCluster } from '../support/fixture-cluster';
import { openOperateTab, poll } from '../support/wizard-page';

/**
 * Operate's Upgrade tab in Chromium against the real `airspray serve`, with three signed bundles on the "stick": the
 * project's (kubespray 2.23.3, Kubernetes 1.27.10), the next minor (2.24.1, 1.28.6) and one that skips a minor
 * (2.25.0, 1.29.2). The plan is the lab's fixture cluster, but no host is contacted: an upgrade needs the lab
 * (test/integration/upgrade-lab.test.ts), so this stops at what the window shows before one starts.
 */
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const current = { id: 'kubespray-2.23.3-k8s-1.27.10', kubespray: '2.23.3', kubernetes: '1.27.10' };
const next = { id: 'kubespray-2.24.1-k8s-1.28.6', kubespray: '2.24.1', kubernetes: '1.28.6' };
const skipping = { id: 'kubespray-2.25.0-k8s-1.29.2', kubespray: '2.25.0', kubernetes: '1.29.2' };
let served: ServedApi;
let browser: Browser;
let projectId: string;

/** A small bundle folder under `bundles`, its manifest signed by a new key (listing trusts no publisher). */
async function writeBundle(bundles: string, bundle: typeof current): Promise<string> {
  const dir = join(bundles, bundle.id);
  await mkdir(join(dir, 'kubespray'), { recursive: true });
  await writeFile(join(dir, 'kubespray', 'upgrade-cluster.yml'), '- import_playbook: playbooks/upgrade_cluster.yml\n');
  await signTestBundle(dir, {
    bundleId: bundle.id,
    kubespray: { version: bundle.kubespray },
    kubernetesVersions: [bundle.kubernetes],
  });
  return dir;
}

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'airspray-e2e-upgrade-'));
  const bundles = join(root, 'bundles');
  const [currentDir] = await Promise.all([current, next, skipping].map((bundle) => writeBundle(bundles, bundle)));
  served = await serveWithApi(['--data-dir', join(root, 'data'), '--bundles-dir', bundles]);
  const { api } = served;
  let project = await createFixtureCluster(api, 'upgrade-tab', { workers: [3, 4] });
  project = await api.call('projects.chooseBundle', {
    id: project.id,
    revision: project.revision,
    bundlePath: currentDir!,
  });
  await api.call('projects.setStep', { id: project.id, step: 'operate', revision: project.revision });
  projectId = project.id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** The project open on its Operate step at 1280x800, the Upgrade tab chosen; the page's errors are collected. */
const openUpgradeTab = () =>
  openOperateTab(browser, served.serve.url, {
    project: /upgrade-tab/,
    tab: 'Upgrade',
    context: { colorScheme: 'light' },
  });

const tab = (page: Page) => page.getByRole('tabpanel', { name: 'Upgrade' });

/** Nothing was started: the project has no upgrade record. */
const lastUpgrade = async () => (await served.api.call('upgrade.options', { projectId })).last;

describe("Operate's Upgrade tab against the real server", () => {
  it('offers the next minor release only, says why the one that skips a minor is refused, and lists the presets', async () => {
    const { page, errors } = await openUpgradeTab();
    const panel = tab(page);
    await poll(() => panel.textContent()).toContain(`Now: bundle ${current.id}, Kubernetes 1.27.10.`);
    const upgradeButtons = panel.getByRole('button', { name: /^Upgrade to / });
    expect(await upgradeButtons.allTextContents()).toEqual([`Upgrade to ${next.id} (Kubernetes 1.28.6)`]);
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain(
      `${skipping.id}: kubespray 2.23.3 → 2.25.0 skips a minor release: upgrade one minor release at a time (a bundle with kubespray 2.24 first).`,
    );
    expect(await panel.getByRole('button', { name: new RegExp(skipping.id) }).count()).toBe(0);

    const presets = panel.getByRole('group', { name: /^Partial upgrades/ });
    expect(await presets.getByRole('button').allTextContents()).toEqual([
      'etcd',
      'Control plane',
      'Nodes (kubelet)',
      'Network plugin',
      'Add-ons',
      'Container runtime',
    ]);
    expect(await presets.locator('code').allTextContents()).toEqual([
      'cluster.yml --tags etcd',
      'cluster.yml --tags master',
      'cluster.yml --tags node --skip-tags k8s-gen-tokens',
      'cluster.yml --tags network',
      'cluster.yml --tags apps',
      'cluster.yml --tags container-engine',
    ]);
    await page.getByRole('region', { name: 'Day-two actions' }).evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: join(screenshotDir, 'day-two-upgrade.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('asks before an upgrade or a preset starts, naming the versions and the snapshot first; Not now starts nothing', async () => {
    const { page, errors } = await openUpgradeTab();
    const panel = tab(page);
    const confirm = panel.getByRole('group', { name: 'Confirm the upgrade' });
    await panel.getByRole('button', { name: `Upgrade to ${next.id} (Kubernetes 1.28.6)` }).click();
    expect(await confirm.textContent()).toContain(
      `Upgrade the cluster from Kubernetes 1.27.10 to 1.28.6 with bundle ${next.id}? An etcd snapshot is taken first;`,
    );
    await confirm.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(screenshotDir, 'day-two-upgrade-confirm.png') });
    await confirm.getByRole('button', { name: 'Not now' }).click();
    await poll(() => confirm.count()).toBe(0);
    expect(await lastUpgrade()).toBeNull();

    await panel.getByRole('button', { name: 'Control plane' }).click();
    expect(await confirm.textContent()).toContain(
      `Run cluster.yml --tags master with bundle ${current.id} on the cluster? An etcd snapshot is taken first.`,
    );
    // Confirmed, the start wants a login profile first: this server has none, so nothing reaches a host.
    await confirm.getByRole('button', { name: 'Upgrade', exact: true }).click();
    await poll(() => panel.getByRole('alert').textContent()).toContain(
      'Pick a credential profile with a sudo password',
    );
    expect(await confirm.count()).toBe(0);
    expect(await lastUpgrade()).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
