import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiMethodName, ApiParams, ApiResult } from '../../../electron/common/api';
import { createAirsprayCore, type AirsprayCore } from '../../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../../electron/node/api/dispatch-api-call';
import { ProjectStore } from '../../../electron/node/projects/project-store';
import { httpGet as getFrom } from '../../support/http-get';
import { startBrowserServer, type BrowserServer } from '../../../electron/node/serve/browser-server';
import { finishedRun } from '../../support/run-record';

const log = `${'TASK [x] ***\nok: [node1]\n'.repeat(50_000)}PLAY RECAP ***\n`;
let root: string;
let server: BrowserServer;
let browserCore: AirsprayCore;
let projectId: string;

function newCore(dataDir: string, chooseSavePath?: (name: string) => Promise<string | null>): AirsprayCore {
  return createAirsprayCore({
    shell: chooseSavePath ? 'desktop' : 'browser',
    version: '0.0.0-test',
    dataDir: { dir: dataDir, source: 'option' },
    bundleLocations: [],
    ...(chooseSavePath ? { chooseSavePath } : {}),
  });
}

async function call<M extends ApiMethodName>(
  core: AirsprayCore,
  method: M,
  params: ApiParams<M>,
): Promise<ApiResult<M>> {
  const reply = await dispatchApiCall(core.handlers, method, params, () => undefined);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result as ApiResult<M>;
}

const httpGet = (path: string, host?: string) => getFrom(server.port, path, host);

/** A finished run with its log, as the run service leaves it in the project folder. */
async function stageRun(dataDir: string, id: string): Promise<void> {
  const folder = join(new ProjectStore(dataDir).projectFolder(projectId), 'runs', 'r-done');
  await mkdir(folder, { recursive: true });
  const run = finishedRun(
    { playbook: 'cluster.yml' },
    { id: 'r-done', projectId: id, cluster: 'downloads', logBytes: log.length },
  );
  await writeFile(join(folder, 'run.json'), JSON.stringify(run));
  await writeFile(join(folder, 'log'), log);
}

const report = { kind: 'run-report', runId: 'r-done' } as const;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-downloads-'));
  browserCore = newCore(join(root, 'data'));
  projectId = (await call(browserCore, 'projects.create', { name: 'downloads' })).id;
  await stageRun(join(root, 'data'), projectId);
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Airspray</title>');
  server = await startBrowserServer({ core: browserCore, rendererDir, port: 0 });
});

afterAll(() => server.close());

describe('downloads in browser mode', () => {
  it('streams a run report over HTTP behind a one-use link that holds no token', async () => {
    const link = await call(browserCore, 'downloads.link', { ...report, projectId });
    expect(link.fileName).toBe('airspray-downloads-cluster-r-done.html');
    expect(link.path).toMatch(/^\/download\/[A-Za-z0-9_-]{43}$/);
    expect(link.path).not.toContain(new URL(server.url).searchParams.get('token'));

    const first = await httpGet(link.path);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['content-disposition']).toContain(
      'attachment; filename="airspray-downloads-cluster-r-done.html"',
    );
    expect(first.headers['content-security-policy']).toBe("default-src 'none'");
    expect(first.body).toContain(log);

    const again = await httpGet(link.path);
    expect(again.status).toBe(404);
    expect(again.body).toContain('used or has expired');
  });

  it('refuses a link after a minute, from a foreign Host, and a made-up ticket', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const late = await call(browserCore, 'downloads.link', { ...report, projectId });
      vi.setSystemTime(Date.now() + 61_000);
      expect((await httpGet(late.path)).status).toBe(404);
    } finally {
      vi.useRealTimers();
    }
    const foreign = await call(browserCore, 'downloads.link', { ...report, projectId });
    expect((await httpGet(foreign.path, 'evil.example:80')).status).toBe(421);
    expect((await httpGet('/download/not-a-ticket')).status).toBe(404);
    // The run's folder removed between the link and the fetch: not found, as a used link.
    const orphan = await call(browserCore, 'downloads.link', { ...report, projectId });
    const folder = join(new ProjectStore(join(root, 'data')).projectFolder(projectId), 'runs', 'r-done');
    await rename(folder, `${folder}.away`);
    try {
      expect((await httpGet(orphan.path)).status).toBe(404);
    } finally {
      await rename(`${folder}.away`, folder);
    }
  });

  it('writes the report in the language last chosen on the data folder, English where none was', async () => {
    const english = await httpGet((await call(browserCore, 'downloads.link', { ...report, projectId })).path);
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('<h2>Full log</h2>');
    await call(browserCore, 'settings.setLocale', { locale: 'zh-CN' });
    try {
      const chinese = await httpGet((await call(browserCore, 'downloads.link', { ...report, projectId })).path);
      expect(chinese.body).toContain('<html lang="zh-CN">');
      expect(chinese.body).toContain('<h2>完整日志</h2>');
      expect(chinese.body).toContain(log);
    } finally {
      await call(browserCore, 'settings.setLocale', { locale: 'en' });
    }
  });

  it('names a missing run when the link is asked for, and refuses the dialog save', async () => {
    await expect(
      call(browserCore, 'downloads.link', { kind: 'run-report', projectId, runId: 'r-none' }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'runId' });
    await expect(call(browserCore, 'downloads.save', { ...report, projectId })).rejects.toMatchObject({
      code: 'unsupported',
    });
  });
});

describe('downloads in the desktop shell', () => {
  it('saves through the dialog whole and atomically, writes nothing when cancelled, and offers no links', async () => {
    const targets = [join(root, 'saved', 'report.html'), null];
    await mkdir(join(root, 'saved'));
    const asked: string[] = [];
    const desktop = newCore(join(root, 'data'), async (name) => {
      asked.push(name);
      return targets.shift() ?? null;
    });
    const saved = await call(desktop, 'downloads.save', { ...report, projectId });
    expect(saved).toEqual({ savedTo: join(root, 'saved', 'report.html') });
    expect(asked).toEqual(['airspray-downloads-cluster-r-done.html']);
    expect(await readFile(join(root, 'saved', 'report.html'), 'utf8')).toContain(log);
    expect(await call(desktop, 'downloads.save', { ...report, projectId })).toEqual({ savedTo: null });
    expect(await readdir(join(root, 'saved'))).toEqual(['report.html']);
    await expect(call(desktop, 'downloads.link', { ...report, projectId })).rejects.toMatchObject({
      code: 'unsupported',
    });
  });
});
