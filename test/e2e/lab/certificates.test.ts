import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateReport } from '../../../electron/common/certs-api';
import { execOnHost } from '../../lab/lab';
import { repoRoot } from '../../support/airspray-serve';
import { launchPage } from '../../support/chromium';
import {
  opsProjectArgs,
  serveFixtureCluster,
  writeOpsPasswordFile,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { pkiPaths, writeKubesprayShapedPki } from '../../support/kubespray-pki';
import { requireLab } from '../../support/lab';
import { poll } from '../../support/wizard-page';

/**
 * The certificate table on the lab. A stand-in: no Kubernetes can run in the lab's containers, so the test writes a
 * kubespray-shaped PKI (kubespray v2.23.3's paths, certificates made here with openssl, root-only files) on lab2
 * (control plane and etcd) and lab3 (worker). Everything on Airspray's side is real: the deploy key, one SSH login and
 * one sudo command per host, the parsing, the CLI's exit code and the Operate panel.
 */
const keyPassphrase = 'certificates-lab-passphrase';
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
let lab: ServedFixtureCluster;
let dataDir: string;
let passwordFile: string;

beforeAll(async () => {
  await requireLab();
  const root = await mkdtemp(join(tmpdir(), 'airspray-certs-'));
  dataDir = join(root, 'data');
  passwordFile = await writeOpsPasswordFile(root);
  await mkdir(screenshotDir, { recursive: true });
  await writeKubesprayShapedPki({ etcd: true });
  // With a passphrase the key is kept encrypted on disk, where the CLI opens it too.
  lab = await serveFixtureCluster(dataDir, 'certs', { workers: [3], trusted: [1, 2, 3], keyPassphrase });
}, 180_000);

afterAll(async () => {
  await lab?.close();
  for (const host of ['lab2', 'lab3']) await execOnHost(host, `rm -rf ${pkiPaths}`);
});

/** The built CLI as an operator runs it; its exit code and output. */
function certsCheck(extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['certs', 'check', ...opsProjectArgs('certs', dataDir, passwordFile), ...extra];
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'airspray.cjs'), ...args], {
    env: { ...process.env, AIRSPRAY_DEPLOY_KEY_PASSPHRASE: keyPassphrase },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const columns = (line: string) => line.split(/ {2,}/);

describe('airspray certs check on a kubespray-shaped PKI', () => {
  it('prints every certificate soonest first and exits 1 under the default 7 days', async () => {
    const { code, stdout, stderr } = await certsCheck([]);
    expect(code, stderr).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(columns(lines[0]!)).toEqual(['HOST', 'CERTIFICATE', 'EXPIRES', 'DAYS LEFT', 'STATUS', 'PATH']);
    // Made 5 and 20 days long a moment ago: 4 and 19 whole days are left.
    expect(columns(lines[1]!).filter((_, index) => index !== 2)).toEqual([
      'lab3',
      'Kubelet client',
      '4',
      'FAIL',
      '/var/lib/kubelet/pki/kubelet-client-current.pem',
    ]);
    expect(columns(lines[2]!).filter((_, index) => index !== 2)).toEqual([
      'lab2',
      'Admin kubeconfig',
      '19',
      'WARN',
      '/etc/kubernetes/admin.conf',
    ]);
    expect(stdout).toMatch(/lab2 +Kubernetes CA \(CA\) +\S+ +3649 +ok/);
    expect(stdout).toMatch(/lab2 +etcd CA \(CA\) +\S+ +36499 +ok/);
    expect(stdout).toMatch(/lab2 +Scheduler kubeconfig +- +- +missing +\/etc\/kubernetes\/scheduler.conf/);
  }, 60_000);

  it("exits 0 at --fail-days 4 and 1 at --fail-days 5, at the lab3 kubelet client's 4 days", async () => {
    expect((await certsCheck(['--fail-days', '4'])).code).toBe(0);
    expect((await certsCheck(['--fail-days', '5'])).code).toBe(1);
  }, 60_000);

  it('answers JSON with every file of each host by its roles; the deploy node holds none and is left out', async () => {
    const { code, stdout } = await certsCheck(['--json', '--fail-days', '1', '--warn-days', '400']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CertificateReport & { warnDays: number; failDays: number };
    expect(report).toMatchObject({ warnDays: 400, failDays: 1 });
    expect(report.hosts.map((host) => [host.name, host.ok, host.files.length])).toEqual([
      ['lab2', true, 13],
      ['lab3', true, 2],
    ]);
    const lab2 = report.hosts[0]!;
    expect(lab2.files.filter((file) => file.state !== 'found').map((file) => [file.path, file.state])).toEqual([
      ['/etc/kubernetes/scheduler.conf', 'missing'],
    ]);
    expect(lab2.files.find((file) => file.label === 'Admin kubeconfig')?.certificates[0]?.subject).toBe(
      'O=system:masters, CN=kubernetes-admin',
    );
    expect(lab2.files.find((file) => file.label === 'Front proxy client')?.certificates[0]?.issuer).toBe(
      'CN=front-proxy-ca',
    );
  }, 60_000);

  it('reports a host holding none of its files as not ok, naming the fix', async () => {
    await execOnHost(
      'lab3',
      `mv /var/lib/kubelet/pki /var/lib/kubelet/pki.aside && mv /etc/kubernetes/ssl /etc/kubernetes/ssl.aside`,
    );
    try {
      const { code, stdout } = await certsCheck(['--fail-days', '1']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/lab3 +- +- +- +FAILED +None of the 2 certificate files .*deploy the cluster first/);
    } finally {
      await execOnHost(
        'lab3',
        `mv /var/lib/kubelet/pki.aside /var/lib/kubelet/pki && mv /etc/kubernetes/ssl.aside /etc/kubernetes/ssl`,
      );
    }
  }, 60_000);
});

describe('the Certificates panel on the Operate step', () => {
  let browser: Browser;
  let page: Page;
  afterAll(async () => browser?.close());

  const rows = () =>
    page
      .getByRole('table', { name: 'Certificates' })
      .locator('tbody tr')
      .evaluateAll((found) =>
        found.map((row) => ({
          tone: row.className,
          cells: [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? ''),
        })),
      );

  it('checks on request and colours the rows at 30 and 7 days', async () => {
    ({ browser, page } = await launchPage({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' }));
    await page.goto(lab.serve.url);
    await page.getByRole('button', { name: 'Open a project' }).click();
    await page.getByRole('dialog', { name: 'Projects' }).getByRole('button', { name: /certs/ }).click();
    // The project opens at its saved step once loaded: a click before that would be undone, so click until it holds.
    await poll(async () => {
      await page
        .getByRole('navigation', { name: 'Wizard steps' })
        .getByRole('button', { name: 'Operate', exact: true })
        .click();
      return page.getByRole('heading', { level: 1 }).textContent();
    }, 20_000).toBe('Operate');
    await page.getByLabel('Deploy key passphrase (optional)').fill(keyPassphrase);
    const panel = page.getByRole('region', { name: 'Certificates' });
    await panel.getByRole('button', { name: 'Check certificates' }).click();
    await poll(async () => (await rows()).length, 30_000).toBe(14);
    const shown = await rows();
    expect(shown[0]).toEqual({
      tone: 'certificates__row--fail',
      cells: [
        'lab3',
        'Kubelet client/var/lib/kubelet/pki/kubelet-client-current.pem',
        expect.any(String),
        '4 d',
        'Under 7 days',
      ],
    });
    expect(shown[1]).toMatchObject({
      tone: 'certificates__row--warn',
      cells: ['lab2', 'Admin kubeconfig/etc/kubernetes/admin.conf', expect.any(String), '19 d', 'Under 30 days'],
    });
    expect(shown.slice(2).every((row) => row.tone === 'certificates__row--ok')).toBe(true);
    expect(shown.find((row) => row.cells[1]!.startsWith('Kubernetes CA'))?.cells[1]).toContain('CA');
    expect(await panel.textContent()).toContain('lab2: Scheduler kubeconfig not there: /etc/kubernetes/scheduler.conf');
    await panel.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screenshotDir, '43-operate-certificates.png') });
    expect((await readFile(join(screenshotDir, '43-operate-certificates.png'))).length).toBeGreaterThan(0);
  }, 120_000);
});
