import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { makeTestCa, startAuthRegistry } from '../support/auth-registry';
import type { RunningRegistry } from '../support/bundle-lab';
import { launchChromium } from '../support/chromium';
import { createHarborProject, writeImageBundle } from '../support/harbor-bundle';
import { goToStep, poll } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const login = { user: 'pusher', password: 'harbor ui password' };
const clusterName = 'harbor-ui';

let workDir: string;
let registry: RunningRegistry & { address: string };
let slowLink: Server;
let slowAddress: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

/**
 * A TCP relay on loopback passing at most `bytesPerSecond` towards the registry, so a 3 MB push lasts long enough to be
 * seen and cancelled in the UI. TLS goes through it untouched (the certificate names 127.0.0.1).
 */
function startSlowLink(port: number, bytesPerSecond: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      client.pause();
      upstream.write(chunk, () => setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000));
    });
    client.on('end', () => upstream.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'airspray-harbor-ui-'));
  const imageBundle = await writeImageBundle(workDir);
  const ca = await makeTestCa(join(workDir, 'ca'), 'Harbor');
  // docker-registry with htpasswd on loopback stands in for Harbor.
  registry = await startAuthRegistry(join(workDir, 'store'), ca, { kind: 'htpasswd', ...login });
  slowLink = await startSlowLink(registry.port, 1024 * 1024);
  slowAddress = `127.0.0.1:${(slowLink.address() as AddressInfo).port}`;
  const dataDir = join(workDir, 'data');
  const bundlesDir = join(workDir, 'bundles');
  await createHarborProject({
    dataDir,
    bundlesDir,
    imageBundle,
    name: clusterName,
    harbor: { address: slowAddress, project: 'k8s', caCertificate: ca.caPem, username: login.user },
  });
  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', dataDir, '--bundles-dir', bundlesDir]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })).newPage();
  await page.goto(serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  slowLink?.close();
  await registry?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const checklistItem = (title: string) => page.getByRole('listitem', { name: title, exact: true });

async function shoot(top: Locator, file: string): Promise<void> {
  await top.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, file) });
}

describe('the Deploy step of a Harbor plan (browser mode, docker-registry standing in for Harbor)', () => {
  it('lists the image push and the CA trust instead of the offline registry, then pushes with the password typed for that push', async () => {
    await page.getByRole('button', { name: 'Open a project' }).click();
    await page
      .getByRole('dialog', { name: 'Projects' })
      .getByRole('button', { name: new RegExp(clusterName) })
      .click();
    await poll(() => page.getByText('No project open').count(), 15_000).toBe(0);
    await goToStep(page, 'Deploy');

    const checklist = page.getByRole('list', { name: 'Deploy checklist' }).or(page.locator('.deploy-checklist'));
    const titles = await checklist
      .locator(':scope > li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    expect(titles).toEqual([
      'Deploy key on every host',
      'Bundle pushed to the deploy node',
      'File server on the deploy node',
      'Push images to Harbor',
      "Trust Harbor's CA on every host",
      'Run cluster.yml',
    ]);
    const push = checklistItem('Push images to Harbor');
    expect(await push.textContent()).toContain(`Into ${slowAddress}/k8s as ${login.user}`);
    await shoot(checklistItem('File server on the deploy node'), 'harbor-deploy-step.png');

    const password = push.getByLabel(`Harbor password of ${login.user}`);
    await password.fill('not the password');
    await push.getByRole('button', { name: 'Push images' }).click();
    await poll(() => push.getAttribute('data-state'), 30_000).toBe('failed');
    const refusal = push.getByRole('alert');
    expect(await refusal.getAttribute('data-field')).toBe('harborPassword');
    expect(await refusal.textContent()).toContain(`Harbor password: `);
    expect(await refusal.textContent()).toContain(`refused the login of ${login.user}`);
    // The field is emptied once the push started: the password lives for that call only.
    expect(await password.inputValue()).toBe('');
    await shoot(push, 'harbor-push-refused.png');

    // Through the slow link: progress shows, and Cancel stops the push.
    await password.fill(login.password);
    await password.press('Enter');
    const status = push.getByRole('status');
    await poll(() => status.textContent(), 30_000).toMatch(
      /^Pushing · [1-9][\d.]* [kM]?B of 3\.\d MB · blobs \d+ of 12 \(\d+ already there or mounted\) · images \d of 4 · /,
    );
    expect(await push.getByRole('progressbar', { name: 'Image push progress' }).count()).toBe(1);
    await shoot(push, 'harbor-push-progress.png');
    await push.getByRole('button', { name: 'Cancel push' }).click();
    await poll(() => push.getAttribute('data-state'), 30_000).toBe('pending');
    expect(await push.getByRole('status').textContent()).toContain('Push cancelled');

    await password.fill(login.password);
    await push.getByRole('button', { name: 'Push images' }).click();
    await poll(() => push.getAttribute('data-state'), 60_000).toBe('done');
    const summary = await push.textContent();
    expect(summary).toMatch(
      new RegExp(
        `4 images in ${slowAddress}/k8s: \\d+ blobs sent \\([^)]+\\), \\d+ already there, \\d+ mounted from another repository`,
      ),
    );
    expect(await push.getByRole('alert').textContent()).toContain('Harbor refuses pulls without a login');
    expect(await push.getByRole('button', { name: 'Push again' }).count()).toBe(1);
    expect(await password.inputValue()).toBe('');
    // Nothing in the browser's storage or the server's log holds the password.
    expect(
      await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
    ).not.toContain(login.password);
    expect(serve.output()).not.toContain(login.password);

    // The CA item needs a profile for the deploy key's login; none is chosen in this test, and it says so.
    const trust = checklistItem("Trust Harbor's CA on every host");
    await trust.getByRole('button', { name: 'Trust the CA' }).click();
    await poll(() => trust.getAttribute('data-state')).toBe('failed');
    expect(await trust.getByRole('alert').textContent()).toContain('Pick a credential profile with a sudo password');
    await shoot(push, 'harbor-push-done.png');
  }, 120_000);
});
