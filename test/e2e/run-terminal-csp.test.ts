import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../electron/common/run';
import { openApiClient } from '../support/api-client';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { launchPage } from '../support/chromium';
import { openProject } from '../support/wizard-page';
import { createFixtureCluster } from '../support/fixture-cluster';
import { kubesprayLog } from '../support/kubespray-log';
import { writeRunRecord } from '../support/run-record';

// xterm 6 writes its rules into <style> elements; the page's CSP allows those only with the nonce of this response.
// A finished run's log is read from the project's copy: no SSH and no lab needed to show it in the terminal.
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const log = kubesprayLog(256 * 1024);
const runId = 'r-csp-finished';
let root: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let cspMessages: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-terminal-csp-'));
  await mkdir(screenshotDir, { recursive: true });
  const dataDir = join(root, 'data');
  serve = await startServe(['--data-dir', dataDir]);
  const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
  const project = await createFixtureCluster(api, 'terminal-csp');
  await api.call('projects.setStep', { id: project.id, step: 'operate', revision: project.revision });
  api.close();
  const run: RunRecord = {
    id: runId,
    projectId: project.id,
    cluster: project.name,
    playbook: 'cluster.yml',
    commandLine: "'ansible-playbook' '-i' 'inventory/terminal-csp/hosts.yaml' 'cluster.yml' '-b'",
    startedAt: '2025-07-14T10:00:00.000Z',
    finishedAt: '2025-07-14T10:40:00.000Z',
    startedBy: 'test',
    deployNode: '10.231.0.11',
    inventoryDigest: '0'.repeat(64),
    state: 'succeeded',
    exitCode: 0,
    logBytes: Buffer.byteLength(log),
    digest: { tasksStarted: 0, hosts: {}, failures: [] },
  };
  await writeRunRecord(dataDir, run, log);

  ({ browser, page, cspMessages } = await launchPage({ viewport: { width: 1280, height: 800 } }));
  await page.goto(serve.url);
  await openProject(page, /terminal-csp/);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(root, { recursive: true, force: true });
});

const terminal = () => page.getByRole('region', { name: `Run ${runId}` }).getByRole('log', { name: 'Run output' });

describe("the run terminal under the page's CSP", () => {
  it("shows a run's whole log styled by xterm's own rules, with no CSP refusal at all", async () => {
    await expect
      .poll(async () => Number(await terminal().getAttribute('data-shown-bytes')), { timeout: 30_000 })
      .toBe(Buffer.byteLength(log));
    await expect.poll(() => terminal().textContent()).toContain('PLAY RECAP');
    // xterm's theme rule (its <style> element) is in force: the rows take the theme's foreground colour.
    expect(
      await terminal()
        .locator('.xterm-rows')
        .evaluate((rows) => getComputedStyle(rows).color),
    ).toBe('rgb(230, 237, 243)');
    await page
      .getByRole('region', { name: `Run ${runId}` })
      .screenshot({ path: join(screenshotDir, '40-run-terminal-csp.png') });
    expect(cspMessages).toEqual([]);
  });

  it('still refuses a <style> element without the nonce, and the nonce changes with every page load', async () => {
    const applied = await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { --injected: yes; }';
      document.head.append(style);
      return getComputedStyle(document.body).getPropertyValue('--injected');
    });
    expect(applied).toBe('');
    await expect.poll(() => cspMessages.length).toBeGreaterThan(0);
    const nonces = await Promise.all(
      [1, 2].map(
        async () =>
          /'nonce-([^']+)'/.exec((await page.request.get(serve.url)).headers()['content-security-policy'] ?? '')?.[1],
      ),
    );
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[1]).not.toBe(nonces[0]);
  });
});
