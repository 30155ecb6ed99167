import { mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../../electron/common/project';
import { labHostCount } from '../../lab/global-setup';
import { changeHostKey, execOnHost } from '../../lab/lab';
import {
  hostAddress,
  hostName,
  labAccounts,
  labBridge,
  labCidr,
  laptopAddress,
  nonSshAddress,
  resetAddresses,
} from '../../lab/lab-network';
import { repoRoot, startServe, type ServeProcess } from '../../support/airspray-serve';
import { launchChromium } from '../../support/chromium';
import { requireLab } from '../../support/lab';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** Hosts 5 and 6 may have been broken on purpose by lab tests earlier in the same run; 1-4 stay as built. */
const pristineHosts = [1, 2, 3, 4];
const allHosts = Array.from({ length: labHostCount }, (_, index) => index + 1);

let serve: ServeProcess;
let browser: Browser;
let dataDir: string;
let page: Page;
/** The fingerprints each host presented first, by address. */
const firstFingerprints = new Map<string, string>();

beforeAll(async () => {
  await requireLab();
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-lab-e2e-')), 'data');
  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', dataDir]);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page = await context.newPage();
  await page.goto(serve.url);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** Every row of a table as its cells' text. */
function tableRows(page: Page, name: string): Promise<string[][]> {
  return page
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );
}

async function readProject(): Promise<ProjectDocument> {
  const [id] = await readdir(join(dataDir, 'projects'));
  return JSON.parse(await readFile(join(dataDir, 'projects', id!, 'project.json'), 'utf8')) as ProjectDocument;
}

/** The content pane scrolls on its own: bring the part worth seeing to the top of it, then take the window. */
async function shoot(page: Page, top: Locator, file: string): Promise<void> {
  await top.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, file) });
}

/** Both the text on screen and what sits in every input: a secret may appear in neither once a profile is added. */
async function pageTextAndInputs(page: Page): Promise<string> {
  return page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input, textarea')].map((field) => (field as HTMLInputElement).value);
    return `${document.body.innerText}\n${document.body.textContent ?? ''}\n${inputs.join('\n')}`;
  });
}

describe('Discover and Access through the UI, on the lab, against the real server', () => {
  it('sweeps the lab subnet and streams every class into the results table', async () => {
    await page.getByLabel('Cluster name').fill('lab-e2e');
    await page.getByRole('button', { name: 'Create project' }).click();
    // Opening the new project sets its step, so wait for it before moving on.
    await expect.poll(() => page.getByRole('status').allTextContents()).toContainEqual('Progress saved in lab-e2e');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Discover');

    // A bad token is refused by the API and named next to the field; nothing is swept.
    const targets = page.getByLabel('Targets');
    await targets.fill('10.231.0.300');
    await page.getByRole('button', { name: 'Start sweep' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('"10.231.0.300"'));
    expect(await targets.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('progressbar', { name: 'Sweep progress' }).count()).toBe(0);

    // The lab bridge is one of this machine's own networks: its proposal fills the field, and only that.
    await targets.fill('');
    await page.getByRole('button', { name: `Add ${labCidr} (${labBridge})`, exact: true }).click();
    expect(await targets.inputValue()).toBe(labCidr);
    await page.getByRole('button', { name: 'Start sweep' }).click();

    const progress = page.getByRole('progressbar', { name: 'Sweep progress' });
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/^Sweep finished: 254 addresses, 6 with SSH$/));
    expect(await progress.getAttribute('value')).toBe('254');
    expect(await progress.getAttribute('max')).toBe('254');

    const rows = await tableRows(page, 'Sweep results');
    const answer = (address: string) => rows.find((cells) => cells[1] === address)?.[2];
    for (const index of allHosts) {
      expect(answer(hostAddress(index))).toBe('SSH');
      expect(rows.find((cells) => cells[1] === hostAddress(index))?.[4]).toMatch(/^SSH-2\.0-OpenSSH_/);
    }
    expect(answer(nonSshAddress)).toBe('open, not SSH');
    for (const address of [...resetAddresses, laptopAddress]) expect(answer(address)).toBe('closed');
    // Silent addresses are counted, not listed, until asked for.
    const silentCount = 254 - labHostCount - 1 - resetAddresses.length - 1;
    expect(rows).toHaveLength(254 - silentCount);
    expect(await page.locator('body').textContent()).toContain(`${silentCount} silent addresses hidden`);
    await shoot(page, page.getByRole('progressbar', { name: 'Sweep progress' }), '20-discover.png');

    await page.getByLabel(`Show ${silentCount} silent addresses`).check();
    // All 254 listed; the page holds only the rows in view (the table says how many it has).
    expect(await page.getByRole('table', { name: 'Sweep results' }).getAttribute('aria-rowcount')).toBe('255');
    await page.getByLabel(`Show ${silentCount} silent addresses`).uncheck();
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, page.getByRole('table', { name: 'Sweep results' }), '20-discover-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
    for (const index of allHosts) expect(await page.getByLabel(`Use ${hostAddress(index)}`).isChecked()).toBe(true);
  });

  it('carries the SSH hosts to Access, refuses to save a profile unencrypted, and lists the unknown host keys', async () => {
    await page.getByRole('button', { name: 'Continue to Access' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Access');
    expect((await page.getByLabel('Hosts to reach').inputValue()).split('\n')).toEqual(allHosts.map(hostAddress));

    await page.getByLabel('Profile name').fill('ops password');
    await page.getByLabel('User', { exact: true }).fill(labAccounts.ops.user);
    await page.getByLabel('Password', { exact: true }).fill(labAccounts.ops.password);
    await page.getByLabel('Sudo password').fill(labAccounts.ops.password);
    await page.getByLabel('Save on this computer (encrypted)').check();
    await page.getByRole('button', { name: 'Add profile' }).click();
    // Browser mode has no OS keychain: the refusal says why, next to the checkbox, and keeps what was typed.
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('cannot be saved encrypted'));
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe(labAccounts.ops.user);
    await page.getByLabel('Save on this computer (encrypted)').uncheck();
    await page.getByRole('button', { name: 'Add profile' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Profiles' }).textContent()).toContain('ops password');
    expect(await page.getByRole('list', { name: 'Profiles' }).textContent()).toContain(
      'ops, password, sudo password set',
    );
    expect(await pageTextAndInputs(page)).not.toContain(labAccounts.ops.password);

    await page.getByRole('button', { name: 'Collect facts' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(
        `Done: ${labHostCount} of ${labHostCount} hosts; 0 with facts, ${labHostCount} with an unknown host key`,
      );
    const keys = await tableRows(page, 'Unknown host keys');
    expect(keys.map((cells) => cells[0])).toEqual(allHosts.map(hostAddress));
    for (const cells of keys) {
      expect(cells[1]).toMatch(/^(ssh-ed25519|ecdsa-sha2-nistp256|rsa-sha2-512|ssh-rsa)$/);
      expect(cells[2]).toMatch(fingerprintPattern);
      firstFingerprints.set(cells[0] ?? '', cells[2] ?? '');
    }
    // No credential went to a host whose key is not trusted yet: every card says so, none shows facts.
    for (const index of allHosts) {
      expect(await page.getByRole('region', { name: hostAddress(index), exact: true }).textContent()).toContain(
        'No credential was sent',
      );
    }
    await shoot(page, page.getByRole('progressbar', { name: 'Facts progress' }), '21-access-keys.png');
    // Only the content pane scrolls: the window itself never does, so the header and footer stay in view.
    expect(
      await page.evaluate(
        () => window.scrollY + document.documentElement.scrollHeight - document.documentElement.clientHeight,
      ),
    ).toBe(0);
  });

  it("confirms from a data center's list the keys it names, and shows only the one that differs", async () => {
    const [first, second] = [hostAddress(allHosts[0]!), hostAddress(allHosts[1]!)];
    // The host's own fingerprints, read on it, as a data center's inventory would hold them.
    const own = await execOnHost(
      hostName(allHosts[0]!),
      'for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $f; done',
    );
    expect(own).toContain(firstFingerprints.get(first));
    const wrong = firstFingerprints.get(hostAddress(allHosts[2]!));
    const list = `# CMDB export\n${first} ${firstFingerprints.get(first)}\n${second} ${wrong}\n`;
    await page.getByLabel('Confirm from the data center’s list').setInputFiles({
      name: 'fingerprints.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(list),
    });
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(`1 key confirmed from the list; ${labHostCount - 2} hosts are not on it.`);
    expect(await tableRows(page, 'Keys that differ from the list')).toEqual([
      [second, firstFingerprints.get(second), wrong],
    ]);
    // The confirmed host is collected again and leaves the table; the others wait for the operator.
    await expect
      .poll(async () => (await tableRows(page, 'Unknown host keys')).map((cells) => cells[0]), { timeout: 30_000 })
      .toEqual(allHosts.slice(1).map(hostAddress));
    // Its facts are collected again before the others' keys can be accepted (the buttons wait while facts run).
    await expect
      .poll(() => page.getByRole('button', { name: 'Accept all listed' }).isEnabled(), { timeout: 60_000 })
      .toBe(true);
  });

  it("accepts all listed keys, collects again, and shows each host's facts and checks, then puts them in the plan", async () => {
    await page.getByRole('button', { name: 'Accept all listed' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Unknown host keys' }).count(), { timeout: 30_000 })
      .toBe(0);
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(`Done: ${labHostCount} of ${labHostCount} hosts; ${labHostCount} with facts`);
    const progress = page.getByRole('progressbar', { name: 'Facts progress' });
    expect([await progress.getAttribute('value'), await progress.getAttribute('max')]).toEqual([
      String(labHostCount),
      String(labHostCount),
    ]);

    const project = await readProject();
    const knownHosts = await readFile(join(dataDir, 'projects', project.id, 'known_hosts'), 'utf8');
    for (const index of allHosts) expect(knownHosts).toContain(hostAddress(index));

    for (const index of pristineHosts) {
      const card = page.getByRole('region', { name: hostAddress(index), exact: true });
      expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe(hostName(index));
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('Debian GNU/Linux 12 (bookworm)');
      expect(text).toContain(`${hostAddress(index)}/24 (host0)`);
      const checks = await card
        .getByRole('list', { name: `Pre-flight checks of ${hostAddress(index)}` })
        .getByRole('listitem')
        .allTextContents();
      for (const title of [
        'Operating system supported',
        'Python 3 present',
        'sudo works',
        'Unique hostname',
        'Unique machine-id',
        'Kubernetes ports free',
      ]) {
        expect(checks.find((check) => check.includes(title))).toMatch(/^pass/);
      }
    }
    // lab5 and lab6 answered too (their checks depend on what earlier lab tests did to them).
    for (const index of [5, 6]) {
      expect(
        await page
          .getByRole('region', { name: hostAddress(index), exact: true })
          .getByRole('heading', { level: 3 })
          .textContent(),
      ).toBe(hostName(index));
    }
    expect(await pageTextAndInputs(page)).not.toContain(labAccounts.ops.password);
    await shoot(page, page.getByRole('progressbar', { name: 'Facts progress' }), '22-access-facts.png');

    // The lab hosts run this machine's kernel: where it lacks modules kubespray loads (ip_vs and others), their
    // checks fail and the hosts start unticked, so the operator ticks them, as on a real site after reading why.
    for (const index of pristineHosts)
      await page
        .getByRole('region', { name: hostAddress(index), exact: true })
        .getByRole('checkbox', { name: 'Use in the plan' })
        .check();
    await page.getByRole('button', { name: /^Use these hosts/ }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('in the plan of lab-e2e'));
    const planned = (await readProject()).cluster.hosts;
    for (const index of pristineHosts) {
      expect(planned.find((host) => host.name === hostName(index))).toMatchObject({
        address: hostAddress(index),
        facts: {
          os: { id: 'debian', version: '12' },
          arch: expect.any(String),
          addresses: [{ address: hostAddress(index), prefixLength: 24 }],
        },
      });
    }
    expect(JSON.stringify(planned)).not.toContain(labAccounts.ops.password);
    await shoot(page, page.getByRole('button', { name: /^Use these hosts/ }), '25-access-use-hosts.png');

    // The Roles step shows the hosts just put into the plan.
    await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: /Roles/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Roles');
    const rolesText = await pageTextAndInputs(page);
    for (const index of pristineHosts) expect(rolesText).toContain(hostAddress(index));
    expect(
      await page.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight),
    ).toBe(0);
    await shoot(page, page.getByRole('heading', { level: 1 }), '26-roles-after-access.png');
    await page
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: /Access/ })
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Access');

    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, page.getByRole('region', { name: hostAddress(1), exact: true }), '23-access-facts-dark.png');
  });

  it('stops hard on a changed host key, showing both fingerprints and no way to accept it', async () => {
    const lab6 = hostAddress(6);
    await changeHostKey(hostName(6));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Collect facts' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents(), { timeout: 30_000 })
      .toContainEqual(`Done: ${labHostCount} of ${labHostCount} hosts; ${labHostCount - 1} with facts, 1 failed`);

    const alert = page.getByRole('alert').filter({ hasText: `Stop: ${lab6} presented a different host key` });
    expect(await alert.count()).toBe(1);
    const text = (await alert.textContent()) ?? '';
    const shown = text.match(/SHA256:[A-Za-z0-9+/]{43}/g) ?? [];
    expect(shown).toHaveLength(2);
    expect(shown[1]).toBe(firstFingerprints.get(lab6));
    expect(shown[0]).not.toBe(shown[1]);
    expect(await alert.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Unknown host keys' }).count()).toBe(0);
    // The other hosts are unaffected.
    expect(
      await page
        .getByRole('region', { name: hostAddress(1), exact: true })
        .getByRole('heading', { level: 3 })
        .textContent(),
    ).toBe(hostName(1));
    await shoot(page, alert, '24-access-changed-key.png');
  });
});
