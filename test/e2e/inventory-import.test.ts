import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, serveWithOneBundle } from '../support/airspray-serve';
import { inChromium } from '../support/chromium';
import { goToStep, openWizardPage, poll } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const fixtures = join(repoRoot, 'test', 'fixtures', 'inventory');
const app = inChromium(
  () => serveWithOneBundle('airspray-e2e-import-'),
  ({ serve }) => serve.stop(),
);

const hostRows = (page: Page, table: string) =>
  page
    .getByRole('table', { name: table })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim()).join(' | ')),
    );

describe('Import an existing inventory on the Review & export step, in Chromium against the real server', () => {
  it('uploads a legacy .ini with its group_vars, previews the change, replaces the plan, then adds a scaled folder', async () => {
    const page = await openWizardPage(app.browser, app.serve.url);
    await page.getByLabel('Cluster name').fill('imported');
    await page.getByRole('button', { name: 'Create project' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Bundle');
    await poll(() => page.getByText('No project open').count(), 15_000).toBe(0);

    await goToStep(page, 'Review & export');
    const panel = page.getByRole('region', { name: 'Import an existing inventory' });
    const folder = join(fixtures, 'new-cluster');
    await panel
      .getByLabel('Inventory files')
      .setInputFiles([
        join(folder, 'cluster1.ini'),
        join(folder, 'group_vars', 'all', 'all.yml'),
        join(folder, 'group_vars', 'all', 'offline.yml'),
        join(folder, 'group_vars', 'k8s-cluster', 'k8s-cluster.yml'),
      ]);
    // Loose variables files are placed by kubespray's sample layout; the operator can move them.
    await poll(() => panel.getByLabel('Group of k8s-cluster.yml').inputValue()).toBe('k8s_cluster');
    expect(await panel.getByLabel('Group of offline.yml').inputValue()).toBe('all');

    const preview = 'Hosts after the import';
    await poll(() => hostRows(page, preview)).toEqual([
      'master1 | 192.168.10.11 | kube_control_plane, etcd | new',
      'master2 | 192.168.10.12 | kube_control_plane, etcd | new',
      'master3 | 192.168.10.13 | kube_control_plane, etcd | new',
      'worker1 | 192.168.10.21 | kube_node | new',
      'worker2 | 192.168.10.22 | kube_node | new',
    ]);
    expect(await page.getByRole('list', { name: 'Groups after the import' }).textContent()).toMatch(
      /kube_control_plane 0 → 3.*etcd 0 → 3.*kube_node 0 → 2/,
    );
    const settings = await hostRows(page, 'Settings the import changes');
    expect(settings).toEqual(
      expect.arrayContaining([
        'Kubernetes version | (empty) | 1.27.10',
        expect.stringMatching(/^Cluster name \| imported \| cluster1/),
      ]),
    );
    expect(await page.getByRole('list', { name: 'Not imported' }).textContent()).toMatch(
      /ansible_become_password looks like a secret/,
    );
    await panel.getByRole('button', { name: 'Replace the plan' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'inventory-import-01-preview.png') });

    // Nothing is replaced before the confirm.
    await goToStep(page, 'Roles');
    await poll(() => page.getByRole('table', { name: 'Hosts and roles' }).locator('tbody tr').count()).toBe(0);
    await goToStep(page, 'Review & export');
    await panel.getByRole('button', { name: 'Replace the plan' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Imported 5 hosts' }).textContent()).toMatch(
      /Imported 5 hosts from cluster1.ini/,
    );
    expect(await panel.getByRole('region', { name: 'What the import changes' }).count()).toBe(0);

    await goToStep(page, 'Roles');
    const table = page.getByRole('table', { name: 'Hosts and roles' });
    await poll(() => table.locator('tbody tr').count()).toBe(5);
    expect(await table.getByRole('checkbox', { name: 'Control plane on master2' }).isChecked()).toBe(true);
    expect(await table.getByRole('checkbox', { name: 'Worker on master2' }).isChecked()).toBe(false);
    expect(await table.getByRole('checkbox', { name: 'Worker on worker2' }).isChecked()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'inventory-import-02-roles.png') });

    // The scaled inventory as a whole folder: only worker3 is new.
    await goToStep(page, 'Review & export');
    await panel.getByLabel('Inventory folder').setInputFiles(join(fixtures, 'scale-node'));
    await poll(() => hostRows(page, preview)).toEqual([
      'master1 | 192.168.10.11 | kube_control_plane, etcd | unchanged',
      'master2 | 192.168.10.12 | kube_control_plane, etcd | unchanged',
      'master3 | 192.168.10.13 | kube_control_plane, etcd | unchanged',
      'worker1 | 192.168.10.21 | kube_node | unchanged',
      'worker2 | 192.168.10.22 | kube_node | unchanged',
      'worker3 | 192.168.10.23 | kube_node | new',
    ]);
    expect(await page.getByRole('list', { name: 'Chosen files' }).textContent()).toMatch(
      /cluster1\.ini.*group_vars\/all\/all\.yml/,
    );
    await panel.getByRole('button', { name: 'Replace the plan' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'inventory-import-03-folder.png') });
    await panel.getByRole('button', { name: 'Replace the plan' }).click();
    await goToStep(page, 'Roles');
    await poll(() => table.locator('tbody tr').count()).toBe(6);
    expect(await table.getByRole('checkbox', { name: 'Worker on worker3' }).isChecked()).toBe(true);

    // Two inventories at once are refused with the fix, and the plan stays.
    await goToStep(page, 'Review & export');
    await panel
      .getByLabel('Inventory files')
      .setInputFiles([join(folder, 'cluster1.ini'), join(fixtures, 'scale-master', 'cluster1.ini')]);
    await poll(() => panel.getByRole('alert').textContent()).toMatch(/exactly one hosts\.yaml or \.ini inventory file/);
    await page.context().close();
  });
});
