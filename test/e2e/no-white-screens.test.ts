import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { wizardSteps } from '../../electron/common/wizard';
import { repoRoot, serveWithOneBundle } from '../support/airspray-serve';
import { inChromium } from '../support/chromium';
import { finishedRun } from '../support/run-record';
import { goToStep, poll, recordPageErrors, setWizardTimeouts } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const inventory = join(repoRoot, 'test', 'fixtures', 'inventory', 'new-cluster');
const clusterName = 'first-look';
const app = inChromium(
  () => serveWithOneBundle('airspray-e2e-white-'),
  ({ serve }) => serve.stop(),
);

/** A fresh window (no remembered project) that records every console error and uncaught page error. */
async function openWatched(): Promise<{ page: Page; errors: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  setWizardTimeouts(page);
  const errors = recordPageErrors(page);
  await page.goto(app.serve.url);
  await poll(() => page.getByRole('list', { name: 'Bundles found' }).textContent(), 15_000).toContain('ks-2.23.3-e2e');
  return { page, errors };
}

/** Opens every step from the navigation; after each, the step shows (not its fallback) and nothing was logged. */
async function visitEveryStep(page: Page, errors: string[], state: string): Promise<void> {
  for (const step of wizardSteps) {
    await goToStep(page, step.title).catch((error: unknown) => {
      throw new Error(
        `${step.title} with ${state} did not show (${String(error)}); the page logged: ${errors.join('\n')}`,
      );
    });
    expect(await page.getByText('failed to show').count(), `${step.title} with ${state}`).toBe(0);
    expect(errors, `${step.title} with ${state}`).toEqual([]);
  }
}

async function openProject(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Open a project' }).click();
  await page.getByRole('dialog', { name: 'Projects' }).getByRole('button', { name }).click();
  await poll(() => page.getByText('No project open', { exact: true }).count()).toBe(0);
}

/** A cluster.yml that succeeded on the imported hosts, as the run service leaves it on disk (record and log). */
async function writeFinishedRun(projectId: string): Promise<void> {
  const folder = join(app.dataDir, 'projects', projectId, 'runs', 'r-1');
  const counts = { ok: 12, changed: 3, unreachable: 0, failed: 0, skipped: 4, rescued: 0, ignored: 0 };
  const hosts = ['master1', 'master2', 'master3', 'worker1', 'worker2'];
  const recapLines = hosts.map(
    (host) => `${host} : ok=12 changed=3 unreachable=0 failed=0 skipped=4 rescued=0 ignored=0`,
  );
  const log = `PLAY [k8s_cluster] *****\n\nPLAY RECAP *****\n${recapLines.join('\n')}\n`;
  const recap = Object.fromEntries(hosts.map((host) => [host, counts]));
  const run = finishedRun(
    { playbook: 'cluster.yml' },
    {
      projectId,
      cluster: clusterName,
      deployNode: '192.168.10.11',
      logBytes: Buffer.byteLength(log),
      finishedAt: '2025-11-20T10:40:00.000Z',
      digest: { tasksStarted: 12, hosts: recap, failures: [], recap },
    },
  );
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'log'), log);
  await writeFile(join(folder, 'run.json'), JSON.stringify(run));
}

describe('Every step a newcomer can reach renders without an error, in Chromium against the real server', () => {
  it(
    'shows every step with no project, a new empty one, one with hosts and one with a finished run',
    { timeout: 120_000 },
    async () => {
      const first = await openWatched();
      await poll(() => first.page.getByText('No project open', { exact: true }).count()).toBe(1);
      await visitEveryStep(first.page, first.errors, 'no project');
      await goToStep(first.page, 'Operate');
      await first.page.screenshot({ path: join(screenshotDir, 'operate-no-project.png'), fullPage: true });

      await first.page.getByLabel('Cluster name').fill(clusterName);
      await first.page.getByRole('button', { name: 'Create project' }).click();
      await poll(() => first.page.getByText('No project open', { exact: true }).count()).toBe(0);
      await visitEveryStep(first.page, first.errors, 'a new empty project');
      await first.page.context().close();

      await promisify(execFile)(process.execPath, [
        join(repoRoot, 'bin', 'airspray.cjs'),
        'inventory',
        'import',
        inventory,
        '--project',
        clusterName,
        '--data-dir',
        app.dataDir,
      ]);
      const withHosts = await openWatched();
      await openProject(withHosts.page, clusterName);
      await goToStep(withHosts.page, 'Roles');
      await poll(() => withHosts.page.getByRole('table', { name: 'Hosts and roles' }).locator('tbody tr').count()).toBe(
        5,
      );
      await visitEveryStep(withHosts.page, withHosts.errors, 'a project with hosts');
      await withHosts.page.context().close();

      const [projectId] = await readdir(join(app.dataDir, 'projects'));
      await writeFinishedRun(projectId!);
      const withRun = await openWatched();
      await openProject(withRun.page, clusterName);
      await visitEveryStep(withRun.page, withRun.errors, 'a project with a finished run');
      await poll(() => withRun.page.getByRole('region', { name: 'History' }).textContent()).toContain('cluster.yml');
      await withRun.page.screenshot({ path: join(screenshotDir, 'operate-finished-run.png'), fullPage: true });
      expect(withRun.errors).toEqual([]);
      await withRun.page.context().close();
    },
  );
});
