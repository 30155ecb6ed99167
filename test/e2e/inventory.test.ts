import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, serveWithOneBundle } from '../support/airspray-serve';
import { inChromium } from '../support/chromium';
import { goToStep, poll, setWizardTimeouts } from '../support/wizard-page';

const run = promisify(execFile);
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const app = inChromium(
  () => serveWithOneBundle('airspray-e2e-inventory-', ['1.27.10', '1.26.13']),
  ({ serve }) => serve.stop(),
);

const findingRules = (page: Page, list: string) =>
  page
    .getByRole('region', { name: list })
    .locator('[data-rule]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')));

describe('Roles, Settings and Review & export in Chromium against the real server', () => {
  it(
    'types hosts in, suggests a topology, shows findings live, and exports an inventory Ansible reads',
    { timeout: 90_000 },
    async () => {
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      const page = await context.newPage();
      // A missing control fails fast, naming it, instead of timing out the whole test.
      setWizardTimeouts(page);
      await page.goto(app.serve.url);
      await page.getByLabel('Cluster name').fill('e2e-inv');
      await page.getByRole('button', { name: 'Create project' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Bundle');

      await poll(() => page.getByText('No project open').count(), 15_000).toBe(0);
      await goToStep(page, 'Roles');
      const addHost = page.locator('form[aria-label="Add a host"]');
      await addHost.getByLabel('Host name').fill('Bad_Name');
      await addHost.getByLabel('Address').fill('10.20.0.11');
      await addHost.getByRole('button', { name: 'Add host' }).click();
      for (const [index, name] of ['node1', 'node2', 'node3', 'node4'].entries()) {
        await addHost.getByLabel('Host name').fill(name);
        await addHost.getByLabel('Address').fill(`10.20.0.${11 + index}`);
        await addHost.getByRole('button', { name: 'Add host' }).click();
      }
      const table = page.getByRole('table', { name: 'Hosts and roles' });
      await poll(() => table.locator('tbody tr').count()).toBe(5);

      // The name rule and the missing roles show before any save round trip.
      const hostChecks = 'Checks on hosts and roles';
      await poll(() => findingRules(page, hostChecks)).toEqual(
        expect.arrayContaining(['host-name-invalid', 'control-plane-required', 'deploy-node-required']),
      );
      await page.getByRole('region', { name: hostChecks }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(screenshotDir, 'inventory-01-roles-findings.png') });

      await table.getByRole('checkbox', { name: 'Select Bad_Name' }).check();
      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByRole('button', { name: 'Suggest a topology' }).click();
      await poll(() => page.getByRole('list', { name: 'Why this topology' }).textContent()).toMatch(
        /node1, node2, node3 are the three control planes/,
      );
      await poll(() => findingRules(page, hostChecks)).not.toContain('control-plane-required');
      expect(await table.getByRole('checkbox', { name: 'Worker on node4' }).isChecked()).toBe(true);
      expect(await table.getByRole('checkbox', { name: 'Control plane on node4' }).isChecked()).toBe(false);
      expect(await page.getByRole('region', { name: 'Topology' }).textContent()).toMatch(/Survives 1 failure/);

      // An even etcd count trips live, and clears again.
      await table.getByRole('checkbox', { name: 'etcd on node4' }).check();
      await poll(() => findingRules(page, hostChecks)).toContain('etcd-odd');
      await page.getByRole('region', { name: 'Topology' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(screenshotDir, 'inventory-02-roles-etcd-even.png') });
      await table.getByRole('checkbox', { name: 'etcd on node4' }).uncheck();
      await poll(() => findingRules(page, hostChecks)).not.toContain('etcd-odd');
      await page.screenshot({ path: join(screenshotDir, 'inventory-03-roles-suggested.png') });

      await goToStep(page, 'Settings');
      const settingsChecks = 'Checks on settings';
      await poll(() => findingRules(page, settingsChecks)).toEqual(
        expect.arrayContaining(['bundle-missing', 'kubernetes-version-required']),
      );
      await page.getByLabel('Bundle', { exact: true }).selectOption({ label: 'ks-2.23.3-e2e' });
      await poll(async () =>
        (await page.getByLabel('Kubernetes version').locator('option').allTextContents()).join(','),
      ).toContain('1.27.10');
      await page.getByLabel('Kubernetes version').selectOption('1.27.10');
      await page.getByLabel('Pod network (CIDR)').fill('10.20.0.0/16');
      await poll(() => findingRules(page, settingsChecks)).toContain('cidr-overlaps-node-network');
      await page.screenshot({ path: join(screenshotDir, 'inventory-04-settings-overlap.png') });
      await page.getByLabel('Pod network (CIDR)').fill('10.233.64.0/18');
      await poll(() => findingRules(page, settingsChecks)).toEqual([]);
      await page.getByLabel('NTP servers on the LAN').fill('ntp1.lan\nntp2.lan');
      await page.getByLabel('Kubespray variables as YAML').click();

      await goToStep(page, 'Review & export');
      const files = page.getByRole('region', { name: 'Files to be written' });
      await poll(() => files.textContent()).toContain('group_vars/all/offline.yml');
      // Hand-typed hosts carry an unchecked-facts warning; warnings do not block.
      await poll(() => findingRules(page, 'Checks before export')).toEqual([
        'facts-missing',
        'facts-missing',
        'facts-missing',
        'facts-missing',
      ]);
      await page.screenshot({ path: join(screenshotDir, 'inventory-05-review.png') });

      // The fixture bundle is not signed: the download set is not checked here, and the panel says where it is instead.
      const downloads = page.getByRole('region', { name: 'What kubespray will download' });
      await downloads.getByRole('button', { name: 'Check against the bundle' }).click();
      await poll(() => downloads.getByRole('status').textContent()).toMatch(
        /ks-2\.23\.3-e2e.*checks it on the deploy node before it starts/,
      );
      await downloads.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(screenshotDir, 'inventory-05b-review-downloads.png') });

      const downloadPromise = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export .tar.gz' }).click();
      const download = await downloadPromise;
      expect(download.suggestedFilename()).toBe('e2e-inv-inventory.tar.gz');
      const archive = join(app.root, 'download.tar.gz');
      await download.saveAs(archive);
      const unpacked = join(app.root, 'unpacked');
      await mkdir(unpacked);
      await run('tar', ['-xzf', archive, '-C', unpacked]);
      expect(await readdir(join(unpacked, 'e2e-inv-inventory'))).toEqual(
        expect.arrayContaining(['hosts.yaml', 'inventory.ini', 'group_vars']),
      );
      const { stdout } = await run(
        'ansible-inventory',
        ['-i', join(unpacked, 'e2e-inv-inventory', 'hosts.yaml'), '--list', '--export'],
        {
          env: {
            ...process.env,
            ANSIBLE_HOME: join(app.root, 'ansible'),
            ANSIBLE_LOCAL_TEMP: join(app.root, 'ansible', 'tmp'),
          },
        },
      );
      const listed = JSON.parse(stdout) as Record<string, { hosts?: string[]; vars?: Record<string, unknown> }>;
      expect(listed.kube_control_plane?.hosts).toEqual(['node1', 'node2', 'node3']);
      expect(listed.kube_node?.hosts).toEqual(['node4']);
      expect(listed.all?.vars?.ntp_servers).toEqual(['ntp1.lan iburst', 'ntp2.lan iburst']);
      expect(listed.all?.vars?.registry_host).toBe('10.20.0.11:5000');

      // After the export the preview compares against it: a settings change shows as a changed file.
      await goToStep(page, 'Settings');
      await page.getByLabel('kube-proxy mode').selectOption('iptables');
      await goToStep(page, 'Review & export');
      await page.getByRole('button', { name: /k8s-cluster\.yml/ }).click();
      // Not just /changed/: "unchanged" holds it too.
      await poll(() => files.textContent()).toMatch(/k8s-cluster\.yml\s*changed/);
      await poll(() =>
        page.getByLabel('Changes to group_vars/k8s_cluster/k8s-cluster.yml since the last export').textContent(),
      ).toMatch(/- kube_proxy_mode: ipvs[\s\S]*\+ kube_proxy_mode: iptables/);
      await page.screenshot({ path: join(screenshotDir, 'inventory-06-review-diff.png') });
      await context.close();
    },
  );
});
