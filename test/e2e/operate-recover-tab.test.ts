import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdBackupFolder } from '../../electron/node/etcd/backup-index';
import { ProjectStore } from '../../electron/node/projects/project-store';
import { repoRoot, serveWithApi, type ServedApi } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';
import { createFixtureCluster, fixtureRoles } from '../support/fixture-cluster';
import { storeBackup } from '../support/stored-backup';
import { openOperateTab, poll } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

/**
 * Operate's Recover tab in Chromium against the real `airspray serve`: lab2, lab4 and lab5 are control planes and etcd
 * members, and the project has one stored etcd backup. No host is contacted: the run needs the lab
 * (test/integration/node-recover-lab.test.ts), so this stops at what the window shows before one starts.
 */
let served: ServedApi;
let browser: Browser;
const backupFile = '20261206T021500.123Z-lab2.db';

/** One backup in the project's folder and its index, as airspray etcd backup leaves it. */
const storeProjectBackup = (dataDir: string, projectId: string) =>
  storeBackup(etcdBackupFolder(new ProjectStore(dataDir).projectFolder(projectId)), Buffer.from('an etcd snapshot'), {
    file: backupFile,
    takenAt: '2026-12-06T02:15:00.123Z',
    member: { name: 'lab2', address: '10.231.0.12' },
    revision: 40213,
  });

beforeAll(async () => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-e2e-recover-')), 'data');
  served = await serveWithApi(['--data-dir', dataDir]);
  const { api } = served;
  const project = await createFixtureCluster(api, 'recover-tab', { workers: [3, 4, 5] });
  const hosts = project.cluster.hosts.map((host) =>
    ['lab4', 'lab5'].includes(host.name) ? { ...host, roles: { ...fixtureRoles(true, false), etcd: true } } : host,
  );
  const updated = await api.call('projects.setHosts', { id: project.id, revision: project.revision, hosts });
  await api.call('projects.setStep', { id: project.id, step: 'operate', revision: updated.revision });
  await storeProjectBackup(dataDir, project.id);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const openRecoverTab = () =>
  openOperateTab(browser, served.serve.url, { project: /recover-tab/, tab: 'Recover control plane' });

describe("Operate's Recover tab against the real server", () => {
  it("shows kubespray's run and what may be lost, with a stored backup too, starts only once confirmed, and says why a recovery is refused", async () => {
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
    await panel.getByRole('combobox', { name: /etcd backup to restore from/ }).selectOption(backupFile);
    await poll(() => panel.getByRole('list', { name: 'Runs of the procedure' }).textContent()).toBe(
      `recover-control-plane.yml --limit etcd,kube_control_plane -e etcd_retries=10 -e etcd_snapshot=/var/lib/airspray/etcd-snapshots/recover-tab/${backupFile}`,
    );
    expect(await panel.textContent()).toMatch(
      /With the backup 20261206T021500\.123Z-lab2\.db \(taken 2026-12-06T02:15:00\.123Z on lab2, etcd revision 40213\): if etcd lost its quorum, kubespray restores it from this backup .*every write to the cluster after 2026-12-06T02:15:00\.123Z is lost/,
    );
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
