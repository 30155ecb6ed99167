import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../electron/node/projects/project-store';
import { defaultOutputFlowLimits } from '../../../electron/node/runs/output-flow';
import { remoteRunDir } from '../../../electron/node/runs/remote-run';
import { execOnHost } from '../../lab/lab';
import type { ApiClient } from '../../support/api-client';
import { repoRoot } from '../../support/airspray-serve';
import { launchPage } from '../../support/chromium';
import { serveFixtureCluster, type ServedFixtureCluster } from '../../support/fixture-cluster';
import { kubesprayLog } from '../../support/kubespray-log';
import { requireLab } from '../../support/lab';
import { stageRecordedRuns } from '../../support/recorded-run';

// A view that stops acknowledging must pause the run's SSH stream at the core's high-water mark and lose nothing: a
// recorded log one and a half times that long.
const log = kubesprayLog(defaultOutputFlowLimits.highWaterBytes * 1.5);
const logBytes = Buffer.byteLength(log);
const runId = `r-flow-${Date.now().toString(36)}`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const cluster = 'flow-control';
let dataDir: string;
let lab: ServedFixtureCluster;
let api: ApiClient, projectId: string, credentialId: string;
let browser: Browser, page: Page, cspMessages: string[];

/** The page's API socket, routed through the test: it can hold the page's runs.ack calls and ask the core itself. */
const acks = { holding: true, held: [] as string[], lastForwarded: '' };
const probeReplies = new Map<number, (paused: boolean) => void>();
let toServer: WebSocketRoute | undefined;
let nextProbeId = 1_000_000_000;

beforeAll(async () => {
  await requireLab();
  dataDir = join(await mkdtemp(join(tmpdir(), 'airspray-flow-e2e-')), 'data');
  lab = await serveFixtureCluster(dataDir, cluster, { trusted: [1, 2, 3], step: 'operate' });
  ({ api, projectId, credentialId } = lab);
  await stageRecordedRuns({ dataDir, projectId, cluster, hostIndex: 1, runIds: [runId], log });

  ({ browser, page, cspMessages } = await launchPage({ viewport: { width: 1280, height: 800 } }));
  await page.routeWebSocket(/\/api$/, (route) => {
    const server = route.connectToServer();
    toServer = server;
    route.onMessage((message) => {
      const request = JSON.parse(String(message)) as {
        method: string;
        params: { shownBytes?: number; toldBytes?: number };
      };
      // The first acknowledgement (0 bytes) announces the view; the rest (written or told of) are held while the test
      // says so: the page answers no more, as a hung page would.
      if (
        request.method === 'runs.ack' &&
        acks.holding &&
        ((request.params.shownBytes ?? 0) > 0 || (request.params.toldBytes ?? 0) > 0)
      ) {
        acks.held.push(String(message));
        return;
      }
      if (request.method === 'runs.ack') acks.lastForwarded = String(message);
      server.send(message);
    });
    server.onMessage((message) => {
      const reply = JSON.parse(String(message)) as { kind: string; id?: number; result?: { paused: boolean } };
      const probe = reply.kind === 'reply' && reply.id !== undefined ? probeReplies.get(reply.id) : undefined;
      if (probe) return probe(reply.result?.paused ?? false);
      route.send(message);
    });
  });
  await page.goto(lab.serve.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
  await execOnHost('lab1', `rm -rf ${remoteRunDir(runId)}`).catch(() => undefined);
});

/**
 * Asks the core whether the run's stream waits for views, as the page's last forwarded acknowledgement (same view, same
 * offset).
 */
function streamPaused(): Promise<boolean> {
  const request = JSON.parse(acks.lastForwarded) as { id: number };
  const id = nextProbeId++;
  return new Promise((resolve) => {
    probeReplies.set(id, resolve);
    toServer?.send(JSON.stringify({ ...request, id }));
  });
}

const terminal = () => page.getByRole('region', { name: `Run ${runId}` }).getByRole('log', { name: 'Run output' });
const shownBytes = async () => Number(await terminal().getAttribute('data-shown-bytes'));
const localLog = () =>
  readFile(join(new ProjectStore(dataDir).projectFolder(projectId), 'runs', runId, 'log')).catch(() => Buffer.alloc(0));

describe('the run terminal, with flow control, on the lab', () => {
  it('pauses the SSH stream while the view does not acknowledge, then shows every byte once it does', async () => {
    await page.getByRole('button', { name: 'Open a project' }).click();
    await page
      .getByRole('dialog', { name: 'Projects' })
      .getByRole('button', { name: /flow-control/ })
      .click();
    // The view attaches the run, announces itself at 0 bytes and writes what arrives; its later acknowledgements are
    // held.
    await expect.poll(() => acks.lastForwarded !== '', { timeout: 30_000 }).toBe(true);
    await expect.poll(streamPaused, { timeout: 60_000, interval: 500 }).toBe(true);
    await expect.poll(() => acks.held.length, { timeout: 30_000 }).toBeGreaterThan(0);

    // Paused for real: the whole log is on the deploy node, but neither the core's copy nor the screen has it all.
    const local = await localLog();
    expect(local.length).toBeGreaterThan(defaultOutputFlowLimits.highWaterBytes);
    expect(local.length).toBeLessThan(logBytes);
    expect(await shownBytes()).toBeLessThan(logBytes);
    expect(await streamPaused()).toBe(true);

    // The view acknowledges again: the stream goes on and every byte reaches the terminal.
    acks.holding = false;
    for (const message of acks.held.splice(0)) toServer?.send(message);
    await expect.poll(shownBytes, { timeout: 120_000 }).toBe(logBytes);
    await expect
      .poll(async () => (await api.call('runs.get', { projectId, runId })).state, { timeout: 30_000 })
      .toBe('succeeded');
    expect(sha256(await localLog())).toBe(sha256(log));
    expect((await execOnHost('lab1', `sha256sum ${remoteRunDir(runId)}/log`)).split(' ')[0]).toBe(sha256(log));
    await expect.poll(() => terminal().textContent()).toContain('PLAY RECAP');

    // Far more lines than the terminal keeps: it says so and offers the whole log in the report.
    const hint = page.getByText('The terminal keeps the last 10,000 lines; the report has the whole log.');
    await expect.poll(() => hint.isVisible()).toBe(true);
    await terminal().evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(repoRoot, 'test-results', 'screenshots', '34-run-terminal-trimmed.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const report = await readFile(await download.path(), 'utf8');
    // The whole log, less its colour codes.
    expect(report).toContain('PLAY [Install Kubernetes]');
    expect(report).toContain('PLAY RECAP');
    expect(report.length).toBeGreaterThan(logBytes * 0.9);
  }, 240_000);

  it('opens finished runs one after the other over one login to the deploy node, each log whole', async () => {
    const shortLog = kubesprayLog(256 * 1024);
    const reused = ['a', 'b'].map((name) => `r-reuse-${Date.now().toString(36)}-${name}`);
    await stageRecordedRuns({ dataDir, projectId, cluster, hostIndex: 1, runIds: reused, log: shortLog });
    const logins = async () =>
      Number(
        await execOnHost('lab1', "journalctl --no-pager _COMM=sshd | grep -c 'Accepted publickey for ops' || true"),
      );
    const openToEnd = async (id: string) => {
      await api.call('runs.attach', { projectId, runId: id, credentialId });
      await expect
        .poll(async () => (await api.call('runs.get', { projectId, runId: id })).state, { timeout: 30_000 })
        .toBe('succeeded');
      const local = await readFile(join(new ProjectStore(dataDir).projectFolder(projectId), 'runs', id, 'log'));
      expect(sha256(local)).toBe(sha256(shortLog));
    };
    // journald has had time to record a login, had there been one.
    const settled = () => new Promise((resolve) => setTimeout(resolve, 1_000));
    try {
      const before = await logins();
      await openToEnd(reused[0]!);
      await settled();
      const afterFirst = await logins();
      // The first may still use the login of the run opened before it.
      expect(afterFirst - before).toBeLessThanOrEqual(1);
      await openToEnd(reused[1]!);
      await settled();
      expect(await logins()).toBe(afterFirst);
    } finally {
      await execOnHost('lab1', `rm -rf ${reused.map(remoteRunDir).join(' ')}`);
    }
  });

  it("shows the terminal under the app's CSP without a single refusal", () => {
    expect(cspMessages).toEqual([]);
  });
});
