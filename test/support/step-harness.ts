import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { repoRoot } from './airspray-serve';
import { inChromium } from './chromium';

// localhost is a secure context, so the clipboard works; every request is answered by the route below.
export const harnessOrigin = 'http://localhost';

/** Bundles test/e2e/harness/step-error-harness.tsx (the real window over a scripted API) into a folder. */
export async function buildStepHarness(): Promise<string> {
  const bundleDir = await mkdtemp(join(tmpdir(), 'airspray-e2e-harness-'));
  await build({
    entryPoints: { harness: join(repoRoot, 'test', 'e2e', 'harness', 'step-error-harness.tsx') },
    outdir: bundleDir,
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return bundleDir;
}

/** A page showing the harness built in `bundleDir`, every request answered from it. */
export async function openStepHarness(
  browser: Browser,
  bundleDir: string,
  options: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  await context.route(`${harnessOrigin}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === 'harness.js' || name === 'harness.css') {
      await route.fulfill({
        contentType: name.endsWith('.js') ? 'text/javascript' : 'text/css',
        body: await readFile(join(bundleDir, name)),
      });
      return;
    }
    const html =
      '<!doctype html><link rel="stylesheet" href="/harness.css"><div id="root"></div><script type="module" src="/harness.js"></script>';
    await route.fulfill({ contentType: 'text/html', body: html });
  });
  return { context, page: await context.newPage() };
}

/** Sets store state on a harness page (the store is `window.harnessStore`; product code keeps no test hooks). */
export function setHarnessState(page: Page, state: object): Promise<void> {
  return page.evaluate(
    (state) => (window as unknown as { harnessStore: { setState(state: object): void } }).harnessStore.setState(state),
    state,
  );
}

/** A light 1280x900 harness page with `state` in its store: the usual start of a panel test. */
export async function openHarnessWith(
  browser: Browser,
  bundleDir: string,
  state: object,
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openStepHarness(browser, bundleDir, {
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  });
  await opened.page.goto(`${harnessOrigin}/`);
  await setHarnessState(opened.page, state);
  return opened;
}

/** The harness built and Chromium started for the test file (see inChromium); `open` is openHarnessWith on them. */
export function harnessInChromium(): { open: (state: object) => Promise<{ context: BrowserContext; page: Page }> } {
  const app = inChromium(async () => ({ bundleDir: await buildStepHarness() }));
  return { open: (state) => openHarnessWith(app.browser, app.bundleDir, state) };
}
