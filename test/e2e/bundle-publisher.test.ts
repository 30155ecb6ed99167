import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { operatorKeysFileName } from '../../electron/node/bundles/trusted-publishers';
import { repoRoot, startServe } from '../support/airspray-serve';
import { writeSignedKubesprayBundle } from '../support/bundle-fixtures';
import { inChromium } from '../support/chromium';
import { openWizardPage } from '../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const publisher = generateSigningKey();
const stranger = generateSigningKey();

/** The server, over a bundle signed by a key neither built in nor added: refused until the operator trusts the key. */
async function serveUnknownPublisher() {
  const root = await mkdtemp(join(tmpdir(), 'airspray-e2e-publisher-'));
  const dataDir = join(root, 'data');
  const bundle = join(root, 'bundles', 'kubespray-2.23.3-new-publisher');
  await writeSignedKubesprayBundle(bundle, 'ks-2.23.3-new-publisher', publisher);
  return { dataDir, serve: await startServe(['--data-dir', dataDir, '--bundles-dir', join(root, 'bundles')]) };
}

const app = inChromium(serveUnknownPublisher, ({ serve }) => serve.stop());

describe('Adding a publisher key on the Bundle step, in Debian Chromium against the real server', () => {
  it('refuses a bundle of an unknown publisher, adds the key only once its fingerprint is confirmed, then verifies', async () => {
    const page = await openWizardPage(app.browser, app.serve.url);
    const panel = page.getByRole('region', { name: 'Verification of kubespray-2.23.3-new-publisher' });
    await panel.getByRole('button', { name: 'Verify', exact: true }).click();
    const refusals = panel.getByRole('list', { name: 'Refusals' });
    await expect.poll(() => refusals.textContent()).toContain('Unknown publisher');
    expect(await refusals.textContent()).toContain(publisher.fingerprint);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'bundle-publisher-01-unknown.png') });

    await panel.getByRole('button', { name: "Add the publisher's key…" }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a publisher key' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const trustButton = dialog.getByRole('button', { name: 'Trust this publisher' });
    await dialog.getByLabel('Publisher name').fill('Release team');

    // Not a key at all, then another publisher's key: named, and the trust stays disabled.
    await dialog.getByLabel('Public key (PEM)').fill('not a key');
    await dialog.getByRole('button', { name: 'Show fingerprint' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/key/i);
    await dialog.getByLabel('Public key (PEM)').fill(stranger.publicKeyPem);
    await dialog.getByRole('button', { name: 'Show fingerprint' }).click();
    await expect
      .poll(() => dialog.getByLabel('Fingerprint of the pasted key').textContent())
      .toBe(stranger.fingerprint);
    expect(await dialog.getByRole('alert').textContent()).toMatch(/not the key that signed the bundle/);

    await dialog.getByLabel('Public key (PEM)').fill(publisher.publicKeyPem);
    await dialog.getByRole('button', { name: 'Show fingerprint' }).click();
    await expect
      .poll(() => dialog.getByLabel('Fingerprint of the pasted key').textContent())
      .toBe(publisher.fingerprint);
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await trustButton.isDisabled()).toBe(true);
    const typed = dialog.getByLabel('Fingerprint as the publisher gave it');
    await typed.fill(stranger.fingerprint);
    expect(await dialog.getByRole('status').textContent()).toBe('Does not match yet.');
    expect(await trustButton.isDisabled()).toBe(true);
    // As read out over the phone: with spaces and without the prefix.
    const spoken = publisher.fingerprint.replace(/^SHA256:/, '').replace(/(.{8})/g, '$1 ');
    await typed.fill(spoken);
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/Matches/);
    expect(await trustButton.isDisabled()).toBe(false);
    await page.screenshot({ path: join(screenshotDir, 'bundle-publisher-02-dialog.png') });

    await trustButton.click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => panel.textContent(), { timeout: 20_000 })
      .toContain('Verified: every file matches the signed manifest');
    expect(await panel.textContent()).toContain(`Signed by Release team ${publisher.fingerprint}`);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'bundle-publisher-03-verified.png') });

    const stored = JSON.parse(await readFile(join(app.dataDir, operatorKeysFileName), 'utf8')) as {
      publishers: { name: string }[];
    };
    expect(stored.publishers.map((entry) => entry.name)).toEqual(['Release team']);
    await page.context().close();
  });
});
