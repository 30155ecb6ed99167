import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertificateRenewal, CertificateReport } from '../../electron/common/certs-api';
import { emptyClusterPlan, noRoles } from '../../electron/common/cluster-plan';
import { repoRoot } from '../support/airspray-serve';
import { harnessInChromium, setHarnessState } from '../support/step-harness';
import { projectDocument } from '../unit/renderer/scripted-api';
import { poll } from '../support/wizard-page';

/**
 * The Certificates panel's colours in Chromium, over the step-error harness (the real window, a scripted API) with
 * the report put in the store. The lab test (test/e2e/lab/certificates.test.ts) checks the same panel against real
 * hosts; this one needs no lab, so the screenshot can be looked at whenever the lab is busy.
 */
const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const harness = harnessInChromium();

const project = projectDocument({ wizard: { step: 'operate' } });
const certificate = (subject: string, daysLeft: number, isCa = false) => ({
  subject,
  issuer: 'CN=kubernetes',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: new Date(Date.UTC(2026, 0, 1) + daysLeft * 86_400_000).toISOString(),
  daysLeft,
  isCa,
});
const report: CertificateReport = {
  checkedAt: '2026-01-01T00:00:00.000Z',
  hosts: [
    {
      name: 'node1',
      address: '10.0.0.11',
      ok: true,
      files: [
        {
          path: '/etc/kubernetes/ssl/ca.crt',
          label: 'Kubernetes CA',
          state: 'found',
          certificates: [certificate('CN=kubernetes', 3649, true)],
        },
        {
          path: '/etc/kubernetes/admin.conf',
          label: 'Admin kubeconfig',
          state: 'found',
          certificates: [certificate('O=system:masters, CN=kubernetes-admin', 19)],
        },
        { path: '/etc/kubernetes/scheduler.conf', label: 'Scheduler kubeconfig', state: 'missing', certificates: [] },
      ],
    },
    {
      name: 'node2',
      address: '10.0.0.12',
      ok: true,
      files: [
        {
          path: '/var/lib/kubelet/pki/kubelet-client-current.pem',
          label: 'Kubelet client',
          state: 'found',
          certificates: [certificate('CN=system:node:node2', 4)],
        },
      ],
    },
    { name: 'node3', address: '10.0.0.13', ok: false, message: 'Could not read node3: timed out', files: [] },
  ],
};

describe('the Certificates panel in Chromium', { timeout: 60_000 }, () => {
  it('lists the soonest first, amber under 30 days, red under 7, with what it could not read', async () => {
    const { context, page } = await harness.open({
      currentProject: project,
      step: 'operate',
      certificates: report,
      certificatesProjectId: project.id,
    });
    const panel = page.getByRole('region', { name: 'Certificates' });
    const rows = panel.getByRole('table', { name: 'Certificates' }).locator('tbody tr');
    await poll(() => rows.count()).toBe(3);
    const shown = await rows.evaluateAll((found) =>
      found.map((row) => ({
        cells: [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? ''),
        background: getComputedStyle((row as HTMLTableRowElement).cells[0]!).backgroundColor,
      })),
    );
    expect(shown.map((row) => [row.cells[0], row.cells[3], row.cells[4]])).toEqual([
      ['node2', '4 d', 'Under 7 days'],
      ['node1', '19 d', 'Under 30 days'],
      ['node1', '3649 d', 'OK'],
    ]);
    // The theme's danger-subtle and attention-subtle (light): red, amber, and none for the rest.
    expect(shown.map((row) => row.background)).toEqual([
      'rgb(255, 235, 233)',
      'rgb(255, 248, 197)',
      'rgba(0, 0, 0, 0)',
    ]);
    expect(shown[2]!.cells[1]).toBe('Kubernetes CACA/etc/kubernetes/ssl/ca.crt');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('node3: Could not read node3: timed out');
    expect(text).toContain('node1: Scheduler kubeconfig not there: /etc/kubernetes/scheduler.conf');
    await panel.screenshot({ path: join(screenshotDir, '43-operate-certificates-scripted.png') });
    await context.close();
  });

  it('renews only after the confirmation, then offers to finish where it stopped', async () => {
    const controlPlane = (name: string, address: string) => ({
      name,
      address,
      roles: { ...noRoles, controlPlane: true, etcd: true },
    });
    const planned = projectDocument({
      wizard: { step: 'operate' },
      cluster: {
        ...emptyClusterPlan('prod-dc1'),
        hosts: [controlPlane('node1', '10.0.0.11'), controlPlane('node2', '10.0.0.12')],
      },
    });
    const { context, page } = await harness.open({ currentProject: planned, step: 'operate' });
    // The store's action replaced by a recorder: what the panel asks for is the test, not the core.
    await page.evaluate(() => {
      const calls: (string[] | undefined)[] = [];
      Object.assign(window, { renewCalls: calls });
      (window as unknown as { harnessStore: { setState(state: object): void } }).harnessStore.setState({
        renewCertificates: (hosts?: string[]) => {
          calls.push(hosts);
          return Promise.resolve();
        },
      });
    });
    const renewCalls = () => page.evaluate(() => (window as unknown as { renewCalls: unknown[] }).renewCalls);
    const panel = page.getByRole('region', { name: 'Certificates' });
    await panel.getByRole('button', { name: 'Renew certificates…' }).click();
    const confirm = panel.getByRole('group', { name: 'Confirm certificate renewal' });
    expect(await confirm.textContent()).toContain(
      'Run kubeadm certs renew all on the 2 control planes, one at a time? Each restarts its API server',
    );
    await confirm.getByRole('button', { name: 'Not now' }).click();
    expect(await renewCalls()).toEqual([]);
    await panel.getByRole('button', { name: 'Renew certificates…' }).click();
    await panel.getByRole('button', { name: 'Renew', exact: true }).click();
    expect(await renewCalls()).toStrictEqual([undefined]);

    const stopped: CertificateRenewal = {
      renewed: [{ name: 'node1', address: '10.0.0.11', renewedAt: '2026-01-01T00:05:00.000Z' }],
      stopped: { name: 'node2', address: '10.0.0.12', reason: 'cannot log in to node2 (10.0.0.12): timed out' },
      remaining: ['node2'],
      report,
    };
    await setHarnessState(page, {
      certificatesRenewal: stopped,
      certificates: stopped.report,
      certificatesProjectId: planned.id,
    });
    expect(await panel.getByRole('status').first().textContent()).toBe('Renewed on node1.');
    expect(await panel.getByRole('alert').first().textContent()).toBe(
      'Stopped at node2: cannot log in to node2 (10.0.0.12): timed out',
    );
    await panel.getByRole('button', { name: 'Renew the rest (node2)' }).click();
    expect(await renewCalls()).toStrictEqual([undefined, ['node2']]);
    await context.close();
  });
});
