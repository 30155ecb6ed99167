import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wizardSteps } from '../../electron/common/wizard';
import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';
import { repoRoot, serveWithOneBundle, type ServeProcess } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';
import { poll, recordPageErrors } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
/** The steps whose every word comes from the catalog so far; the others are still English (docs/i18n-glossary.md). */
const convertedSteps = ['discover', 'access', 'roles', 'operate'] as const;
/** English step titles and navigation buttons, as whole words: none may show on a converted step in zh-CN. */
const englishNavigation = [...wizardSteps.map((step) => step.title), en['frame.footer.back'], en['frame.footer.next']];
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  ({ serve } = await serveWithOneBundle('airspray-e2e-zh-'));
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
  page.setDefaultTimeout(8_000);
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
    for (const id of convertedSteps) {
      const title = zhCN[`step.${id}.title`];
      await openStep(page, title);
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
