import { mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsSubprotocol, wsTokenProtocolPrefix } from '../../electron/common/api';
import { wizardSteps } from '../../electron/common/wizard';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { writeBundleFolder } from '../support/bundle-fixtures';
import { launchChromium } from '../support/chromium';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let serve: ServeProcess;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'airspray-e2e-'));
  dataDir = join(root, 'data');
  const bundles = join(root, 'bundles');
  await writeBundleFolder(
    bundles,
    'kubespray-2.23.3',
    { bundleId: 'ks-2.23.3-e2e', kubesprayVersion: '2.23.3', kubernetesVersions: ['1.27.10'] },
    { signed: true },
  );
  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', dataDir, '--bundles-dir', bundles]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function openApp(theme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  const page = await context.newPage();
  await page.goto(serve.url);
  return page;
}

describe('browser mode, real server, Debian Chromium', () => {
  it('opens with its token, shows the bundles the server found, and drops the token from the address bar', async () => {
    const page = await openApp();
    await expect.poll(() => page.getByRole('list', { name: 'Bundles found' }).textContent()).toContain('ks-2.23.3-e2e');
    expect(page.url()).not.toContain(serve.token);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('creates a project, walks every wizard step with the keyboard-reachable buttons, and saves the step on disk', async () => {
    const page = await openApp();
    await page.getByLabel('Cluster name').fill('e2e-lab');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(async () => (await readdir(join(dataDir, 'projects')).catch(() => [])).length).toBe(1);

    for (const [index, step] of wizardSteps.entries()) {
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(step.title);
      const current = page.getByRole('navigation', { name: 'Wizard steps' }).locator('[aria-current="step"]');
      expect(await current.textContent()).toContain(step.title);
      await page.screenshot({ path: join(screenshotDir, `${String(index + 1).padStart(2, '0')}-${step.id}.png`) });
      const next = page.getByRole('button', { name: 'Next', exact: true });
      if (index < wizardSteps.length - 1) await next.click();
      else expect(await next.isDisabled()).toBe(true);
    }

    const [projectId] = await readdir(join(dataDir, 'projects'));
    const readStep = async () =>
      JSON.parse(await readFile(join(dataDir, 'projects', projectId!, 'project.json'), 'utf8')).wizard.step;
    await expect.poll(readStep).toBe('operate');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect.poll(readStep).toBe('deploy');
    await page.context().close();
  });

  it('refuses a bad cluster name with the reason next to the field', async () => {
    const page = await openApp();
    await page.getByLabel('Cluster name').fill('Bad_Name');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.locator('body').textContent()).toContain('lowercase letters, digits and "-"');
    await page.context().close();
  });

  it('renders the dark theme and keeps keyboard focus visible from the first Tab', async () => {
    const page = await openApp('dark');
    await expect.poll(() => page.getByRole('list', { name: 'Bundles found' }).textContent()).toContain('ks-2.23.3-e2e');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red = 255, green = 255, blue = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(red + green + blue).toBeLessThan(3 * 96);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/skip to content/i);
    await page.screenshot({ path: join(screenshotDir, '00-bundle-dark.png') });
    await page.context().close();
  });

  it('tells a visitor without the token how to get in, and serves no API to them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${serve.origin}/`);
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toMatch(/token/i);
    expect(await page.getByRole('list', { name: 'Bundles found' }).count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, '00-no-token.png') });
    await context.close();
  });

  it('refuses the API to a page from another origin even when it holds the token', async () => {
    // A second loopback origin plays the malicious web page.
    const foreign: Server = createServer((_request, response) => response.end('<!doctype html><title>foreign</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    const page = await (await browser.newContext()).newPage();
    await page.goto(foreignOrigin);
    const outcome = await page.evaluate(
      ({ apiUrl, protocols }) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(apiUrl, protocols);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        }),
      {
        apiUrl: `${serve.origin.replace('http', 'ws')}/api`,
        protocols: [wsSubprotocol, `${wsTokenProtocolPrefix}${serve.token}`],
      },
    );
    expect(outcome).toBe('refused');
    await page.context().close();
    await new Promise((resolve) => foreign.close(resolve));
  });
});
