import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';
import { buildStepHarness, harnessOrigin, openStepHarness } from '../support/step-harness';
import { goToStep, poll, setWizardTimeouts } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let browser: Browser;
let bundleDir: string;

beforeAll(async () => {
  bundleDir = await buildStepHarness();
  await mkdir(screenshotDir, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openHarness(): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const { context, page } = await openStepHarness(browser, bundleDir, { viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harnessOrigin });
  setWizardTimeouts(page);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${harnessOrigin}/`);
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Bundle');
  return { context, page, consoleErrors };
}

/** What the harness puts on the page (test/e2e/harness/step-error-harness.tsx). */
type HarnessWindow = Window & {
  harnessStore: { getState(): { addNodes: unknown; connection: unknown }; setState(state: object): void };
};

/** Bad state only the Operate step reads (its default tab, Add nodes, reads the add-nodes progress). */
const breakOperate = (page: Page) =>
  page.evaluate(() => (window as unknown as HarnessWindow).harnessStore.setState({ addNodes: null }));

// Each test opens its own window; on two busy cores that takes several seconds.
describe('A step that fails to render, in Chromium', { timeout: 60_000 }, () => {
  it('shows what failed in place of the step, logs it with the step, and the frame still navigates', async () => {
    const { context, page, consoleErrors } = await openHarness();
    await breakOperate(page);
    await goToStep(page, 'Operate');
    const fallback = page.getByRole('alert').filter({ hasText: 'failed to show' });
    await poll(() => fallback.textContent()).toMatch(/The Operate step failed to show.*Cannot read properties of null/);
    expect(consoleErrors.some((text) => text.includes('Airspray: The Operate step failed to render'))).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'step-error-fallback.png') });

    await fallback.getByRole('button', { name: 'Copy details' }).click();
    await poll(() => fallback.getByRole('status').textContent()).toBe('Copied.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^The Operate step failed to render: Cannot read properties of null/);
    expect(copied).toContain('OperateStep');

    await fallback.getByRole('button', { name: 'Back to Deploy' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Deploy');
    expect(await fallback.count()).toBe(0);
    await goToStep(page, 'Operate');
    await poll(() => fallback.count()).toBe(1);
    await goToStep(page, 'Roles');
    expect(await fallback.count()).toBe(0);
    await context.close();
  });

  it('shows the step again on "Try again" once what broke it is gone', async () => {
    const { context, page } = await openHarness();
    const idle = await page.evaluate(() => (window as unknown as HarnessWindow).harnessStore.getState().addNodes);
    await breakOperate(page);
    await goToStep(page, 'Operate');
    const fallback = page.getByRole('alert').filter({ hasText: 'failed to show' });
    await fallback.getByRole('button', { name: 'Try again' }).click();
    await poll(() => fallback.count()).toBe(1);
    await page.evaluate((addNodes) => (window as unknown as HarnessWindow).harnessStore.setState({ addNodes }), idle);
    await fallback.getByRole('button', { name: 'Try again' }).click();
    await poll(() => page.getByRole('heading', { name: 'Run history' }).count()).toBe(1);
    expect(await fallback.count()).toBe(0);
    await context.close();
  });

  it('shows what failed in place of the window when the frame itself cannot render, and comes back on "Try again"', async () => {
    const { context, page, consoleErrors } = await openHarness();
    const connection = await page.evaluate(
      () => (window as unknown as HarnessWindow).harnessStore.getState().connection,
    );
    // The frame's own parts (the connection indicator, the no-project notice) read the connection.
    await page.evaluate(() => (window as unknown as HarnessWindow).harnessStore.setState({ connection: null }));
    const fallback = page.getByRole('alert').filter({ hasText: 'The Airspray window failed to show' });
    await poll(() => fallback.textContent()).toMatch(/Cannot read properties of null/);
    expect(await fallback.getByRole('button', { name: /^Back/ }).count()).toBe(0);
    expect(consoleErrors.some((text) => text.includes('Airspray: The Airspray window failed to render'))).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'window-error-fallback.png') });
    await page.evaluate(
      (value) => (window as unknown as HarnessWindow).harnessStore.setState({ connection: value }),
      connection,
    );
    await fallback.getByRole('button', { name: 'Try again' }).click();
    await goToStep(page, 'Roles');
    expect(await fallback.count()).toBe(0);
    await context.close();
  });
});
