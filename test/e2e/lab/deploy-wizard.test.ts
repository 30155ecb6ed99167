import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../../electron/common/bundle-manifest';
import type { RunRecord } from '../../../electron/common/run';
import { addOperatorKey } from '../../../electron/node/bundles/trusted-publishers';
import { execOnHost } from '../../lab/lab';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import { repoRoot, startServe, type ServeProcess } from '../../support/airspray-serve';
import { openApiClient, type ApiClient } from '../../support/api-client';
import { launchChromium } from '../../support/chromium';
import { writeDeployBundle } from '../../support/deploy-bundle';
import { requireLab } from '../../support/lab';
import { goToStep, poll } from '../../support/wizard-page';

const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const clusterName = 'lab-wizard';
const bundleFolder = 'kubespray-fixture';
const nodeMarker = '/var/tmp/airspray-fixture-node';
const passphrase = 'lab deploy key passphrase';
const planHosts = ['lab1', 'lab2', 'lab3', 'lab4'];

let serve: ServeProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;
let manifest: BundleManifest;

beforeAll(async () => {
  await requireLab();
  const root = await mkdtemp(join(tmpdir(), 'airspray-deploy-wizard-'));
  const dataDir = join(root, 'data');
  // A signed bundle whose kubespray/ is the kubespray-shaped fixture set, with the registry binary and one image.
  const bundle = await writeDeployBundle(join(root, 'bundles', bundleFolder), {
    largeFiles: 2,
    largeBytes: 24 * 1024 * 1024,
    smallFiles: 200,
    smallBytes: 2048,
    withServices: true,
    kubesprayFrom: join(repoRoot, 'test', 'fixtures', 'kubespray-shaped'),
  });
  manifest = bundle.manifest;
  // Trusting a publisher through the UI has its own test (bundle-publisher); here its key is on file already.
  await addOperatorKey(dataDir, {
    name: 'Lab publisher',
    publicKey: bundle.publisher.publicKeyPem,
    confirmedFingerprint: bundle.publisher.fingerprint,
  });
  // Nothing from earlier tests: no fixture kubespray in ops' home (runs must use the pushed bundle's), no markers.
  await execOnHost('lab1', 'rm -rf /home/ops/kubespray');
  for (const host of planHosts) await execOnHost(host, `rm -f ${nodeMarker}`);
  // No cluster left on lab2 by an earlier test: the nodes listed come from this test's runs only.
  await execOnHost('lab2', 'rm -rf /etc/kubernetes/admin.conf /usr/local/bin/kubectl /var/lib/airspray-fixture');

  await mkdir(screenshotDir, { recursive: true });
  serve = await startServe(['--data-dir', dataDir, '--bundles-dir', join(root, 'bundles')]);
  api = await openApiClient(Number(new URL(serve.url).port), serve.token);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  await page.goto(serve.url);
}, 180_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
});

const heading = () => page.getByRole('heading', { level: 1 }).textContent();
const checklistItem = (title: string) => page.getByRole('listitem', { name: title, exact: true });
const itemState = (title: string) => checklistItem(title).getAttribute('data-state');
const runView = () => page.getByRole('region', { name: /^Run r-/ });
const shownRunId = async () => ((await runView().getAttribute('aria-label')) ?? '').replace(/^Run /, '');

function tableRows(name: string, within: Page | Locator = page): Promise<string[][]> {
  return within
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
    );
}

/** The content pane scrolls on its own: bring the part worth seeing to the top of it, then take the window. */
async function shoot(top: Locator, file: string): Promise<void> {
  await top.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, file) });
}

async function projectId(): Promise<string> {
  const projects = await api.call('projects.list', {});
  return projects.find((project) => project.name === clusterName)!.id;
}

async function waitForRunEnd(runId: string): Promise<RunRecord> {
  const id = await projectId();
  await expect
    .poll(async () => (await api.call('runs.get', { projectId: id, runId })).state, { timeout: 120_000, interval: 500 })
    .not.toBe('running');
  return api.call('runs.get', { projectId: id, runId });
}

describe('a whole deploy through the UI on the lab: bundle, hosts, roles, key, push, services, cluster.yml, then add and remove a node', () => {
  it('verifies the bundle, creates the project, sweeps lab1-lab4 and takes them in with their facts', async () => {
    const verification = page.getByRole('region', { name: `Verification of ${bundleFolder}` });
    await verification.getByRole('button', { name: 'Verify', exact: true }).click();
    await poll(() => verification.textContent(), 30_000).toContain('Verified: every file matches the signed manifest');

    await page.getByLabel('Cluster name').fill(clusterName);
    await page.getByRole('button', { name: 'Create project' }).click();
    await poll(() => page.getByRole('status').allTextContents()).toContainEqual(`Progress saved in ${clusterName}`);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await poll(heading).toBe('Discover');
    await page.getByLabel('Targets').fill(`${hostAddress(1)}-${hostAddress(4).split('.')[3]}`);
    await page.getByRole('button', { name: 'Start sweep' }).click();
    await poll(() => page.getByRole('status').allTextContents(), 30_000).toContainEqual(
      'Sweep finished: 4 addresses, 4 with SSH',
    );

    await page.getByRole('button', { name: 'Continue to Access' }).click();
    await poll(heading).toBe('Access');
    await page.getByLabel('Profile name').fill('ops password');
    await page.getByLabel('User', { exact: true }).fill(labAccounts.ops.user);
    await page.getByLabel('Password', { exact: true }).fill(labAccounts.ops.password);
    await page.getByLabel('Sudo password').fill(labAccounts.ops.password);
    await page.getByRole('button', { name: 'Add profile' }).click();
    await poll(() => page.getByRole('list', { name: 'Profiles' }).textContent()).toContain('ops password');
    await page.getByRole('button', { name: 'Collect facts' }).click();
    await poll(() => page.getByRole('status').allTextContents(), 30_000).toContainEqual(
      'Done: 4 of 4 hosts; 0 with facts, 4 with an unknown host key',
    );
    await page.getByRole('button', { name: 'Accept all listed' }).click();
    await poll(() => page.getByRole('status').allTextContents(), 30_000).toContainEqual(
      'Done: 4 of 4 hosts; 4 with facts',
    );
    await page.getByRole('button', { name: /^Use these hosts/ }).click();
    await poll(() => page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringContaining(`in the plan of ${clusterName}`),
    );
  }, 120_000);

  it('gives lab2 the control plane and etcd, lab3 a worker, lab4 nothing yet, deploys from lab1, and chooses the bundle', async () => {
    await goToStep(page, 'Roles');
    for (const role of ['Control plane', 'etcd', 'Worker']) await page.getByLabel(`${role} on lab2`).check();
    await page.getByLabel('Worker on lab3').check();
    await page.getByLabel('Deploy from lab1').check();
    await goToStep(page, 'Settings');
    await page.getByLabel('Bundle', { exact: true }).selectOption({ label: manifest.bundleId });
    // Once the bundle is chosen, the version is picked from what it carries.
    await poll(() => page.getByRole('combobox', { name: 'Kubernetes version' }).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Kubernetes version' }).selectOption('1.27.10');
    await poll(async () => {
      const { cluster } = await api.call('projects.open', { id: await projectId() });
      return {
        bundle: cluster.bundle?.bundleId,
        version: cluster.settings.kubernetesVersion,
        deployNode: cluster.deployNode,
        roles: cluster.hosts
          .map((host) => [host.name, host.roles.controlPlane, host.roles.etcd, host.roles.worker])
          .sort(),
      };
    }).toEqual({
      bundle: manifest.bundleId,
      version: '1.27.10',
      deployNode: 'lab1',
      roles: [
        ['lab1', false, false, false],
        ['lab2', true, true, true],
        ['lab3', false, false, true],
        ['lab4', false, false, false],
      ],
    });
  });

  it('opens Deploy with every item to do, refuses a push before the key by its field, then installs the key on every host', async () => {
    await goToStep(page, 'Deploy');
    const checklist = page.getByRole('region', { name: 'Deploy checklist' });
    // The check made on entering finds no deploy key: nothing is failed yet, and nothing was pushed.
    await poll(() =>
      Promise.all(
        [
          'Deploy key on every host',
          'Bundle pushed to the deploy node',
          'Registry and file server on the deploy node',
          'Run cluster.yml',
        ].map(itemState),
      ),
    ).toEqual(['pending', 'pending', 'pending', 'pending']);
    await shoot(checklist, '40-deploy-checklist-start.png');

    const push = checklistItem('Bundle pushed to the deploy node');
    await push.getByRole('button', { name: 'Push the bundle' }).click();
    await poll(() => itemState('Bundle pushed to the deploy node')).toBe('failed');
    expect(await push.getByRole('alert').textContent()).toMatch(/^Project: This project has no deploy key yet/);

    // Browser mode has no keychain: the key is kept encrypted under the passphrase typed here.
    await page.getByLabel('Deploy key passphrase (optional)').fill(passphrase);
    const keys = checklistItem('Deploy key on every host');
    await keys.getByRole('button', { name: 'Install the deploy key' }).click();
    await poll(() => itemState('Deploy key on every host'), 60_000).toBe('done');
    const rows = await tableRows('Deploy key per host', keys);
    expect(rows.map((cells) => cells[0]).sort()).toEqual(
      planHosts.map((name, index) => `${name} ${hostAddress(index + 1)}`),
    );
    for (const cells of rows) expect(cells.slice(1, 4)).toEqual(['added', 'works', 'works']);
    const facts = (await keys.textContent()) ?? '';
    expect(facts).toContain('encrypted under your passphrase');
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(facts)?.[0];
    expect(fingerprint).toBeDefined();
    // On the hosts: that very key is authorized for ops.
    for (const host of planHosts)
      expect(await execOnHost(host, 'ssh-keygen -lf /home/ops/.ssh/authorized_keys')).toContain(fingerprint);
    expect(await page.locator('body').textContent()).not.toContain(passphrase);
    await shoot(checklist, '41-deploy-key-installed.png');
  }, 120_000);

  it('pushes the bundle with progress to its result, and a second push finds everything there', async () => {
    const push = checklistItem('Bundle pushed to the deploy node');
    await push.getByRole('button', { name: 'Push the bundle' }).click();
    // The push may finish before a frame shows its numbers: the picture is taken if they show, nothing depends on it.
    await push
      .getByRole('status')
      .filter({ hasText: / files/ })
      .waitFor({ timeout: 5_000 })
      .then(
        () => shoot(page.getByRole('region', { name: 'Deploy checklist' }), '42-deploy-push-progress.png'),
        () => undefined,
      );
    await poll(() => itemState('Bundle pushed to the deploy node'), 120_000).toBe('done');
    const filesTotal = manifest.files.length + 2;
    expect(await push.getByRole('status').textContent()).toMatch(
      new RegExp(`^Sent ${filesTotal} files \\(.+\\); 0 of ${filesTotal} already there with the same sha256; `),
    );
    expect(await push.textContent()).toContain(`In /var/lib/airspray/bundles/${manifest.bundleId}.`);
    const onNode = await execOnHost(
      'lab1',
      `cd /var/lib/airspray/bundles/${manifest.bundleId} && sha256sum kubespray/cluster.yml`,
    );
    expect(onNode.split(' ')[0]).toBe(manifest.files.find((file) => file.path === 'kubespray/cluster.yml')?.sha256);

    await push.getByRole('button', { name: 'Push again' }).click();
    await poll(
      async () =>
        (await itemState('Bundle pushed to the deploy node')) === 'done' &&
        (await push.getByRole('status').textContent())?.startsWith('Nothing to send'),
      60_000,
    ).toBe(true);
    expect(await push.getByRole('status').textContent()).toContain(
      `${filesTotal} of ${filesTotal} already there with the same sha256`,
    );
    await shoot(page.getByRole('region', { name: 'Deploy checklist' }), '43-deploy-pushed.png');
  }, 180_000);

  it('starts the registry and file server and shows them healthy from this computer and every host', async () => {
    const services = checklistItem('Registry and file server on the deploy node');
    await services.getByRole('button', { name: 'Start the services' }).click();
    await poll(() => itemState('Registry and file server on the deploy node'), 60_000).toBe('done');
    const rows = await tableRows('Offline services health', services);
    expect(rows[0]?.[0]).toBe('this computer');
    expect(
      rows
        .slice(1)
        .map((cells) => cells[0])
        .sort(),
    ).toEqual(planHosts);
    for (const cells of rows) expect(cells.slice(1)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await execOnHost('lab1', 'systemctl is-enabled airspray-registry.service airspray-files.service')).toBe(
      'enabled\nenabled\n',
    );
    await shoot(services, '44-deploy-services.png');
  }, 90_000);

  it('runs cluster.yml from the pushed bundle against its file server and registry until the recap shows lab2 and lab3 succeeded', async () => {
    await page.getByText('Advanced').click();
    expect(await page.getByLabel('Kubespray folder on the deploy node').inputValue()).toBe('');
    // The fixture then downloads a file by its URL path from the deploy node and asks its registry (JSON-typed: true).
    await page.getByLabel('Extra variables').fill('airspray_fixture_services=true');
    await checklistItem('Run cluster.yml').getByRole('button', { name: 'Run cluster.yml' }).click();
    await poll(() => runView().count(), 30_000).toBe(1);
    const runId = await shownRunId();
    await poll(() => itemState('Run cluster.yml')).toBe('working');
    const finished = await waitForRunEnd(runId);
    expect(finished).toMatchObject({ state: 'succeeded', exitCode: 0, bundleDigest: expect.any(String) });
    expect(finished.commandLine).toContain('"airspray_fixture_services":true');
    await poll(() => itemState('Run cluster.yml'), 30_000).toBe('done');
    await poll(() => runView().getByText('succeeded').count()).toBeGreaterThan(0);
    const recap = await tableRows('Play recap');
    expect(recap.map((cells) => cells[0])).toEqual(['lab2', 'lab3']);
    // Columns: host, ok, changed, unreachable, failed.
    for (const cells of recap) expect([Number(cells[1]) > 0, cells[3], cells[4]]).toEqual([true, '0', '0']);
    const log = await execOnHost('lab1', `cat /var/lib/airspray/runs/${runId}/log`);
    expect(log).toMatch(/TASK \[Download a file by its original URL path from the deploy node\][^]*ok: \[lab2\]/);
    for (const host of ['lab2', 'lab3'])
      expect(await execOnHost(host, `cat ${nodeMarker}`)).toContain(`${host} installed by cluster.yml`);
    expect(await execOnHost('lab4', `test -e ${nodeMarker} && echo present || echo absent`)).toContain('absent');
    await shoot(page.getByRole('region', { name: 'Deploy checklist' }), '45-deploy-checklist-done.png');
    await shoot(runView(), '46-deploy-recap.png');
  }, 180_000);

  it('shows a returning operator where the checklist stands after a reload', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Open a project' }).click();
    await page
      .getByRole('dialog', { name: 'Projects' })
      .getByRole('button', { name: new RegExp(clusterName) })
      .click();
    await poll(heading).toBe('Deploy');
    // The profile lives only in the server's memory: it is still there, so the check on entering runs.
    await poll(
      () =>
        Promise.all(
          ['Deploy key on every host', 'Registry and file server on the deploy node', 'Run cluster.yml'].map(itemState),
        ),
      30_000,
    ).toEqual(['done', 'done', 'done']);
    // Not pushed from this window: to do, yet it says the node serves the bundle, and the primary button is the run's.
    expect(await itemState('Bundle pushed to the deploy node')).toBe('pending');
    expect(await checklistItem('Bundle pushed to the deploy node').textContent()).toContain(
      'Not pushed from this window, but the deploy node serves this bundle',
    );
    expect(
      await checklistItem('Run cluster.yml').getByRole('button', { name: 'Run cluster.yml' }).getAttribute('class'),
    ).toContain('btn--primary');
    await shoot(page.getByRole('region', { name: 'Deploy checklist' }), '47-deploy-checklist-returning.png');
  }, 60_000);

  it('adds lab4 as a worker with facts.yml then scale.yml --limit lab4, then removes it with remove-node.yml, from Operate', async () => {
    await goToStep(page, 'Roles');
    await page.getByLabel('Worker on lab4').check();
    await poll(
      async () =>
        (await api.call('projects.open', { id: await projectId() })).cluster.hosts.find((host) => host.name === 'lab4')
          ?.roles.worker,
    ).toBe(true);
    // As for a host that joined the plan after the deploy: lab4 has no deploy key. Add nodes installs it, then runs
    // kubespray's procedure for a worker.
    await execOnHost('lab4', `sed -i '/ airspray-${clusterName}$/d' /home/ops/.ssh/authorized_keys`);
    expect(await execOnHost('lab4', 'cat /home/ops/.ssh/authorized_keys')).not.toContain(`airspray-${clusterName}`);
    await goToStep(page, 'Operate');
    // Hosts the last successful run named are in the cluster; only lab4 is ticked as new.
    await poll(() => page.getByLabel(/^lab4/).isChecked()).toBe(true);
    expect(await page.getByLabel(/^lab3/).isChecked()).toBe(false);
    const actions = page.getByRole('region', { name: 'Day-two actions' });
    await page.getByRole('button', { name: 'Add lab4' }).click();
    // As `airspray node add` runs it: playbooks/facts.yml over every host, then scale.yml limited to lab4.
    await poll(async () => (await runView().textContent())?.includes('scale.yml'), 120_000).toBe(true);
    await poll(() => actions.getByRole('status').textContent()).toBe(
      "Deploy key works on lab4; kubespray's procedure started: its runs are listed above, each shows below as it runs.",
    );
    expect(await execOnHost('lab4', 'cat /home/ops/.ssh/authorized_keys')).toContain(`airspray-${clusterName}`);
    const scaled = await waitForRunEnd(await shownRunId());
    expect(scaled).toMatchObject({ state: 'succeeded', playbook: 'scale.yml' });
    expect(scaled.commandLine).toContain("'--limit' 'lab4'");
    const facts = (await api.call('runs.list', { projectId: await projectId() }))[1];
    expect(facts).toMatchObject({ state: 'succeeded', playbook: 'playbooks/facts.yml' });
    expect(Object.keys(facts!.digest.recap ?? {}).sort()).toEqual(['lab2', 'lab3', 'lab4']);
    await poll(() =>
      actions.getByRole('list', { name: 'Runs of the procedure' }).locator('li').allTextContents(),
    ).toEqual(['playbooks/facts.yml done', 'scale.yml --limit lab4 done']);
    await poll(async () => (await tableRows('Play recap')).map((cells) => cells[0])).toEqual(['lab4']);
    await poll(() => runView().getByText('succeeded').count()).toBeGreaterThan(0);
    expect(await execOnHost('lab4', `cat ${nodeMarker}`)).toContain('lab4 added by scale.yml');
    await poll(() => runView().getByRole('log', { name: 'Run output' }).textContent(), 30_000).toContain('PLAY RECAP');
    // lab4 is in the cluster now: nothing is ticked, and the button says so without a count.
    expect(await actions.getByRole('button', { name: 'Add nodes', exact: true }).isDisabled()).toBe(true);
    await shoot(runView(), '48-operate-added.png');
    // The nodes listed after scale.yml's kubeconfig fetch include lab4.
    const nodesTable = page.getByRole('region', { name: 'Cluster access' }).getByRole('table', { name: 'Nodes' });
    await poll(async () => (await tableRows('Nodes')).map((cells) => [cells[0], cells[1]]), 30_000).toEqual([
      ['lab2', 'Ready'],
      ['lab3', 'Ready'],
      ['lab4', 'Ready'],
    ]);

    await page.getByRole('tab', { name: 'Remove node' }).click();
    await page.getByLabel('Node to remove').selectOption('lab4');
    await page.getByRole('button', { name: 'Remove lab4' }).click();
    await poll(async () => (await runView().textContent())?.includes('remove-node.yml'), 30_000).toBe(true);
    const removed = await waitForRunEnd(await shownRunId());
    expect(removed).toMatchObject({ state: 'succeeded', playbook: 'remove-node.yml' });
    expect(removed.commandLine).toContain('"node":"lab4"');
    await poll(async () => (await tableRows('Play recap')).map((cells) => cells[0])).toEqual(['lab4']);
    await poll(() => runView().getByRole('log', { name: 'Run output' }).textContent(), 30_000).toContain('PLAY RECAP');
    expect(await execOnHost('lab4', `test -e ${nodeMarker} && echo present || echo absent`)).toContain('absent');
    // The node list is asked again after the removal; lab4 left the plan, so the select and its button are back to
    // none.
    await poll(async () => (await tableRows('Nodes')).map((cells) => cells[0]), 30_000).toEqual(['lab2', 'lab3']);
    expect(await nodesTable.isVisible()).toBe(true);
    expect(await page.getByLabel('Node to remove').inputValue()).toBe('');
    expect(await actions.getByRole('button', { name: 'Remove node', exact: true }).isDisabled()).toBe(true);
    expect(await actions.getByRole('button', { name: 'Remove lab4' }).count()).toBe(0);
    await shoot(page.getByRole('region', { name: 'Cluster access' }), '51-operate-nodes-after-removal.png');
    await poll(async () => (await tableRows('Run history')).map((cells) => [cells[2], cells[3]])).toEqual([
      ['remove-node.yml', 'succeeded'],
      ['scale.yml', 'succeeded'],
      ['playbooks/facts.yml', 'succeeded'],
      ['cluster.yml', 'succeeded'],
    ]);
    await shoot(runView(), '49-operate-removed.png');
    await shoot(page.getByRole('heading', { name: 'Run history' }), '50-operate-history.png');
    expect(await page.locator('body').textContent()).not.toContain(labAccounts.ops.password);
  }, 300_000);
});
