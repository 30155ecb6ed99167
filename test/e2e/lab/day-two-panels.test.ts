import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execOnHost } from '../../lab/lab';
import { hostAddress } from '../../lab/lab-network';
import { repoRoot } from '../../support/airspray-serve';
import { launchChromium } from '../../support/chromium';
import { fixtureKubesprayDir } from '../../support/deploy-node';
import {
  fixtureRoles,
  prepareFreshFixtureCluster,
  serveFixtureCluster,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { pkiPaths, writeKubesprayShapedPki } from '../../support/kubespray-pki';
import { requireLab } from '../../support/lab';
import { etcdCertDir, etcdctlOnHost, startKubesprayShapedEtcd } from '../../support/lab-etcd';
import { openProject, poll, recordPageErrors, setWizardTimeouts } from '../../support/wizard-page';

/**
 * The Operate step's day-two panels on one lab cluster, as docs/day-two.md shows them (1280x800, light): lab1 the
 * deploy node, lab2 control plane and etcd, lab3 a worker. Real: Debian's etcd 3.4 on lab2 in kubespray's layout
 * (test/support/lab-etcd.ts), the snapshots, the certificate check over sudo, the health report, every call from the
 * window through `airspray serve`. Stand-ins, as in the lab's other tests: the fixture cluster.yml (an admin.conf and
 * a kubectl that lists the recorded nodes; no Kubernetes runs in the lab) and a kubespray-shaped PKI made with
 * openssl (test/support/kubespray-pki.ts).
 */
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const member = { name: 'lab2', address: hostAddress(2) };
let lab: ServedFixtureCluster;
let browser: Browser;
let page: Page;
let errors: string[];

const etcdctl = (args: string) => etcdctlOnHost(member.name, member.address, args);

beforeAll(async () => {
  await requireLab();
  await mkdir(screenshotDir, { recursive: true });
  await prepareFreshFixtureCluster([3]);
  await startKubesprayShapedEtcd(member.name, member.address);
  for (let index = 1; index <= 5; index++) await etcdctl(`put /airspray-test/key${index} value${index}`);
  // Before cluster.yml: the fixture writes admin.conf only where there is none, so this one (20 days) stays.
  await writeKubesprayShapedPki({ etcd: false });
  const dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-day-two-')), 'data');
  // No passphrase: the deploy key stays in the server's memory, and the window needs none typed.
  lab = await serveFixtureCluster(dataDir, 'day-two', { trusted: [1, 2, 3], step: 'operate' });
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  page = await context.newPage();
  setWizardTimeouts(page);
  errors = recordPageErrors(page);
  await page.goto(lab.serve.url);
  await openOperate();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
  await execOnHost(member.name, `systemctl disable --now etcd.service; rm -rf /var/lib/etcd ${etcdCertDir}`);
  for (const host of ['lab2', 'lab3']) await execOnHost(host, `rm -rf ${pkiPaths}`);
});

/** Opens the project, saved at its Operate step, from the picker (in beforeAll, where expect.poll cannot run). */
async function openOperate(): Promise<void> {
  await openProject(page, /day-two/);
  await page.getByRole('heading', { level: 1, name: 'Operate', exact: true }).waitFor({ timeout: 20_000 });
}

/** The page at 1280x800 with `section` scrolled to its top, saved as test-results/screenshots/day-two-`name`.png. */
async function screenshotAt(section: Locator, name: string): Promise<void> {
  await section.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, `day-two-${name}.png`) });
}

const rowsOf = (table: Locator) =>
  table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );

describe('the Operate panels on a lab cluster, for docs/day-two.md', () => {
  it('Cluster access: the nodes and the kubeconfig after the fixture cluster.yml', async () => {
    await lab.api.call('runs.start', {
      projectId: lab.projectId,
      credentialId: lab.credentialId,
      options: { playbook: 'cluster.yml' },
      kubesprayDir: fixtureKubesprayDir,
    });
    const panel = page.getByRole('region', { name: 'Cluster access' });
    await poll(
      async () => (await rowsOf(panel.getByRole('table', { name: 'Nodes' }))).map((row) => row[0]),
      90_000,
    ).toEqual(['lab2', 'lab3']);
    expect(await panel.textContent()).toContain(`admin.conf from lab2 (${member.address})`);
    await screenshotAt(panel, 'cluster-access');
  }, 180_000);

  it('Certificates: every file of lab2 and lab3 soonest first, the real etcd certificates among them', async () => {
    const panel = page.getByRole('region', { name: 'Certificates' });
    await panel.getByRole('button', { name: 'Check certificates' }).click();
    const table = panel.getByRole('table', { name: 'Certificates' });
    await poll(async () => (await rowsOf(table)).length, 60_000).toBeGreaterThan(0);
    const rows = await rowsOf(table);
    expect(rows.slice(0, 2).map((row) => [row[0], row[3], row[4]])).toEqual([
      ['lab3', '4 d', 'Under 7 days'],
      ['lab2', '19 d', 'Under 30 days'],
    ]);
    expect(rows.some((row) => row[1]!.includes(`${etcdCertDir}/member-lab2.pem`))).toBe(true);
    await screenshotAt(panel, 'certificates');
  }, 120_000);

  it('etcd backups: two snapshots of the real etcd, newest first, and the question before a restore', async () => {
    const panel = page.getByRole('region', { name: 'etcd backups' });
    const table = panel.getByRole('table', { name: 'etcd backups' });
    await panel.getByRole('button', { name: 'Back up etcd' }).click();
    await poll(async () => (await rowsOf(table)).length, 60_000).toBe(1);
    await etcdctl('put /airspray-test/key6 value6');
    await panel.getByRole('button', { name: 'Back up etcd' }).click();
    await poll(async () => (await rowsOf(table)).length, 60_000).toBe(2);
    const [newest, older] = await rowsOf(table);
    expect([newest![1], older![1]]).toEqual(['lab2', 'lab2']);
    expect(Number(newest![2])).toBeGreaterThan(Number(older![2]));
    await poll(() => panel.getByRole('status').first().textContent()).toContain('sha256 checked');
    await screenshotAt(panel, 'etcd-backups');

    await table
      .locator('tbody tr')
      .nth(1)
      .getByRole('button', { name: /^Restore etcd from / })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Restore etcd from this snapshot?' });
    expect(await dialog.textContent()).toContain(`(etcd revision ${older![2]}) is lost`);
    await page.screenshot({ path: join(screenshotDir, 'day-two-etcd-restore.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.count()).toBe(0);
  }, 180_000);

  it('Health report: saved as one page with the nodes, the etcd member, the certificates and the last backup', async () => {
    const panel = page.getByRole('region', { name: 'Health report' });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      panel.getByRole('button', { name: 'Save the health report' }).click(),
    ]);
    await poll(() => panel.getByRole('status').textContent()).toBe(`Saved ${download.suggestedFilename()}.`);
    await screenshotAt(panel, 'health-report');
    const html = await readFile((await download.path())!, 'utf8');
    const report = await page.context().newPage();
    await report.setContent(html);
    const text = await report.locator('body').innerText();
    // The etcd member by kubespray's name and endpoint, the worker's kubelet client (4 days), the cluster.yml run.
    for (const part of ['etcd1', `https://${member.address}:2379`, 'Kubelet client', 'cluster.yml'])
      expect(text, `the report names ${part}`).toContain(part);
    await report.screenshot({ path: join(screenshotDir, 'day-two-health-report-page.png') });
    await report.close();
  }, 180_000);

  it('Add nodes and Remove node: lab4, planned after the install, is the one offered to add', async () => {
    const project = await lab.api.call('projects.open', { id: lab.projectId });
    await lab.api.call('projects.savePlan', {
      id: lab.projectId,
      revision: project.revision,
      hosts: [...project.cluster.hosts, { name: 'lab4', address: hostAddress(4), roles: fixtureRoles(false, true) }],
      deployNode: 'lab1',
      settings: project.cluster.settings,
    });
    // The window reads the plan when the project opens.
    await page.reload();
    await openOperate();
    const actions = page.getByRole('region', { name: 'Day-two actions' });
    await poll(() => page.getByLabel(/^lab4/).isChecked()).toBe(true);
    expect(await page.getByLabel(/^lab2/).isChecked()).toBe(false);
    expect(await page.getByLabel(/^lab3/).isChecked()).toBe(false);
    expect(await actions.getByRole('button', { name: 'Add lab4' }).isEnabled()).toBe(true);
    await screenshotAt(actions, 'add-nodes');

    await actions.getByRole('tab', { name: 'Remove node' }).click();
    await actions.getByLabel('Node to remove').selectOption('lab3');
    expect(await actions.getByRole('button', { name: 'Remove lab3' }).isEnabled()).toBe(true);
    await screenshotAt(actions, 'remove-node');
    expect(errors).toEqual([]);
  }, 120_000);
});
