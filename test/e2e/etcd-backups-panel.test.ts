import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { EtcdBackup, EtcdBackupList, EtcdTimer } from '../../electron/common/etcd-api';
import { repoRoot } from '../support/airspray-serve';
import { harnessInChromium, setHarnessState } from '../support/step-harness';
import { projectDocument } from '../unit/renderer/scripted-api';
import { poll } from '../support/wizard-page';

/**
 * The etcd backups panel of the Operate step in Chromium, over the step-error harness (the real window, a scripted
 * API) with the list put in the store. The lab test (test/e2e/lab/etcd-backup.test.ts) takes real snapshots through
 * the CLI and the API; this one shows what the window makes of them.
 */
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const harness = harnessInChromium();

const project = projectDocument({ wizard: { step: 'operate' } });
const backup = (hour: number, revision: number): EtcdBackup => ({
  file: `20260101T${String(hour).padStart(2, '0')}0000.000Z-node1.db`,
  takenAt: `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`,
  member: { name: 'node1', address: '10.0.0.11' },
  sizeBytes: 3_400_000 + revision,
  sha256: `${revision}`.padEnd(64, 'f'),
  revision,
  totalKeys: 812,
  etcdHash: 1,
});
const list: EtcdBackupList = {
  folder: '/media/stick/airspray-data/projects/p1/etcd-backups',
  kept: 5,
  backups: [backup(12, 40213), backup(6, 39877)],
};

/** The harness on the Operate step with the project open, and its etcd backups panel. */
async function openPanel() {
  const opened = await harness.open({ currentProject: project, step: 'operate' });
  return { ...opened, panel: opened.page.getByRole('region', { name: 'etcd backups' }) };
}

/** The scripted API has no answers: an alert in `where` saying so for `method` shows that the call was made. */
const calledWithoutAnswer = (where: Locator, method: string) =>
  poll(() => where.getByRole('alert').textContent()).toContain(`no answer for ${method}`);

describe('the etcd backups panel in Chromium', { timeout: 60_000 }, () => {
  it('lists the snapshots newest first, says where they are kept, and offers the backup', async () => {
    const { context, page, panel } = await openPanel();
    // The panel lists on opening and shows the missing answer; then the test puts the list in.
    await calledWithoutAnswer(panel, 'etcd.backups');
    await setHarnessState(page, {
      etcdBackups: list,
      etcdBackupsProjectId: project.id,
      lastEtcdBackup: { backup: list.backups[0], folder: list.folder, removed: ['old.db'] },
      etcdBackupError: null,
    });
    const rows = panel.getByRole('table', { name: 'etcd backups' }).locator('tbody tr');
    await poll(() => rows.count()).toBe(2);
    const cells = await rows.evaluateAll((found) =>
      found.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );
    expect(cells.map((row) => row.slice(1, 6))).toEqual([
      ['node1', '40213', '812', '3.4 MB', `40213${'f'.repeat(11)}…`],
      ['node1', '39877', '812', '3.4 MB', `39877${'f'.repeat(11)}…`],
    ]);
    expect(cells[0]![0]).toContain('20260101T120000.000Z-node1.db');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain(`(${list.folder}), keeping the last 5`);
    expect(text).toContain('Snapshot from node1 at revision 40213 saved, sha256 checked; removed 1 older one.');
    expect(await panel.getByRole('alert').count()).toBe(0);
    await expect(panel.getByRole('button', { name: 'Back up etcd' }).isEnabled()).resolves.toBe(true);
    await panel.screenshot({ path: join(screenshotDir, '44-operate-etcd-backups-scripted.png') });
    await context.close();
  });

  it('asks before a restore, naming what is lost, and restores only once confirmed', async () => {
    const { context, page, panel } = await openPanel();
    await setHarnessState(page, {
      etcdBackups: list,
      etcdBackupsProjectId: project.id,
      selectedCredentialId: 'cred-1',
      etcdBackupError: null,
    });
    await panel.getByRole('button', { name: `Restore etcd from ${list.backups[1]!.file}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore etcd from this snapshot?' });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('(etcd revision 39877) is lost');
    expect(text).toContain('the old one is moved aside, not deleted');
    await page.screenshot({ path: join(screenshotDir, '46-operate-etcd-restore-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.count()).toBe(0);
    expect(await panel.getByRole('alert').count()).toBe(0);
    await panel.getByRole('button', { name: `Restore etcd from ${list.backups[1]!.file}` }).click();
    await dialog.getByRole('button', { name: 'Restore to revision 39877' }).click();
    await calledWithoutAnswer(panel, 'etcd.restore');
    await context.close();
  });

  it("shows the timer's Schedule line after a collect, marks its snapshots, and turns it on every N hours", async () => {
    const { context, page, panel } = await openPanel();
    const timed: EtcdBackup = { ...backup(18, 40500), takenBy: 'timer' };
    const timer: EtcdTimer = {
      host: timed.member,
      every: '6h',
      keep: 5,
      lastRun: 'exit-code',
      snapshots: [
        { ...timed, name: '20260101T180000.000Z', status: { hash: 1, revision: 40500, totalKey: 812, totalSize: 1 } },
      ],
    };
    await setHarnessState(page, {
      etcdBackups: { ...list, backups: [timed, ...list.backups] },
      etcdBackupsProjectId: project.id,
      etcdTimer: timer,
      etcdTimerProjectId: project.id,
      lastEtcdCollect: { timer, collected: [timed], folder: list.folder, removed: [] },
      selectedCredentialId: 'cred-1',
      etcdBackupError: null,
    });
    const schedule = panel.getByRole('group', { name: 'Schedule' });
    await poll(() => schedule.textContent()).toContain(
      'A timer on node1 takes a snapshot every 6h and keeps the last 5 there; the newest was taken',
    );
    const text = (await schedule.textContent()) ?? '';
    expect(text).toContain(
      'Its last run failed (exit-code): journalctl -u airspray-etcd-snapshot.service on node1 says why.',
    );
    expect(text).toContain('Collected 1 snapshot.');
    const firstRow = panel.getByRole('table', { name: 'etcd backups' }).locator('tbody tr').first();
    expect(await firstRow.locator('td').nth(1).textContent()).toBe('node1by the timer');
    await panel.screenshot({ path: join(screenshotDir, '47-operate-etcd-schedule.png') });
    await schedule.getByLabel('Every (hours)').fill('12');
    await schedule.getByRole('button', { name: 'Turn on' }).click();
    await calledWithoutAnswer(schedule, 'etcd.schedule');
    await context.close();
  });

  it('sets how many are kept on the Settings step, within 1 to 100, empty for the default', async () => {
    const { context, page } = await harness.open({ currentProject: project, step: 'settings' });
    const section = page.getByRole('region', { name: 'Day two' });
    const field = section.getByLabel('etcd backups kept');
    const kept = () =>
      page.evaluate(
        () =>
          (
            window as unknown as {
              harnessStore: {
                getState(): { planDraft: { plan: { settings: { etcdBackupsKept?: number } } } | null };
              };
            }
          ).harnessStore.getState().planDraft?.plan.settings.etcdBackupsKept ?? 'unset',
      );
    expect(await field.getAttribute('placeholder')).toBe('5');
    await field.fill('12');
    await poll(kept).toBe(12);
    await field.fill('0');
    await poll(kept).toBe(1);
    await field.fill('');
    await poll(kept).toBe('unset');
    await field.fill('3');
    // The same input keeps the node prefix within 1 to 32 (not optional: emptied, it is kubespray's 24).
    const nodePrefix = page.getByRole('region', { name: 'Networks' }).getByLabel('Node prefix');
    await nodePrefix.fill('40');
    await poll(() => nodePrefix.inputValue()).toBe('32');
    await nodePrefix.fill('');
    await poll(() => nodePrefix.inputValue()).toBe('24');
    await section.screenshot({ path: join(screenshotDir, '45-settings-etcd-backups-kept.png') });
    await context.close();
  });
});
