import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wizardSteps } from '../../electron/common/wizard';
import { coreMessages } from '../../electron/common/core-messages';
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
import { findLayoutOverflow } from '../support/layout-overflow';
import { poll, recordPageErrors, setWizardTimeouts } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
/** The steps whose every word comes from the catalog so far; the others are still English (docs/i18n-glossary.md). */
const convertedSteps = ['bundle', 'discover', 'access', 'roles', 'settings', 'review', 'deploy', 'operate'] as const;
/** English step titles and navigation buttons, as whole words: none may show on a converted step in zh-CN. */
const englishNavigation = [...wizardSteps.map((step) => step.title), en['frame.footer.back'], en['frame.footer.next']];
/** A laptop's window and the smallest the window is made for (docs/i18n-glossary.md). */
const laptop = { width: 1280, height: 800 };
const small = { width: 1024, height: 768 };
type Viewport = typeof laptop;
type Catalog = typeof en;
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
async function openChinesePage(
  viewport: Viewport = laptop,
  locale = 'zh-CN',
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  setWizardTimeouts(page);
  const errors = recordPageErrors(page);
  await page.goto(serve.url);
  return { page, errors };
}

async function openStep(page: Page, title: string, messages: Catalog = zhCN): Promise<void> {
  await page
    .getByRole('navigation', { name: messages['frame.stepNav.label'] })
    .getByRole('button', { name: title })
    .click();
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

/**
 * A project with the bundle and its Kubernetes version chosen, so Settings and Review show their sections rather than
 * nothing, and the Settings step shows its sections rather than a missing-version finding.
 */
async function createProjectWithBundle(page: Page, name: string, messages: Catalog = zhCN): Promise<void> {
  await page.getByLabel(messages['frame.newProject.name']).fill(name);
  await page.getByRole('button', { name: messages['frame.newProject.create'] }).click();
  await poll(() => page.getByText(messages['frame.noProject.title']).count(), 15_000).toBe(0);
  await openStep(page, messages['step.settings.title'], messages);
  await page.getByLabel(messages['settings.bundle.label'], { exact: true }).selectOption({ label: 'ks-2.23.3-e2e' });
  const version = page.getByLabel(messages['settings.kubernetesVersion']);
  // A text field until the chosen bundle is saved into the plan, then a choice of the bundle's versions.
  await poll(() => version.evaluate((element) => element.tagName)).toBe('SELECT');
  await version.selectOption('1.27.10');
}

/**
 * What a step shows once worked on: on Bundle a finished quick check (its result), on Roles the core's plan findings
 * in the walk's language (a new project has no control plane), on Review the checks before export.
 * Not the download check: its answer here is the core's reason, English until the core reports ids (issue #19).
 */
async function workOnStep(page: Page, id: (typeof convertedSteps)[number], messages: Catalog = zhCN): Promise<void> {
  if (id === 'bundle') {
    await page.getByRole('button', { name: messages['bundle.verify.quick'] }).click();
    await poll(() => page.locator('.verification__result').count(), 15_000).toBe(1);
  }
  if (id === 'roles') {
    const core = messages === zhCN ? coreZhCN : coreMessages;
    await poll(() => page.getByText(core['plan.control-plane-required']).count(), 15_000).toBe(1);
  }
  if (id === 'review') {
    await poll(() => page.getByText(messages['review.findings']).count(), 15_000).toBe(1);
  }
}

/**
 * Visits every converted step of a new project, worked on, and gives each step's page to `check`; saves a screenshot
 * of each as `<prefix>-<step>.png`.
 */
async function walkSteps(
  page: Page,
  messages: Catalog,
  prefix: string,
  check: (id: string) => Promise<void>,
): Promise<void> {
  await createProjectWithBundle(page, prefix.toLowerCase(), messages);
  for (const id of convertedSteps) {
    await openStep(page, messages[`step.${id}.title`], messages);
    await workOnStep(page, id, messages);
    await check(id);
    await page.screenshot({ path: join(screenshotDir, `${prefix}-${id}.png`) });
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

/**
 * The Chinese text on the page that Chromium drew with no Chinese font, i.e. as boxes (a badge in a monospace row
 * did): each element holding Chinese text of its own is marked for the moment, and asked which fonts drew it.
 */
async function chineseDrawnAsBoxes(page: Page): Promise<string[]> {
  const marker = 'data-font-check';
  await page.evaluate((attribute) => {
    for (const element of document.body.querySelectorAll('*')) {
      const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE);
      const text = own.map((node) => node.textContent).join('');
      if (/[\u4e00-\u9fff]/.test(text)) element.setAttribute(attribute, text.trim().slice(0, 30));
    }
  }, marker);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `[${marker}]` });
  const boxes: string[] = [];
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    if (fonts.length === 0 || fonts.some((font) => isChineseFont(font.familyName))) continue;
    const { attributes } = await cdp.send('DOM.getAttributes', { nodeId });
    boxes.push(`"${attributes[attributes.indexOf(marker) + 1]}" in ${fonts.map((font) => font.familyName).join(', ')}`);
  }
  await cdp.detach();
  await page.evaluate((attribute) => {
    for (const element of document.querySelectorAll(`[${attribute}]`)) element.removeAttribute(attribute);
  }, marker);
  return boxes;
}

const englishWordsOn = (text: string) =>
  englishNavigation.filter((word) => new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(text));

describe('the window in Simplified Chinese (1280x800 and 1024x768)', () => {
  it('finds English step titles and buttons as words, not inside other words (the check below can fail)', () => {
    expect(englishWordsOn('← Back 下一步 Discovered Review & export')).toEqual(['Review & export', 'Back']);
  });

  it.each([
    { viewport: laptop, prefix: 'zh-CN' },
    { viewport: small, prefix: 'zh-CN-1024' },
  ])(
    'starts in 简体中文 for a Chinese browser at $viewport.width px: no English titles or buttons, nothing overflows',
    async ({ viewport, prefix }) => {
      const { page, errors } = await openChinesePage(viewport);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await walkSteps(page, zhCN, prefix, async (id) => {
        expect(englishWordsOn(await page.locator('body').innerText()), `${id} step`).toEqual([]);
        expect(await findLayoutOverflow(page), `${id} step at ${viewport.width}x${viewport.height}`).toEqual([]);
        // A face of the shipped font loads when its characters first show: until then a stand-in draws them.
        await poll(() => chineseDrawnAsBoxes(page), 15_000).toEqual([]);
      });
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it('draws Chinese with a Chinese font, the shipped one where the OS has none (no boxes)', async () => {
    const { page, errors } = await openChinesePage();
    await openStep(page, zhCN['step.roles.title']);
    // Until the shipped font has loaded (font-display: swap) the heading is drawn with a stand-in.
    await poll(async () => (await fontsDrawingHeading(page)).filter((family) => !isChineseFont(family))).toEqual([]);
    expect((await fontsDrawingHeading(page)).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches to English and back in the picker without losing the step, what was typed or what was chosen', async () => {
    const { page, errors } = await openChinesePage();
    await createProjectWithBundle(page, 'zh-switch');
    const chosenBundle = (messages: Catalog) =>
      page
        .getByLabel(messages['settings.bundle.label'], { exact: true })
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text);
    await page.getByRole('combobox', { name: zhCN['frame.language.label'] }).selectOption('en');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(en['step.settings.title']);
    expect(await chosenBundle(en)).toBe('ks-2.23.3-e2e');
    expect(await page.getByLabel(en['settings.kubernetesVersion']).inputValue()).toBe('1.27.10');

    await openStep(page, en['step.discover.title'], en);
    await page.getByLabel(en['discover.targets.label']).fill('10.9.8.0/30');
    await page.getByRole('combobox', { name: en['frame.language.label'] }).selectOption('zh-CN');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(zhCN['step.discover.title']);
    expect(await page.getByLabel(zhCN['discover.targets.label']).inputValue()).toBe('10.9.8.0/30');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.getByRole('combobox', { name: zhCN['frame.language.label'] }).selectOption('en');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(en['step.discover.title']);
    expect(await page.getByLabel(en['discover.targets.label']).inputValue()).toBe('10.9.8.0/30');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('combobox', { name: en['frame.language.label'] }).selectOption('zh-CN');
    await openStep(page, zhCN['step.settings.title']);
    expect(await chosenBundle(zhCN)).toBe('ks-2.23.3-e2e');
    expect(await page.getByLabel(zhCN['settings.kubernetesVersion']).inputValue()).toBe('1.27.10');
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
    expect(await findLayoutOverflow(page), 'deploy step with a run').toEqual([]);
    await page
      .getByRole('region', { name: zhCN['deploy.checklist.label'] })
      .screenshot({ path: join(screenshotDir, 'zh-CN-deploy-checklist.png') });
    await runView.screenshot({ path: join(screenshotDir, 'zh-CN-deploy-run.png') });
    await page.setViewportSize(small);
    expect(await findLayoutOverflow(page), 'deploy step with a run at 1024x768').toEqual([]);
    // The summary under the terminal at this width: the page scrolled to its recap, as an operator would.
    await runView.getByRole('heading', { name: zhCN['run.failedTasks'] }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'zh-CN-1024-deploy-run.png') });
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

describe('the layout check', () => {
  it('finds text cut off or spilling from its box and a page scrolling sideways, not a terminal or code that scrolls', async () => {
    const page = await browser.newPage({ viewport: small });
    await page.setContent(`<style>button { width: 60px; white-space: nowrap } .tall { height: 20px }</style>
      <button>一个很长很长很长的按钮标签</button><p class="tall">一<br>二<br>三</p>
      <pre style="width: 60px; overflow-x: auto">a long line of a log that scrolls on purpose</pre>
      <div style="width: 1100px">wide</div>`);
    const problems = await findLayoutOverflow(page);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^page scrolls sideways/);
    expect(problems[1]).toMatch(/^text wider than <button> "一个很长/);
    expect(problems[2]).toMatch(/^text taller than <p class="tall">/);
    await page.close();
  });
});

// Last: choosing English here is remembered on the data folder, and the tests above open it in a Chinese browser.
describe('the window in English at 1024x768', () => {
  it('fits every converted step: no text overflowing its box, no sideways scrolling', async () => {
    const { page, errors } = await openChinesePage(small, 'en-US');
    const picker = new RegExp(`^(${en['frame.language.label']}|${zhCN['frame.language.label']})$`);
    await page.getByRole('combobox', { name: picker }).selectOption('en');
    await poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await walkSteps(page, en, 'en-1024', async (id) => {
      expect(await findLayoutOverflow(page), `${id} step at 1024x768`).toEqual([]);
    });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
