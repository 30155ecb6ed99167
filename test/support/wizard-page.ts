import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Round trips to the server can take seconds while other browser tests share the machine. */
export const poll = <T>(read: () => Promise<T> | T, timeout = 10_000) => expect.poll(read, { timeout });

/**
 * The wizard tests' bounds for a hang, not measures: a click or a locator 8 s; loading the page 30 s, since a page
 * load on a machine at load 25 took over 8 s.
 */
export function setWizardTimeouts(page: Page): void {
  page.setDefaultTimeout(8_000);
  page.setDefaultNavigationTimeout(30_000);
}

/** A laptop-sized page of a new browser context at `url`, with the step timeout the wizard tests use. */
export async function openWizardPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  setWizardTimeouts(page);
  await page.goto(url);
  return page;
}

/** Every console error and uncaught page error of `page` from now on, collected in the array returned. */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return errors;
}

/** Opens a wizard step from the step navigation and waits until its heading shows. */
export async function goToStep(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('button', { name: title, exact: true })
    .click();
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

/** Opens the project whose name `name` matches from the Projects dialog, as an operator does. */
export async function openProject(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Open a project' }).click();
  await page.getByRole('dialog', { name: 'Projects' }).getByRole('button', { name }).click();
}

/**
 * A 1280x800 page at `url` with the project `project` names open on its Operate step and the tab `tab` chosen; the
 * page's errors are collected in `errors`.
 */
export async function openOperateTab(
  browser: Browser,
  url: string,
  { project, tab, context = {} }: { project: RegExp; tab: string; context?: BrowserContextOptions },
): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, ...context })).newPage();
  setWizardTimeouts(page);
  const errors = recordPageErrors(page);
  await page.goto(url);
  await openProject(page, project);
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Operate');
  await page.getByRole('tab', { name: tab }).click();
  return { page, errors };
}
