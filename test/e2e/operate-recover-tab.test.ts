import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, serveWithApi, type ServedApi } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';
import { createFixtureCluster, fixtureRoles } from '../support/fixture-cluster';
import { openProject, poll, recordPageErrors, setWizardTimeouts } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

/**
 * Operate's Recover tab in Chromium against the real `airspray serve`: lab2, lab4 and lab5 are control planes and etcd
 * members. No host is contacted: the run needs the lab (test/integration/node-recover-lab.test.ts), so this stops at
 * what the window shows before one starts.
 */
let served: ServedApi;
let browser: Browser;

beforeAll(async () => {
  served = await serveWithApi(['--data-dir', join(await mkdtemp(join(tmpdir(), 'airspray-e2e-recover-')), 'data')]);
  const { api } = served;
  const project = await createFixtureCluster(api, 'recover-tab', { workers: [3, 4, 5] });
  const hosts = project.cluster.hosts.map((host) =>
    ['lab4', 'lab5'].includes(host.name) ? { ...host, roles: { ...fixtureRoles(true, false), etcd: true } } : host,
  );
  const updated = await api.call('projects.setHosts', { id: project.id, revision: project.revision, hosts });
  await api.call('projects.setStep', { id: project.id, step: 'operate', revision: updated.revision });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function openRecoverTab(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  setWizardTimeouts(page);
  const errors = recordPageErrors(page);
  await page.goto(served.serve.url);
  await openProject(page, /recover-tab/);
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Operate');
  await page.getByRole('tab', { name: 'Recover control plane' }).click();
  return { page, errors };
}

describe("Operate's Recover tab against the real server", () => {
  it("shows kubespray's run and what may be lost, starts only once confirmed, and says why a recovery is refused", async () => {
    const { page, errors } = await openRecoverTab();
    const panel = page.getByRole('tabpanel', { name: 'Recover control plane' });
    const broken = panel.getByRole('group', { name: 'Broken members' });
    const start = panel.getByRole('button', { name: 'Recover the control plane' });
    expect(await start.isDisabled()).toBe(true);
    await broken.getByRole('checkbox', { name: /lab4/ }).check();
    await poll(() => panel.getByRole('list', { name: 'Runs of the procedure' }).textContent()).toBe(
      'recover-control-plane.yml --limit etcd,kube_control_plane -e etcd_retries=10',
    );
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Provision lab4 again');
    expect(text).toMatch(/deletes what is left on lab4 .*"absolutely no guarantees": take an etcd backup first/);
    expect(await start.isDisabled()).toBe(true);
    await panel.getByRole('checkbox', { name: /I have read what may be lost/ }).check();
    expect(await start.isDisabled()).toBe(false);
    await panel.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'day-two-recover.png') });

    await broken.getByRole('checkbox', { name: /lab2/ }).check();
    await broken.getByRole('checkbox', { name: /lab5/ }).check();
    await poll(() => panel.getByRole('alert').first().textContent()).toContain(
      "No member of etcd survives (broken: lab4, lab2, lab5): kubespray's recovery needs at least one working one",
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
