import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { repoRoot } from '../support/airspray-serve';
import { inChromium } from '../support/chromium';
import { openRolesStep, serveLargePlan } from '../support/large-plan';
import { openWizardPage, poll } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const app = inChromium(
  () => serveLargePlan('dc500', 500),
  async ({ serve, root }) => {
    await serve.stop();
    await rm(root, { recursive: true, force: true });
  },
);

describe('the Roles step with a 500-host plan, in Chromium against the real server', () => {
  it('shows a window of the rows, filters by range, network and name, assigns a role to a selection in one save, and scrolls to the last host', async () => {
    const page = await openWizardPage(app.browser, app.serve.url);
    await openRolesStep(page, 'dc500');
    const table = page.getByRole('table', { name: 'Hosts and roles' });
    const rows = table.locator('tbody tr[data-host]');
    const shown = page.getByRole('status').filter({ hasText: /hosts shown/ });
    expect(await table.getAttribute('aria-rowcount')).toBe('501');
    await poll(() => shown.textContent()).toBe('500 of 500 hosts shown');
    expect(await rows.count()).toBeLessThan(60);
    // 500 hosts without a role: ten of their warnings listed, the rest counted.
    const checks = page.getByRole('region', { name: 'Checks on hosts and roles' });
    expect(await checks.locator('[data-rule="host-without-role"]').count()).toBe(10);
    expect(await checks.textContent()).toMatch(/and 490 more like those above/);

    const store = new ProjectStore(join(app.root, 'data'));
    const [summary] = await store.list();
    const before = await store.open(summary!.id);
    const filter = page.getByLabel('Filter hosts');
    await filter.fill('node[101:200]');
    await poll(() => shown.textContent()).toBe('100 of 500 hosts shown');
    expect(await rows.first().getAttribute('data-host')).toBe('node101');
    await page.getByRole('button', { name: 'Select the 100 shown' }).click();
    await poll(() => page.getByText('100 selected').count()).toBe(1);
    const bulk = page.getByRole('group', { name: 'Roles for the selected hosts' });
    await bulk.getByLabel('Role').selectOption({ label: 'Worker' });
    await bulk.getByRole('button', { name: 'Give role' }).click();
    await poll(() => table.getByRole('checkbox', { name: 'Worker on node101' }).isChecked()).toBe(true);
    // The hundred hosts got their role in one edit of the plan: one save, one revision.
    await poll(async () => (await store.open(before.id)).cluster.hosts.filter((host) => host.roles.worker).length).toBe(
      100,
    );
    const after = await store.open(before.id);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.cluster.hosts.filter((host) => host.roles.worker).map((host) => host.name)).toEqual(
      before.cluster.hosts.slice(100, 200).map((host) => host.name),
    );

    // The range 10.0.3.0/24 is the third hundred; a half-typed range keeps the rows and says what is wrong.
    await filter.fill('10.0.3.0/24');
    await poll(() => shown.textContent()).toBe('100 of 500 hosts shown');
    expect(await rows.first().getAttribute('data-host')).toBe('node201');
    await filter.fill('node[300:201]');
    await poll(() => page.getByRole('alert').textContent()).toMatch(/node\[300:201\] runs backwards/);
    expect(await shown.textContent()).toBe('100 of 500 hosts shown');
    await filter.fill('');
    await poll(() => shown.textContent()).toBe('500 of 500 hosts shown');
    expect(await page.getByRole('alert').count()).toBe(0);

    // Scrolling reaches the last host while the page still holds only a window of rows.
    const scroller = page.locator('.host-table-scroll');
    for (let step = 0; step < 5 && (await table.locator('tr[data-host="node500"]').count()) === 0; step += 1) {
      await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await page.waitForTimeout(100);
    }
    await poll(() => table.locator('tr[data-host="node500"]').count()).toBe(1);
    expect(await rows.count()).toBeLessThan(60);
    expect(await table.locator('tr[data-host="node001"]').count()).toBe(0);

    // Sorting by name, descending, puts node500 first; at the top again.
    await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
    await table.getByRole('button', { name: 'Name' }).click();
    await table.getByRole('button', { name: 'Name' }).click();
    await poll(() => rows.first().getAttribute('data-host')).toBe('node500');
    expect(await table.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('descending');

    // At 500 hosts over five /24s the suggestion takes five control planes, one from each.
    await page.getByRole('button', { name: 'Suggest a topology' }).click();
    const topology = page.getByRole('region', { name: 'Topology' });
    await poll(() => topology.textContent()).toMatch(/Control plane \(5\).*etcd \(5\).*Workers \(495\)/);
    expect(await page.getByRole('list', { name: 'Why this topology' }).textContent()).toMatch(
      /spread over 10\.0\.1\.0\/24, 10\.0\.2\.0\/24, 10\.0\.3\.0\/24, 10\.0\.4\.0\/24, 10\.0\.5\.0\/24/,
    );
    await filter.fill('10.0.2.0/24');
    await poll(() => shown.textContent()).toBe('100 of 500 hosts shown');
    await filter.evaluate((element) => element.closest('.host-filter')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screenshotDir, 'roles-500-hosts.png') });
    await page.context().close();
  });
});
