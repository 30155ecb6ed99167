import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { wsSubprotocol, wsTokenProtocolPrefix, type WsRequest } from '../../../electron/common/api';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import type { ConnectionState } from '../../../renderer/api/connection-state';
import { describeError } from '../../../renderer/api/describe-error';
import { createWsTransport } from '../../../renderer/api/ws-transport';

/*
 * A small server written here speaks the contract's envelope on 127.0.0.1, so the transport runs against real
 * sockets from the `ws` package; the app's own server is tested on its side.
 */
const token = 'test-token';
const appInfo = {
  name: 'Airspray',
  version: '0.1.0',
  shell: 'browser',
  platform: 'linux',
  dataDir: '/tmp/airspray-data',
  dataDirSource: 'option',
};

type Answer = (request: WsRequest, socket: WebSocket) => void;

async function startServer(answer: Answer) {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/api',
    handleProtocols: (protocols) => (protocols.has(wsSubprotocol) ? wsSubprotocol : false),
    verifyClient: ({ req }: { req: IncomingMessage }) =>
      (req.headers['sec-websocket-protocol'] ?? '').includes(wsTokenProtocolPrefix + token),
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const offeredProtocols: string[][] = [];
  server.on('connection', (socket, request) => {
    offeredProtocols.push(String(request.headers['sec-websocket-protocol']).split(/,\s*/));
    socket.on('message', (data) => answer(JSON.parse(String(data)) as WsRequest, socket));
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}/api`, offeredProtocols };
}

const notFound = { code: 'not_found', message: 'No such project.', field: 'id' };
const answerAppInfo: Answer = (request, socket) => {
  const reply = request.method === 'app.info' ? { ok: true, result: appInfo } : { ok: false, error: notFound };
  socket.send(JSON.stringify({ kind: 'reply', id: request.id, ...reply }));
};

type WsTransport = ReturnType<typeof createWsTransport>;

function waitForState(transport: WsTransport, wanted: ConnectionState['status']): Promise<ConnectionState> {
  const current = transport.connection.getConnectionState();
  if (current.status === wanted) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`state stayed ${transport.connection.getConnectionState().status}, wanted ${wanted}`));
    }, 5000);
    const stop = transport.connection.onConnectionStateChange((state) => {
      if (state.status !== wanted) return;
      clearTimeout(timer);
      stop();
      resolve(state);
    });
  });
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track<T extends { dispose(): void }>(transport: T): T {
  cleanups.push(() => transport.dispose());
  return transport;
}

async function trackServer(answer: Answer) {
  const started = await startServer(answer);
  cleanups.push(() => new Promise<void>((resolve) => started.server.close(() => resolve())));
  return started;
}

const fastBackoff = { initialMs: 20, maxMs: 40 };

describe('ws transport', () => {
  it('offers the subprotocol and token, and maps replies to results and ApiCallErrors', async () => {
    const { url, offeredProtocols } = await trackServer(answerAppInfo);
    const transport = track(createWsTransport({ url, token, WebSocketImpl: WebSocket }));

    // Calls made while connecting are sent once the socket opens.
    await expect(transport.call('app.info', {})).resolves.toEqual(appInfo);
    expect(offeredProtocols).toEqual([[wsSubprotocol, wsTokenProtocolPrefix + token]]);

    const error = await transport
      .call('projects.open', { id: '7d4f8a34-8a0e-4d8f-9a43-0f6f5f0d2c11' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'not_found', message: 'No such project.', field: 'id' });
  });

  it('delivers contract events to subscribers and drops malformed ones', async () => {
    const { server, url } = await trackServer(answerAppInfo);
    const transport = track(createWsTransport({ url, token, WebSocketImpl: WebSocket }));
    const seen: unknown[] = [];
    transport.subscribe('projects.changed', (payload) => seen.push(payload));
    await waitForState(transport, 'open');

    const broadcast = (message: unknown) => server.clients.forEach((client) => client.send(JSON.stringify(message)));
    broadcast({ kind: 'event', event: 'projects.changed', payload: { projects: 'bad' } });
    broadcast({ kind: 'event', event: 'projects.changed', payload: { projects: [] } });
    // A reply round trip guarantees the events before it were handled.
    await transport.call('app.info', {});

    expect(seen).toEqual([{ projects: [] }]);
  });

  it('rejects calls in flight when the socket closes, then reconnects with backoff', async () => {
    let dropNext = true;
    const { url } = await trackServer((request, socket) => {
      if (dropNext) {
        dropNext = false;
        socket.terminate();
        return;
      }
      answerAppInfo(request, socket);
    });
    const transport = track(createWsTransport({ url, token, WebSocketImpl: WebSocket, backoff: fastBackoff }));
    await waitForState(transport, 'open');

    const error = await transport.call('app.info', {}).catch((caught: unknown) => caught);
    const lost = { id: 'api.connection.lost', params: { code: 1006 } };
    expect(error).toMatchObject({
      code: 'disconnected',
      i18n: { id: 'api.call.interrupted', params: { closed: lost } },
    });
    expect(describeError(error, 'en')).toBe(
      'Connection lost: the app stopped answering (code 1006). The call did not complete; it is safe to try again once the connection is back.',
    );
    expect(describeError(error, 'zh-CN')).toBe(
      '连接已断开：应用不再响应（代码 1006）。本次调用未完成；连接恢复后可放心重试。',
    );
    const closed = transport.connection.getConnectionState();
    expect(closed).toMatchObject({ status: 'closed', reason: lost, retryAt: expect.any(Number) });

    await waitForState(transport, 'open');
    await expect(transport.call('app.info', {})).resolves.toEqual(appInfo);
  });

  it('reports a refused handshake as unauthorized, with the fix, and does not retry', async () => {
    const { url } = await trackServer(answerAppInfo);
    let attempts = 0;
    class CountingWebSocket extends WebSocket {
      constructor(address: string, protocols: string[]) {
        super(address, protocols);
        attempts++;
      }
    }
    const transport = track(
      createWsTransport({ url, token: 'wrong', WebSocketImpl: CountingWebSocket, backoff: fastBackoff }),
    );

    const state = await waitForState(transport, 'unauthorized');
    const refused = { id: 'api.connection.refused', params: { hint: { id: 'api.connection.fixHint', params: {} } } };
    expect(state).toEqual({ status: 'unauthorized', reason: refused });
    await expect(transport.call('app.info', {})).rejects.toMatchObject({
      code: 'disconnected',
      i18n: { id: 'api.call.notConnected', params: { reason: refused } },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(1);
    expect(transport.connection.getConnectionState().status).toBe('unauthorized');
  });

  it('does not connect at all without a token', () => {
    let constructed = 0;
    class NeverUsed extends WebSocket {
      constructor(address: string, protocols: string[]) {
        super(address, protocols);
        constructed++;
      }
    }
    const transport = track(createWsTransport({ url: 'ws://127.0.0.1:9/api', token: null, WebSocketImpl: NeverUsed }));
    expect(transport.connection.getConnectionState()).toMatchObject({
      status: 'unauthorized',
      reason: { id: 'api.connection.noToken', params: { hint: { id: 'api.connection.fixHint', params: {} } } },
    });
    expect(constructed).toBe(0);
  });
});
