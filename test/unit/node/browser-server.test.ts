import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsMaxMessageBytes } from '../../../electron/common/api';
import { startBrowserServer, type BrowserServer } from '../../../electron/node/serve/browser-server';
import { connectApi, messageQueue } from '../../support/api-socket';
import { httpGet as getFrom } from '../../support/http-get';
import { coreWithBundle } from '../../support/core-with-bundle';

let server: BrowserServer;
let token: string;
const logged: string[] = [];

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'airspray-server-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Airspray</title>');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer');
  const { core } = await coreWithBundle(root);
  server = await startBrowserServer({ core, rendererDir, port: 0, log: (line) => logged.push(line) });
  token = new URL(server.url).searchParams.get('token') ?? '';
});

afterAll(() => server.close());

const httpGet = (path: string, host?: string) => getFrom(server.port, path, host);

async function openApi(): Promise<WebSocket> {
  const attempt = await connectApi(server.port, { token });
  if (!('socket' in attempt)) throw new Error(`refused with ${attempt.refusedWith}`);
  return attempt.socket;
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const index = await httpGet('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Airspray</title>');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await httpGet('/../secret.txt')).status).toBe(404);
    expect((await httpGet('/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await httpGet('/', 'evil.example:80')).status).toBe(421);
    expect(await connectApi(server.port, { token, host: 'evil.example' })).toEqual({ refusedWith: 421 });
  });

  it('refuses the API without the token or with a wrong one', async () => {
    expect(await connectApi(server.port, {})).toEqual({ refusedWith: 401 });
    expect(await connectApi(server.port, { token: 'x'.repeat(43) })).toEqual({ refusedWith: 401 });
    expect(logged.some((line) => line.includes('Unauthorized'))).toBe(true);
  });

  it('refuses the API from a foreign Origin even with the token', async () => {
    expect(await connectApi(server.port, { token, origin: 'https://evil.example' })).toEqual({ refusedWith: 403 });
    expect(await connectApi(server.port, { token, origin: 'null' })).toEqual({ refusedWith: 403 });
  });

  it('answers a real call: the bundle folders it found', async () => {
    const socket = await openApi();
    const messages = messageQueue(socket);
    socket.send(JSON.stringify({ id: 1, method: 'bundles.list', params: {} }));
    const reply = await messages.next();
    expect(reply).toMatchObject({ kind: 'reply', id: 1, ok: true });
    expect(reply.kind === 'reply' && reply.ok && reply.result).toMatchObject({
      bundles: [{ folderName: 'ks', manifest: { state: 'readable', header: { bundleId: 'ks-2.23.3' } } }],
    });
    socket.close();
  });

  it('rejects malformed messages, unknown methods and bad params, and keeps the connection', async () => {
    const socket = await openApi();
    const messages = messageQueue(socket);
    socket.send('{not json');
    expect(await messages.next()).toMatchObject({ kind: 'error', error: { code: 'bad_request' } });
    socket.send(JSON.stringify({ id: 'one', method: 'app.info' }));
    expect(await messages.next()).toMatchObject({ kind: 'error', error: { code: 'bad_request' } });
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await messages.next()).toMatchObject({ kind: 'error', error: { code: 'bad_request' } });
    socket.send(JSON.stringify({ id: 2, method: 'system.exec', params: {} }));
    expect(await messages.next()).toMatchObject({ kind: 'reply', id: 2, ok: false, error: { code: 'unknown_method' } });
    socket.send(JSON.stringify({ id: 3, method: 'projects.create', params: { name: 'Bad Name!' } }));
    expect(await messages.next()).toMatchObject({
      kind: 'reply',
      id: 3,
      ok: false,
      error: { code: 'invalid_params', field: 'name' },
    });
    socket.send(JSON.stringify({ id: 4, method: 'app.info', params: { extra: true } }));
    expect(await messages.next()).toMatchObject({ kind: 'reply', id: 4, ok: false, error: { code: 'invalid_params' } });
    socket.send(JSON.stringify({ id: 5, method: 'app.info', params: {} }));
    expect(await messages.next()).toMatchObject({ kind: 'reply', id: 5, ok: true, result: { shell: 'browser' } });
    socket.close();
  });

  it('closes a connection that sends an oversized message and keeps serving others', async () => {
    const socket = await openApi();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(wsMaxMessageBytes + 1));
    expect(await closed).toBe(1009);
    const other = await openApi();
    const messages = messageQueue(other);
    other.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    expect(await messages.next()).toMatchObject({ kind: 'reply', ok: true });
    other.close();
  });

  it('streams events: creating a project announces the new list to every client', async () => {
    const watcher = await openApi();
    const watched = messageQueue(watcher);
    const actor = await openApi();
    const acted = messageQueue(actor);
    actor.send(JSON.stringify({ id: 1, method: 'projects.create', params: { name: 'events-lab' } }));
    expect(await acted.next()).toMatchObject({ kind: 'event', event: 'projects.changed' });
    expect(await acted.next()).toMatchObject({ kind: 'reply', id: 1, ok: true, result: { name: 'events-lab' } });
    expect(await watched.next()).toMatchObject({
      kind: 'event',
      event: 'projects.changed',
      payload: { projects: [expect.objectContaining({ name: 'events-lab' })] },
    });
    watcher.close();
    actor.close();
  });
});
