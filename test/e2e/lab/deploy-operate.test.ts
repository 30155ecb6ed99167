import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../electron/common/run';
import { execOnHost } from '../../lab/lab';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import type { ApiClient } from '../../support/api-client';
import { repoRoot } from '../../support/airspray-serve';
import { launchPage } from '../../support/chromium';
import { fixtureKubesprayDir } from '../../support/deploy-node';
import { requireLab } from '../../support/lab';
import {
  fixtureRoles,
  prepareFixtureDeployNode,
  serveFixtureCluster,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { installDeployKey } from '../../support/deploy-key';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const clusterName = 'lab-deploy';
const nodeMarker = '/var/tmp/airspray-fixture-node';

let lab: ServedFixtureCluster;
let api: ApiClient, projectId: string, credentialId: string;
let browser: Browser, page: Page;
/** Every console message about the Content Security Policy, across the whole file. */
let cspMessages: string[];

beforeAll(async () => {
  await requireLab();
  await prepareFixtureDeployNode([3, 4]);
  await execOnHost('lab4', `rm -f ${nodeMarker}`);
  await mkdir(screenshotDir, { recursive: true });
  const dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-deploy-e2e-')), 'data');
  // Discovery, access and roles have their own UI tests: here the plan goes in through the API. Runs log in with the
  // deploy key (here kept in the server's memory: no passphrase given).
  lab = await serveFixtureCluster(dataDir, clusterName, { workers: [3], trusted: [1, 2, 3, 4], step: 'deploy' });
  ({ api, projectId, credentialId } = lab);
  ({ browser, page, cspMessages } = await launchPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' }));
  await page.goto(lab.serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
});

/** Opens the project from the picker, as after starting the app or reloading the page. */
async function openProject(): Promise<void> {
  await page.getByRole('button', { name: 'Open a project' }).click();
  await page
    .getByRole('dialog', { name: 'Projects' })
    .getByRole('button', { name: new RegExp(clusterName) })
    .click();
}

async function goToStep(title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: new RegExp(title) })
    .click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

function tableRows(name: string): Promise<string[][]> {
  return page
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );
}

/** The run the view shows, by its region, and the bytes its terminal has written. */
const runView = () => page.getByRole('region', { name: /^Run r-/ });
const shownBytes = async () =>
  Number(await page.getByRole('log', { name: 'Run output' }).getAttribute('data-shown-bytes'));
/** Whether some of the terminal is inside the window: xterm paints only then, and the operator sees only that. */
async function terminalOnScreen(): Promise<boolean> {
  const box = await page.getByRole('log', { name: 'Run output' }).boundingBox();
  const height = await page.evaluate(() => window.innerHeight);
  return box !== null && box.y < height && box.y + box.height > 0;
}
const shownRunId = async () => ((await runView().getAttribute('aria-label')) ?? '').replace(/^Run /, '');

async function waitForRunEnd(runId: string): Promise<RunRecord> {
  await expect
    .poll(async () => (await api.call('runs.get', { projectId, runId })).state, { timeout: 90_000, interval: 500 })
    .not.toBe('running');
  return api.call('runs.get', { projectId, runId });
}

async function shoot(top: Locator, file: string): Promise<void> {
  await top.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, file) });
}

/** The log as the deploy node wrote it, byte for byte. */
const remoteLog = (runId: string) => execOnHost('lab1', `cat /var/lib/airspray/runs/${runId}/log`);

describe('Deploy and Operate through the UI, on the lab, against the real server', () => {
  it('runs cluster.yml live in the terminal, survives a reload mid-run without gaps, and ends with the recap of lab2 and lab3', async () => {
    await openProject();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Deploy');
    await page.getByText('Advanced').click();
    await page.getByLabel('Kubespray folder on the deploy node').fill(fixtureKubesprayDir);
    await page.getByLabel('Extra variables').fill('airspray_fixture_sleep=3');
    await page.getByRole('button', { name: 'Run cluster.yml' }).click();

    await expect.poll(() => runView().count(), { timeout: 30_000 }).toBe(1);
    const runId = await shownRunId();
    await expect.poll(() => runView().getByText('running').count()).toBeGreaterThan(0);
    // The run is brought into view: below the checklist it started out of the window, where xterm paints nothing.
    await expect.poll(terminalOnScreen).toBe(true);
    await expect.poll(shownBytes, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole('log', { name: 'Run output' }).textContent(), { timeout: 30_000 })
      .toContain('TASK [');
    await expect
      .poll(async () => (await page.getByRole('complementary', { name: 'Run summary' }).textContent()) ?? '')
      .toContain('PlayInstall the cluster (fixture)Task');
    await shoot(runView(), '30-deploy-running.png');

    // Leave and come back: the page goes away mid-run, the project is opened again, and the run is picked up.
    const beforeReload = await shownBytes();
    await page.reload();
    await openProject();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Deploy');
    await expect.poll(shownRunId).toBe(runId);
    await expect.poll(terminalOnScreen).toBe(true);
    await expect.poll(shownBytes, { timeout: 30_000 }).toBeGreaterThanOrEqual(beforeReload);
    expect((await api.call('runs.get', { projectId, runId })).state).toBe('running');

    const finished = await waitForRunEnd(runId);
    expect(finished).toMatchObject({ state: 'succeeded', exitCode: 0 });
    // Every byte of the log shown once: the terminal wrote exactly as many bytes as the deploy node logged.
    const remote = await remoteLog(runId);
    await expect.poll(shownBytes, { timeout: 30_000 }).toBe(Buffer.byteLength(remote));
    expect(finished.logBytes).toBe(Buffer.byteLength(remote));
    await expect.poll(() => runView().getByText('succeeded').count()).toBeGreaterThan(0);
    const recap = await tableRows('Play recap');
    expect(recap.map((cells) => cells[0])).toEqual(['lab2', 'lab3']);
    // Columns: host, ok, changed, unreachable, failed.
    for (const cells of recap) expect([Number(cells[1]) > 0, cells[3], cells[4]]).toEqual([true, '0', '0']);
    await expect.poll(() => page.getByRole('log', { name: 'Run output' }).textContent()).toContain('PLAY RECAP');
    // A short log: the terminal holds all of it and says nothing about the report.
    expect(
      await runView()
        .getByText(/The terminal keeps the last/)
        .count(),
    ).toBe(0);
    await shoot(runView(), '31-deploy-recap.png');
  }, 180_000);

  it('adds lab4 with facts.yml then scale.yml --limit lab4 and removes it with remove-node.yml, both from Operate, kept in the history', async () => {
    const project = await api.call('projects.open', { id: projectId });
    const hosts = [
      ...project.cluster.hosts,
      { name: 'lab4', address: hostAddress(4), roles: fixtureRoles(false, true) },
    ];
    await api.call('projects.savePlan', {
      id: projectId,
      revision: project.revision,
      hosts,
      deployNode: 'lab1',
      settings: project.cluster.settings,
    });
    // A new host gets the deploy key before it can be added, as on the Deploy step.
    await installDeployKey(api, projectId, credentialId);
    await page.reload();
    await openProject();
    await goToStep('Operate');
    await page.getByText('Advanced').click();
    await page.getByLabel('Kubespray folder on the deploy node').fill(fixtureKubesprayDir);

    // Hosts the last successful run named are in the cluster; only lab4 is ticked as new.
    await expect.poll(() => page.getByLabel(/^lab4/).isChecked()).toBe(true);
    expect(await page.getByLabel(/^lab2/).isChecked()).toBe(false);
    expect(await page.getByLabel(/^lab3/).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Add lab4' }).click();
    // kubespray's procedure for a worker, as `airspray node add` runs it: every host's facts, then scale.yml on lab4.
    const actions = page.getByRole('region', { name: 'Day-two actions' });
    const procedure = actions.getByRole('list', { name: 'Runs of the procedure' });
    await expect
      .poll(() => procedure.locator('li').allTextContents(), { timeout: 120_000 })
      .toEqual(['playbooks/facts.yml done', 'scale.yml --limit lab4 done']);
    expect(await actions.getByRole('status').textContent()).toBe(
      "Deploy key works on lab4; kubespray's procedure started: its runs are listed above, each shows below as it runs.",
    );
    const [scaled, facts] = await api.call('runs.list', { projectId });
    expect(facts).toMatchObject({ state: 'succeeded', playbook: 'playbooks/facts.yml' });
    expect(facts!.commandLine).not.toContain('--limit');
    expect(Object.keys(facts!.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab3', 'lab4']);
    expect(scaled).toMatchObject({ state: 'succeeded', playbook: 'scale.yml' });
    expect(scaled!.commandLine).toContain("'--limit' 'lab4'");
    // The terminal followed the procedure to its last run.
    await expect.poll(shownRunId).toBe(scaled!.id);
    await expect.poll(async () => (await tableRows('Play recap')).map((cells) => cells[0])).toEqual(['lab4']);
    // lab4 joined: it is no longer ticked, and the procedure stays in sight with how each run went.
    await expect.poll(() => page.getByLabel(/^lab4/).isChecked()).toBe(false);
    await shoot(actions, 'day-two-add-nodes-procedure.png');
    expect(await execOnHost('lab4', `cat ${nodeMarker}`)).toContain('lab4 added by scale.yml');

    await page.getByRole('tab', { name: 'Remove node' }).click();
    await page.getByLabel('Node to remove').selectOption('lab4');
    await page.getByRole('button', { name: 'Remove lab4' }).click();
    await expect
      .poll(async () => (await runView().textContent())?.includes('remove-node.yml'), { timeout: 30_000 })
      .toBe(true);
    const removeId = await shownRunId();
    const removed = await waitForRunEnd(removeId);
    expect(removed).toMatchObject({ state: 'succeeded', playbook: 'remove-node.yml' });
    expect(removed.commandLine).toContain('"node":"lab4"');
    expect(removed.commandLine).toContain('"skip_confirmation":true');
    await expect.poll(async () => (await tableRows('Play recap')).map((cells) => cells[0])).toEqual(['lab4']);
    expect(await execOnHost('lab4', `test -e ${nodeMarker} && echo present || echo absent`)).toContain('absent');
    // The removed node left the plan, so the next cluster.yml cannot deploy it again; Add nodes no longer offers it.
    expect((await api.call('projects.open', { id: projectId })).cluster.hosts.map((host) => host.name)).toEqual([
      'lab1',
      'lab2',
      'lab3',
    ]);
    await page.getByRole('tab', { name: 'Add nodes' }).click();
    await expect.poll(() => page.getByLabel(/^lab4/).count()).toBe(0);
    await expect.poll(() => page.getByLabel(/^lab3/).count()).toBe(1);

    await expect
      .poll(async () => (await tableRows('Run history')).map((cells) => [cells[2], cells[3]]))
      .toEqual([
        ['remove-node.yml', 'succeeded'],
        ['scale.yml', 'succeeded'],
        ['playbooks/facts.yml', 'succeeded'],
        ['cluster.yml', 'succeeded'],
      ]);
    // Open shows an older run in the same terminal view, read back from its log.
    const clusterRow = page.getByRole('table', { name: 'Run history' }).locator('tbody tr').nth(3);
    await clusterRow.getByRole('button', { name: /^Open run/ }).click();
    await expect.poll(async () => (await runView().textContent())?.includes('cluster.yml')).toBe(true);
    await expect.poll(async () => (await tableRows('Play recap')).map((cells) => cells[0])).toEqual(['lab2', 'lab3']);
    await shoot(page.getByRole('heading', { name: 'Run history' }), '32-operate-history.png');
  }, 240_000);

  it('shows which host failed and why when a run fails on purpose (Custom, typed extra variables)', async () => {
    await page.getByRole('tab', { name: 'Custom' }).click();
    await page.getByLabel('Playbook').selectOption('cluster.yml');
    await page
      .getByRole('tabpanel')
      .getByLabel('Extra variables')
      .fill('airspray_fixture_fail_host=lab3\nairspray_fixture_services=false');
    await page.getByRole('button', { name: 'Run cluster.yml' }).click();
    await expect.poll(async () => (await tableRows('Run history')).length, { timeout: 30_000 }).toBe(5);
    // The view still shows the older run opened above until the new one is brought in: wait for the new one.
    const [newest] = await api.call('runs.list', { projectId });
    await expect.poll(shownRunId, { timeout: 30_000 }).toBe(newest!.id);
    const failed = await waitForRunEnd(newest!.id);
    expect(failed).toMatchObject({ state: 'failed', exitCode: 2 });
    // The boolean went to Ansible as JSON, not as the string "false".
    expect(failed.commandLine).toContain('"airspray_fixture_services":false');
    const failures = page.getByRole('list', { name: 'Failed tasks' });
    await expect
      .poll(() => failures.textContent(), { timeout: 30_000 })
      .toContain('lab3 failed: Fail on purpose on the chosen host');
    expect(await failures.textContent()).toContain('lab3 fails on purpose (airspray_fixture_fail_host)');
    const recap = await tableRows('Play recap');
    expect(recap.find((cells) => cells[0] === 'lab3')?.[4]).toBe('1');
    expect(recap.find((cells) => cells[0] === 'lab2')?.[4]).toBe('0');
    expect((await tableRows('Run history'))[0]?.slice(2, 5)).toEqual(['cluster.yml', 'failed', '2']);
    await shoot(runView(), '33-operate-failure.png');
    expect(await page.locator('body').textContent()).not.toContain(labAccounts.ops.password);
    // All five ended runs are sealed into the project's chain, the failed one last, and nothing was changed since.
    expect(failed.seal?.sequence).toBe(5);
    expect(await api.call('runs.verify', { projectId })).toMatchObject({ intact: true, records: 5, problems: [] });
  }, 120_000);

  it("renders the terminal under the app's CSP without a single refusal", () => {
    // xterm's <style> elements carry the page's nonce (see docs/security.md); anything refused is a new problem.
    expect(cspMessages).toEqual([]);
  });
});
