import { z } from 'zod';
import {
  ApiErrorSchema,
  apiEvents,
  isApiMethodName,
  wsSubprotocol,
  wsTokenProtocolPrefix,
  type ApiEventName,
  type ApiEventPayload,
  type ApiMethodName,
  type ApiParams,
  type ApiResult,
  type WsRequest,
} from '../../electron/common/api';
import { ApiCallError } from './api-call-error';
import { describeError } from './describe-error';
import type { AirsprayTransport } from './airspray-transport';
import type { ConnectionState } from './connection-state';
import { readReply } from './read-reply';

/**
 * The part of a WebSocket this transport uses. Handler parameters are typed `never` so both the browser's
 * WebSocket and the `ws` package's class fit; the handlers below name the fields they read.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface WsTransportOptions {
  /** ws:// or wss:// URL of the app's /api endpoint. */
  url: string;
  /** The token `airspray serve` printed; null means the page was opened without one. */
  token: string | null;
  WebSocketImpl?: WebSocketConstructor;
  /** Reconnect delays double from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
}

const socketOpen = 1;

const WsServerMessageSchema = z.union([
  z.object({ kind: z.literal('reply'), id: z.number() }).loose(),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ kind: z.literal('error'), error: ApiErrorSchema }),
]);

const fixHint = 'Open the URL printed by `airspray serve`, with its token.';

interface PendingCall {
  request: WsRequest;
  sent: boolean;
  settle: (raw: unknown) => void;
  fail: (error: ApiCallError) => void;
}

function defaultWebSocket(): WebSocketConstructor {
  const impl = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!impl) throw new Error('This environment has no WebSocket: pass WebSocketImpl.');
  return impl;
}

function describeClose(code: number, reason: string): string {
  if (reason) return `Connection closed by the app: ${reason} (code ${code}).`;
  if (code === 1006) return 'Connection lost: the app stopped answering (code 1006).';
  return `Connection closed (code ${code}).`;
}

/** Browser mode: one WebSocket to the app's /api, token in the subprotocol list, reconnecting with capped backoff. */
export function createWsTransport(options: WsTransportOptions): AirsprayTransport & { dispose(): void } {
  const WebSocketImpl = options.WebSocketImpl ?? defaultWebSocket();
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 10_000 };
  const pending = new Map<number, PendingCall>();
  const eventListeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  let state: ConnectionState = { status: 'connecting' };
  let socket: WebSocketLike | null = null;
  let hasOpened = false;
  let failedAttempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  let disposed = false;

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function failAll(message: string): void {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.fail(new ApiCallError('disconnected', message));
  }

  function send(call: PendingCall): void {
    if (!socket || socket.readyState !== socketOpen) return;
    socket.send(JSON.stringify(call.request));
    call.sent = true;
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('Ignored a WebSocket message that is not JSON.');
      return;
    }
    const parsed = WsServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      console.warn('Ignored a WebSocket message that does not match the contract.');
      return;
    }
    const message = parsed.data;
    if (message.kind === 'reply') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      call.settle(message);
    } else if (message.kind === 'event') {
      dispatchEvent(message.event, message.payload);
    } else {
      // Only a malformed request earns this answer, and ours are built from the contract;
      // the app cannot say which call it was.
      console.error(`The app refused a message: ${message.error.message}`);
    }
  }

  function dispatchEvent(event: string, payload: unknown): void {
    if (!Object.hasOwn(apiEvents, event)) return;
    const name = event as ApiEventName;
    const listeners = eventListeners.get(name);
    if (!listeners?.size) return;
    const parsed = apiEvents[name].payload.safeParse(payload);
    if (!parsed.success) {
      console.warn(`Ignored a ${name} event that does not match the contract.`);
      return;
    }
    for (const listener of listeners) listener(parsed.data);
  }

  function scheduleRetry(reason: string): void {
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failedAttempts);
    failedAttempts += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
    setState({ status: 'closed', reason, retryAt: Date.now() + delay });
  }

  function connect(): void {
    if (disposed || socket) return;
    if (!options.token) {
      setState({ status: 'unauthorized', reason: `This page was opened without an access token. ${fixHint}` });
      return;
    }
    setState({ status: 'connecting' });
    let ws: WebSocketLike;
    try {
      ws = new WebSocketImpl(options.url, [wsSubprotocol, wsTokenProtocolPrefix + options.token]);
    } catch (error) {
      setState({ status: 'unauthorized', reason: `Cannot open ${options.url}: ${describeError(error)}` });
      return;
    }
    socket = ws;
    ws.onopen = () => {
      hasOpened = true;
      failedAttempts = 0;
      setState({ status: 'open' });
      for (const call of pending.values()) if (!call.sent) send(call);
    };
    ws.onmessage = (event: { data: unknown }) => handleMessage(event.data);
    ws.onclose = (event: { code: number; reason: string }) => {
      if (socket !== ws) return;
      socket = null;
      const reason = describeClose(event.code, event.reason);
      failAll(`${reason} The call did not complete; it is safe to try again once the connection is back.`);
      if (disposed) return;
      // A refused upgrade (bad or missing token) looks exactly like an unreachable server: close 1006 before open.
      if (!hasOpened) {
        const detail = event.reason ? ` It said: ${event.reason}.` : '';
        setState({
          status: 'unauthorized',
          reason: `The app refused this window's access token, or it is not running.${detail} ${fixHint}`,
        });
        return;
      }
      scheduleRetry(reason);
    };
    // The close that follows every error does the work; the listener is still needed because the `ws` class
    // throws on an error event nobody listens to.
    ws.onerror = () => {};
  }

  function call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    if (!isApiMethodName(method)) {
      return Promise.reject(new ApiCallError('unknown_method', `Unknown API method ${String(method)}.`));
    }
    if (state.status !== 'open' && state.status !== 'connecting') {
      return Promise.reject(new ApiCallError('disconnected', `Not connected to the app: ${state.reason}`));
    }
    return new Promise<ApiResult<M>>((resolve, reject) => {
      const id = nextId++;
      const entry: PendingCall = {
        request: { id, method, params },
        sent: false,
        settle: (raw) => {
          try {
            resolve(readReply(method, raw));
          } catch (error) {
            reject(error);
          }
        },
        fail: reject,
      };
      pending.set(id, entry);
      send(entry);
    });
  }

  function subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void {
    let listeners = eventListeners.get(event);
    if (!listeners) {
      listeners = new Set();
      eventListeners.set(event, listeners);
    }
    const entry = listener as (payload: unknown) => void;
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }

  function reconnect(): void {
    if (disposed || socket) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    failedAttempts = 0;
    connect();
  }

  function dispose(): void {
    disposed = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    failAll('The connection was closed by this window.');
    ws?.close(1000, 'window closed');
    setState({ status: 'closed', reason: 'Closed by this window.', retryAt: null });
  }

  connect();

  return {
    call,
    subscribe,
    dispose,
    connection: {
      getConnectionState: () => state,
      onConnectionStateChange: (listener) => {
        stateListeners.add(listener);
        return () => {
          stateListeners.delete(listener);
        };
      },
      reconnect,
    },
  };
}
