import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/airspray-serve';
import { inChromium } from '../support/chromium';
import { serveLargePlan } from '../support/large-plan';
import { openProject, openWizardPage, poll } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
/** 500 loopback addresses that greet as SSH servers: 127.0.1.10-109 … 127.0.5.10-109, a hundred to a /24. */
const sshAddresses = Array.from(
  { length: 500 },
  (_, index) => `127.0.${Math.floor(index / 100) + 1}.${(index % 100) + 10}`,
);

/** One listener per address on one port, each greeting as OpenSSH and hanging up (enough for a sweep's banner). */
async function greeters(): Promise<{ port: number; servers: Server[] }> {
  const listen = (address: string, port: number) =>
    new Promise<Server>((resolve, reject) => {
      // A sweep that has read the banner may reset the connection: that is not the greeter's failure.
      const server = createServer((socket) =>
        socket.on('error', () => undefined).end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'),
      );
      server.once('error', reject).listen(port, address, () => resolve(server));
    });
  const first = await listen(sshAddresses[0]!, 0);
  const { port } = first.address() as { port: number };
  const others = await Promise.all(sshAddresses.slice(1).map((address) => listen(address, port)));
  return { port, servers: [first, ...others] };
}

const app = inChromium(
  async () => ({ ...(await serveLargePlan('dc500', 500)), ...(await greeters()) }),
  async ({ serve, root, servers }) => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await serve.stop();
    await rm(root, { recursive: true, force: true });
  },
);

/** Scrolls `scroller` to its end until `last` is in the page (the rows below are measured as they come in view). */
async function scrollToEnd(page: Page, scroller: Locator, last: Locator): Promise<void> {
  for (let step = 0; step < 10 && (await last.count()) === 0; step += 1) {
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.waitForTimeout(100);
  }
  await poll(() => last.count()).toBe(1);
}

describe('Discover with a /16 sweep and 500 SSH hosts, in Chromium against the real server', () => {
  it(
    'sweeps 127.0.0.0/16, shows a window of its rows, filters them, and hands the SSH hosts found to Access',
    { timeout: 300_000 },
    async () => {
      const page = await openWizardPage(app.browser, app.serve.url);
      await openProject(page, /dc500/);
      await page.getByText('No project open', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
      await page
        .getByRole('navigation', { name: 'Wizard steps' })
        .getByRole('button', { name: 'Discover', exact: true })
        .click();

      // A real sweep of a whole /16: every loopback address refuses or greets (500 as SSH on the greeters' port).
      // On a loaded machine some answers come after the silence cutoff and count as silent, so the counts below are
      // read from the page, with every address listed (silent ones shown).
      await page.getByLabel('Targets').fill('127.0.0.0/16');
      await page.getByLabel('Ports').fill(String(app.port));
      await page.getByRole('button', { name: 'Start sweep' }).click();
      const finished = /^Sweep finished: 65,534 addresses, (\d+) with SSH$/;
      await poll(() => page.getByRole('status').allTextContents(), 240_000).toContainEqual(
        expect.stringMatching(finished),
      );
      const statuses = await page.getByRole('status').allTextContents();
      const found = Number(finished.exec(statuses.find((text) => finished.test(text))!)![1]);
      expect(found).toBeGreaterThan(0);
      const showSilent = page.getByLabel(/^Show [\d,]+ silent addresses$/);
      if ((await showSilent.count()) > 0) await showSilent.check();
      const table = page.getByRole('table', { name: 'Sweep results' });
      const rows = table.locator('tbody tr[data-address]');
      const shown = page.getByRole('status').filter({ hasText: /hosts shown/ });
      await poll(() => table.getAttribute('aria-rowcount')).toBe('65535');
      expect(await shown.textContent()).toBe('65,534 of 65,534 hosts shown');
      expect(await rows.count()).toBeLessThan(60);
      expect(await rows.first().getAttribute('data-address')).toBe('127.0.0.1');

      // The picture: the whole /16 listed, scrolled to where 127.0.1.x's SSH hosts start.
      const scroller = page.locator('.virtual-scroll').filter({ has: table });
      await scroller.evaluate((element) => element.scrollTo({ top: 250 * 35 }));
      await poll(() => table.locator('tr[data-address="127.0.1.10"]').count()).toBe(1);
      await page
        .getByRole('progressbar', { name: 'Sweep progress' })
        .evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(screenshotDir, 'discover-sweep-16.png') });

      await scrollToEnd(page, scroller, table.locator('tr[data-address="127.0.255.254"]'));
      expect(await rows.count()).toBeLessThan(60);

      // A range narrows the rows to 100; ticking the shown ones leaves only their SSH hosts ticked.
      await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
      const filter = page.getByLabel('Filter hosts');
      await filter.fill('127.0.2.[10:109]');
      await poll(() => shown.textContent()).toBe('100 of 65,534 hosts shown');
      expect(await rows.first().getAttribute('data-address')).toBe('127.0.2.10');
      await page.getByRole('button', { name: 'Select the 100 shown' }).click();
      const ticked = page.getByText(/hosts? ticked/);
      await poll(async () => Number(/^(\d+)/.exec((await ticked.textContent()) ?? '')?.[1])).toBeLessThanOrEqual(100);
      await filter.fill('');
      await table.getByLabel('Select every SSH host').check();
      await poll(() => ticked.textContent()).toMatch(new RegExp(`^${found} hosts? ticked`));

      await page.getByRole('button', { name: 'Continue to Access' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Access');
      const reached = (await page.getByLabel('Hosts to reach').inputValue()).split('\n');
      expect(reached).toHaveLength(found);
      for (const line of reached) expect(sshAddresses.map((address) => `${address}:${app.port}`)).toContain(line);
      await page.context().close();
    },
  );
});
