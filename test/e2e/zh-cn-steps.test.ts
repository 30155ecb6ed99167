import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wizardSteps } from '../../electron/common/wizard';
import coreZhCN from '../../renderer/i18n/core-zh-CN.json';
import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';
import type { RunRecord } from '../../electron/common/run';
import { openApiClient } from '../support/api-client';
import { repoRoot, serveWithOneBundle, type ServeProcess } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';
import { createFixtureCluster } from '../support/fixture-cluster';
import { kubesprayLog } from '../support/kubespray-log';
import { finishedRun, writeRunRecord } from '../support/run-record';
import { poll, recordPageErrors, setWizardTimeouts } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
/** The steps whose every word comes from the catalog so far; the others are still English (docs/i18n-glossary.md). */
const convertedSteps = ['bundle', 'discover', 'access', 'roles', 'settings', 'review', 'deploy', 'operate'] as const;
/** English step titles and navigation buttons, as whole words: none may show on a converted step in zh-CN. */
const englishNavigation = [...wizardSteps.map((step) => step.title), en['frame.footer.back'], en['frame.footer.next']];
let serve: ServeProcess;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  ({ serve, dataDir } = await serveWithOneBundle('airspray-e2e-zh-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** A window whose browser language is Chinese, as on an operator's laptop set to 简体中文. */
async function openChinesePage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  setWizardTimeouts(page);
  const errors = recordPageErrors(page);
  await page.goto(serve.url);
  return { page, errors };
}

async function openStep(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: zhCN['frame.stepNav.label'] })
    .getByRole('button', { name: title })
    .click();
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

/**
 * A project with the bundle and its Kubernetes version chosen, so Settings and Review show their sections rather than
 * nothing, and the Settings step shows its sections rather than a missing-version finding.
 */
async function createProjectWithBundle(page: Page): Promise<void> {
  await page.getByLabel(zhCN['frame.newProject.name']).fill('zh-walk');
  await page.getByRole('button', { name: zhCN['frame.newProject.create'] }).click();
  await poll(() => page.getByText(zhCN['frame.noProject.title']).count(), 15_000).toBe(0);
  await openStep(page, zhCN['step.settings.title']);
  await page.getByLabel(zhCN['settings.bundle.label'], { exact: true }).selectOption({ label: 'ks-2.23.3-e2e' });
  const version = page.getByLabel(zhCN['settings.kubernetesVersion']);
  // A text field until the chosen bundle is saved into the plan, then a choice of the bundle's versions.
  await poll(() => version.evaluate((element) => element.tagName)).toBe('SELECT');
  await version.selectOption('1.27.10');
}

/**
 * What a step shows once worked on: on Bundle a finished quick check (its result), on Roles the core's plan findings
 * in Chinese (a new project has no control plane), on Review the checks before export.
 * Not the download check: its answer here is the core's reason, English until the core reports ids (issue #19).
 */
async function workOnStep(page: Page, id: (typeof convertedSteps)[number]): Promise<void> {
  if (id === 'bundle') {
    await page.getByRole('button', { name: zhCN['bundle.verify.quick'] }).click();
    await poll(() => page.locator('.verification__result').count(), 15_000).toBe(1);
  }
  if (id === 'roles') {
    await poll(() => page.getByText(coreZhCN['plan.control-plane-required']).count(), 15_000).toBe(1);
  }
  if (id === 'review') {
    await poll(() => page.getByText(zhCN['review.findings']).count(), 15_000).toBe(1);
  }
}

/** --font-chinese (renderer/styles/theme.css); Chromium gives full names ("Noto Sans SC Thin SemiBold"). */
const chineseFonts = ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC'];
const isChineseFont = (family: string) => chineseFonts.some((name) => family.startsWith(name));

/** The fonts Chromium actually drew the step's heading with (not the CSS stack): a box is drawn by a Latin font. */
async function fontsDrawingHeading(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts.map((font) => font.familyName);
}

const englishWordsOn = (text: string) =>
  englishNavigation.filter((word) => new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(text));

describe('the window in Simplified Chinese (1280x800)', () => {
  it('finds English step titles and buttons as words, not inside other words (the check below can fail)', () => {
    expect(englishWordsOn('← Back 下一步 Discovered Review & export')).toEqual(['Review & export', 'Back']);
  });

  it('starts in 简体中文 for a Chinese browser and shows the converted steps with no English titles or buttons', async () => {
    const { page, errors } = await openChinesePage();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await createProjectWithBundle(page);
    for (const id of convertedSteps) {
      const title = zhCN[`step.${id}.title`];
      await openStep(page, title);
      await workOnStep(page, id);
      expect(englishWordsOn(await page.locator('body').innerText()), `${id} step`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${id} step: horizontal scroll`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(screenshotDir, `zh-CN-${id}.png`) });
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws Chinese with a Chinese font, the shipped one where the OS has none (no boxes)', async () => {
    const { page, errors } = await openChinesePage();
    await openStep(page, zhCN['step.roles.title']);
    // Until the shipped font has loaded (font-display: swap) the heading is drawn with a stand-in.
    await poll(async () => (await fontsDrawingHeading(page)).filter((family) => !isChineseFont(family))).toEqual([]);
    expect((await fontsDrawingHeading(page)).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches to English and back in the picker without losing the step or what was typed', async () => {
    const { page, errors } = await openChinesePage();
    await openStep(page, zhCN['step.discover.title']);
    await page.getByLabel(zhCN['discover.targets.label']).fill('10.9.8.0/30');

    await page.getByRole('combobox', { name: zhCN['frame.language.label'] }).selectOption('en');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Discover');
    expect(await page.getByLabel(en['discover.targets.label']).inputValue()).toBe('10.9.8.0/30');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.getByRole('combobox', { name: en['frame.language.label'] }).selectOption('zh-CN');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(zhCN['step.discover.title']);
    expect(await page.getByLabel(zhCN['discover.targets.label']).inputValue()).toBe('10.9.8.0/30');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a finished cluster.yml on the Deploy step in Chinese: its header, states, summary and recap fit the page', async () => {
    const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
    const project = await createFixtureCluster(api, 'zh-deploy');
    await api.call('projects.setStep', { id: project.id, step: 'deploy', revision: project.revision });
    api.close();
    const counts = { ok: 1234, changed: 56, unreachable: 0, failed: 0, skipped: 789, rescued: 0, ignored: 0 };
    const log = kubesprayLog(16 * 1024);
    const run: RunRecord = finishedRun(
      { playbook: 'cluster.yml' },
      {
        id: 'r-zh-failed',
        projectId: project.id,
        cluster: project.name,
        state: 'failed',
        finishedAt: '2025-11-20T10:42:00.000Z',
        logBytes: Buffer.byteLength(log),
        commandLine: "'ansible-playbook' '-i' 'inventory/zh-deploy/hosts.yaml' 'cluster.yml' '-b'",
        digest: {
          play: 'Install Kubernetes',
          task: 'kubernetes/control-plane : Kubeadm | Initialize first master',
          tasksStarted: 480,
          tasksPlanned: 512,
          hosts: {},
          failures: [
            {
              host: 'lab2',
              play: 'Install Kubernetes',
              task: 'kubernetes/control-plane : Kubeadm | Initialize first master',
              kind: 'failed',
              message: 'non-zero return code',
            },
          ],
          recap: { lab1: counts, lab2: { ...counts, failed: 1 }, lab3: counts },
        },
      },
    );
    await writeRunRecord(dataDir, run, log);

    const { page, errors } = await openChinesePage();
    await page.getByRole('button', { name: zhCN['frame.noProject.open'] }).click();
    await page
      .getByRole('dialog', { name: zhCN['frame.projects.title'] })
      .getByRole('button', { name: /zh-deploy/ })
      .click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(zhCN['step.deploy.title']);
    const runView = page.getByRole('region', { name: zhCN['run.label'].replace('{id}', run.id) });
    await runView.getByRole('log', { name: zhCN['run.output'] }).waitFor();
    expect(await runView.getByRole('heading', { name: zhCN['run.recap'] }).count()).toBe(1);
    expect(await runView.textContent()).toContain(zhCN['run.state.failed']);
    expect(englishWordsOn(await page.locator('body').innerText()), 'deploy step with a run').toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'deploy step with a run: horizontal scroll').toBeLessThanOrEqual(0);
    await page
      .getByRole('region', { name: zhCN['deploy.checklist.label'] })
      .screenshot({ path: join(screenshotDir, 'zh-CN-deploy-checklist.png') });
    await runView.screenshot({ path: join(screenshotDir, 'zh-CN-deploy-run.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens in the language last chosen on this data folder, even in an English browser that never chose one', async () => {
    const { page: chooser } = await openChinesePage();
    await chooser.getByRole('combobox', { name: zhCN['frame.language.label'] }).selectOption('zh-CN');
    await chooser.context().close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    await page.goto(serve.url);
    await poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('combobox', { name: zhCN['frame.language.label'] }).inputValue()).toBe('zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  });
});
