import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsSubprotocol, wsTokenProtocolPrefix } from '../../electron/common/api';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { launchChromium } from '../support/chromium';

// Browser mode's page in Debian's Chromium against the real built server. The same page in Electron is
// tested by test/e2e/desktop-shell.test.ts, which needs the Electron binary.
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let root: string;
let serve: ServeProcess;
let browser: Browser;
/** A page of another origin on this machine: what a malicious site open in the same browser would be. */
let foreignSite: Server;
let foreignOrigin: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-isolation-'));
  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', join(root, 'data')]);
  browser = await launchChromium();
  foreignSite = createServer((_request, response) =>
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'),
  );
  await new Promise<void>((resolve) => foreignSite.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreignSite.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await new Promise<void>((resolve) => (foreignSite ? foreignSite.close(() => resolve()) : resolve()));
  await rm(root, { recursive: true, force: true });
});

async function openApp(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(serve.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

/** 'opened' or 'refused': what a WebSocket to `url` with the app's subprotocol and token meets, opened in `page`. */
const openSocketFrom = (page: Page, url: string) =>
  page.evaluate(
    ({ url, protocols }) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, protocols);
        socket.onopen = () => {
          socket.close();
          resolve('opened');
        };
        socket.onerror = () => resolve('refused');
      }),
    { url, protocols: [wsSubprotocol, `${wsTokenProtocolPrefix}${serve.token}`] },
  );

describe('the renderer in browser mode is a plain, locked-down page', () => {
  it('has no Node and no Electron: require, process, module, Buffer and ipcRenderer are all undefined', async () => {
    const page = await openApp();
    const reach = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return {
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        Buffer: typeof scope.Buffer,
        global: typeof scope.global,
        ipcRenderer: typeof scope.ipcRenderer,
        electron: typeof scope.electron,
        airsprayBridge: typeof scope.airspray,
      };
    });
    expect(reach).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      global: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      airsprayBridge: 'undefined',
    });
    await page.context().close();
  });

  it('the CSP blocks an injected inline script, an inline event handler, eval, new Function and string timers', async () => {
    const page = await openApp();
    const outcome = await page.evaluate(async () => {
      const scope = globalThis as Record<string, unknown>;
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
      const inline = document.createElement('script');
      inline.textContent = 'window.inlineRan = true';
      document.head.append(inline);
      const holder = document.createElement('div');
      holder.innerHTML =
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.handlerRan = true" onerror="window.handlerRan = true">';
      document.body.append(holder);
      const attempt = (run: () => unknown) => {
        try {
          run();
          return 'ran';
        } catch (error) {
          return (error as Error).name;
        }
      };
      // DevTools lets code it evaluates call eval regardless of CSP; a timer callback runs later as the page's own
      // code.
      const [evalResult, functionResult] = await new Promise<string[]>((resolve) =>
        setTimeout(
          () =>
            resolve([
              attempt(() => (0, eval)('window.evalRan = true')),
              attempt(() => new Function('window.functionRan = true')()),
            ]),
          0,
        ),
      );
      // A string timer is refused without an exception: only the violation event and its absent effect tell.
      (setTimeout as unknown as (code: string, ms: number) => number)('window.timerRan = true', 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return {
        evalResult,
        functionResult,
        ran: {
          inline: scope.inlineRan,
          handler: scope.handlerRan,
          eval: scope.evalRan,
          function: scope.functionRan,
          timer: scope.timerRan,
        },
        violations,
      };
    });
    expect(outcome.ran).toEqual({
      inline: undefined,
      handler: undefined,
      eval: undefined,
      function: undefined,
      timer: undefined,
    });
    expect(outcome.evalResult).toBe('EvalError');
    expect(outcome.functionResult).toBe('EvalError');
    expect(outcome.violations).toEqual(
      expect.arrayContaining(['script-src-elem inline', 'script-src-attr inline', 'script-src eval']),
    );
    // The app is untouched by the attempts: still the wizard, still answering.
    await page.screenshot({ path: join(screenshotDir, 'renderer-isolation-after-injection.png') });
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
    await page.context().close();
  });

  it('cannot be framed by another page (frame-ancestors none)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(foreignOrigin);
    await page.evaluate((url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      document.body.append(frame);
    }, serve.url);
    await expect.poll(() => page.frames().length).toBe(2);
    const frame = page.frames()[1]!;
    await frame.waitForLoadState().catch(() => undefined);
    // Chromium replaces a frame refused by frame-ancestors with its error page: nothing of the app loads.
    expect(frame.url()).toMatch(/^chrome-error:/);
    expect(await frame.evaluate(() => document.querySelector('#root'))).toBeNull();
    await page.context().close();
  });

  it('a page of another origin cannot open the API even when it holds the token', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(foreignOrigin);
    const apiUrl = `ws://127.0.0.1:${new URL(serve.url).port}/api`;
    const tries = {
      loopbackIp: await openSocketFrom(page, apiUrl),
      localhostName: await openSocketFrom(page, apiUrl.replace('127.0.0.1', 'localhost')),
    };
    expect(tries).toEqual({ loopbackIp: 'refused', localhostName: 'refused' });

    // The same socket from the app's own origin opens: the refusal above is the Origin check, not a broken server.
    const app = await openApp();
    const fromApp = await openSocketFrom(app, apiUrl);
    expect(fromApp).toBe('opened');
    await page.context().close();
    await app.context().close();
  });
});
