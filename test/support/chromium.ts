import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const chromiumPath = process.env.AIRSPRAY_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the background services off: this machine has no network beyond loopback. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Chromium with one page in a context of `options`, and every console message of that page about the Content
 * Security Policy, as it comes.
 */
export async function launchPage(
  options: BrowserContextOptions,
): Promise<{ browser: Browser; page: Page; cspMessages: string[] }> {
  const browser = await launchChromium();
  const page = await (await browser.newContext(options)).newPage();
  const cspMessages: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspMessages.push(message.text());
  });
  return { browser, page, cspMessages };
}

/**
 * Registers the test file's hooks: before its tests Chromium and `start` (what its pages open) start side by side
 * and the screenshot folder is made; after them Chromium closes and `stop` ends what `start` gave. The fields of the
 * object returned are there once the tests run.
 */
export function inChromium<T extends object>(
  start: () => Promise<T>,
  stop: (started: T) => Promise<void> = () => Promise.resolve(),
): T & { browser: Browser } {
  const app = {} as T & { browser: Browser };
  let started: T | undefined;
  beforeAll(async () => {
    await mkdir(join(import.meta.dirname, '..', '..', 'test-results', 'screenshots'), { recursive: true });
    const [browser, value] = await Promise.all([launchChromium(), start()]);
    started = value;
    Object.assign(app, value, { browser });
  });
  afterAll(async () => {
    await app.browser?.close();
    if (started) await stop(started);
  });
  return app;
}
