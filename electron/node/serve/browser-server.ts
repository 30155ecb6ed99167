import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  WsRequestSchema,
  wsMaxMessageBytes,
  wsSubprotocol,
  wsTokenProtocolPrefix,
  type WsServerMessage,
} from '../../common/api';
import { downloadPathPrefix } from '../../common/downloads-api';
import type { AirsprayCore } from '../api/airspray-core';
import { dispatchApiCall } from '../api/dispatch-api-call';
import { contentSecurityPolicy, newStyleNonce, withStyleNonce } from './content-security-policy';

export interface BrowserServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface BrowserServerOptions {
  core: AirsprayCore;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  log?: (line: string) => void;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const loopbackHost = '127.0.0.1';

/**
 * Browser mode: the renderer over HTTP and the API over one WebSocket, on 127.0.0.1 only.
 * The API needs the per-start token, a loopback Host (no DNS rebinding) and this server's own Origin (no foreign page).
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => undefined);
  const httpServer = createServer((request, response) => {
    const serve = isDownload(request)
      ? serveDownload(request, response, options.core, allowedHosts)
      : serveStatic(request, response, options.rendererDir, allowedHosts);
    void serve.catch((error: unknown) => {
      log(`${isDownload(request) ? 'download' : 'static file'} error: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: wsMaxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(wsSubprotocol) ? wsSubprotocol : false),
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, loopbackHost, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const allowedHosts = new Set([`${loopbackHost}:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));

  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(request, token, allowedHosts, allowedOrigins);
    if (refusal) {
      log(`refused API connection: ${refusal.reason}`);
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => attachClient(client, options.core, log));
  });

  return {
    url: `http://${loopbackHost}:${port}/?token=${token}`,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function checkUpgrade(
  request: IncomingMessage,
  token: string,
  allowedHosts: ReadonlySet<string>,
  allowedOrigins: ReadonlySet<string>,
): { status: number; reason: string } | undefined {
  if (new URL(request.url ?? '/', 'http://x').pathname !== '/api') return { status: 404, reason: 'Not Found' };
  if (!allowedHosts.has(request.headers.host ?? '')) return { status: 421, reason: 'Misdirected Request' };
  if (!allowedOrigins.has(request.headers.origin ?? '')) return { status: 403, reason: 'Forbidden' };
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
  const tokenProtocol = offered.find((value) => value.startsWith(wsTokenProtocolPrefix));
  if (!tokenProtocol || !tokensMatch(tokenProtocol.slice(wsTokenProtocolPrefix.length), token)) {
    return { status: 401, reason: 'Unauthorized' };
  }
  if (!offered.includes(wsSubprotocol)) return { status: 400, reason: 'Bad Request' };
  return undefined;
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function attachClient(client: WebSocket, core: AirsprayCore, log: (line: string) => void): void {
  const send = (message: WsServerMessage) => {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };
  const unsubscribe = core.onEvent((event, payload) => send({ kind: 'event', event, payload }));
  client.on('close', unsubscribe);
  // Oversized frames make ws close the socket with 1009; log it rather than crash.
  client.on('error', (error) => log(`API connection error: ${error.message}`));
  client.on('message', (data: RawData, isBinary: boolean) => {
    void answer(data, isBinary).catch((error: unknown) => log(`API reply failed: ${(error as Error).message}`));
  });

  async function answer(data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      send({
        kind: 'error',
        error: { code: 'bad_request', message: 'Binary messages are not part of the API: send JSON text.' },
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      send({ kind: 'error', error: { code: 'bad_request', message: 'Message is not valid JSON.' } });
      return;
    }
    const request = WsRequestSchema.safeParse(json);
    if (!request.success) {
      send({
        kind: 'error',
        error: { code: 'bad_request', message: 'Message must be {"id": number, "method": string, "params": object}.' },
      });
      return;
    }
    const reply = await dispatchApiCall(core.handlers, request.data.method, request.data.params, (error) =>
      log(`API ${request.data.method} failed: ${(error as Error).stack ?? String(error)}`),
    );
    send({ kind: 'reply', id: request.data.id, ...reply });
  }
}

const securityHeaders = (contentPolicy: string) => ({
  'Content-Security-Policy': contentPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
});

/** A loopback Host and GET or HEAD, or the refusal is written and false returned. */
function acceptRequest(
  request: IncomingMessage,
  response: ServerResponse,
  headers: Record<string, string>,
  allowedHosts: ReadonlySet<string>,
): boolean {
  if (!allowedHosts.has(request.headers.host ?? '')) {
    response.writeHead(421, headers).end();
    return false;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return false;
  }
  return true;
}

const isDownload = (request: IncomingMessage) =>
  new URL(request.url ?? '/', 'http://x').pathname.startsWith(downloadPathPrefix);

/** A file the core streams, behind a one-use ticket that only the token-holding API hands out. */
async function serveDownload(
  request: IncomingMessage,
  response: ServerResponse,
  core: AirsprayCore,
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  const headers = securityHeaders("default-src 'none'");
  if (!acceptRequest(request, response, headers, allowedHosts)) return;
  const ticket = new URL(request.url ?? '/', 'http://x').pathname.slice(downloadPathPrefix.length);
  // A run deleted since its link was made is gone, not a server error.
  const file = request.method === 'GET' ? await core.takeDownload(ticket).catch(() => undefined) : undefined;
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('This download link was used or has expired: ask Airspray for the file again.\n');
    return;
  }
  const disposition = `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
  response.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Disposition': disposition });
  await file.write(response);
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  rendererDir: string,
  allowedHosts: ReadonlySet<string>,
): Promise<void> {
  const styleNonce = newStyleNonce();
  const headers = securityHeaders(contentSecurityPolicy(styleNonce));
  if (!acceptRequest(request, response, headers, allowedHosts)) return;
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const relative = normalize(pathname === '/' ? 'index.html' : pathname.slice(1));
  const filePath = join(rendererDir, relative);
  if (relative.startsWith('..') || !filePath.startsWith(rendererDir + sep)) {
    response.writeHead(404, headers).end();
    return;
  }
  const fileStat = await stat(filePath).catch(() => undefined);
  if (!fileStat?.isFile()) {
    response.writeHead(404, headers).end();
    return;
  }
  const contentType = mimeTypes[extname(filePath)] ?? 'application/octet-stream';
  // Pages carry this response's style nonce; every other file goes out as it is.
  if (extname(filePath) === '.html') {
    const page = withStyleNonce(await readFile(filePath), styleNonce);
    response.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': page.length });
    response.end(request.method === 'HEAD' ? undefined : page);
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': fileStat.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(filePath).pipe(response);
}
