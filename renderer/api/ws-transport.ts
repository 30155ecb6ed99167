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
import type { MessageById } from '../i18n/core-message';
import { ApiCallError, transportError } from './api-call-error';
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

const fixHint: MessageById = { id: 'api.connection.fixHint', params: {} };

type WsServerMessage = z.infer<typeof WsServerMessageSchema>;

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

function describeClose(code: number, reason: string): MessageById {
  if (reason) return { id: 'api.connection.closedByApp', params: { reason, code } };
  if (code === 1006) return { id: 'api.connection.lost', params: { code } };
  return { id: 'api.connection.closed', params: { code } };
}

/** A message from the app checked against the contract, or null (with a warning) when it is not one. */
function parseServerMessage(data: unknown): WsServerMessage | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    console.warn('Ignored a WebSocket message that is not JSON.');
    return null;
  }
  const parsed = WsServerMessageSchema.safeParse(json);
  if (!parsed.success) {
    console.warn('Ignored a WebSocket message that does not match the contract.');
    return null;
  }
  return parsed.data;
}

/** A reply to its call, an event to its listeners; anything else is logged. */
function routeMessage(
  data: unknown,
  pending: ReturnType<typeof createPendingCalls>,
  events: ReturnType<typeof createEventHub>,
): void {
  const message = parseServerMessage(data);
  if (message?.kind === 'reply') pending.settle(message.id, message);
  else if (message?.kind === 'event') events.dispatch(message.event, message.payload);
  // Only a malformed request earns this answer, and ours are built from the contract; the app cannot say which call it
  // was.
  else if (message) console.error(`The app refused a message: ${message.error.message}`);
}

/** Event listeners by name; a payload reaches them only when it matches the contract's schema for that event. */
function createEventHub() {
  const eventListeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();
  return {
    subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void {
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
    },

    dispatch(event: string, payload: unknown): void {
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
    },
  };
}

/** Calls waiting for their reply, by request id. */
function createPendingCalls() {
  const pending = new Map<number, PendingCall>();
  let nextId = 1;
  return {
    add<M extends ApiMethodName>(
      method: M,
      params: ApiParams<M>,
      send: (call: PendingCall) => void,
    ): Promise<ApiResult<M>> {
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
    },

    settle(id: number, reply: unknown): void {
      const call = pending.get(id);
      if (!call) return;
      pending.delete(id);
      call.settle(reply);
    },

    unsent: (): PendingCall[] => [...pending.values()].filter((call) => !call.sent),

    failAll(message: MessageById): void {
      const calls = [...pending.values()];
      pending.clear();
      for (const call of calls) call.fail(transportError('disconnected', message));
    },
  };
}

/** The connection's state and who listens to it. */
function createStateHolder() {
  let state: ConnectionState = { status: 'connecting' };
  const stateListeners = new Set<(state: ConnectionState) => void>();
  return {
    get: () => state,
    set(next: ConnectionState): void {
      state = next;
      for (const listener of stateListeners) listener(next);
    },
    onChange(listener: (state: ConnectionState) => void): () => void {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
  };
}

/** Reconnect delays that double from `initialMs` up to `maxMs`, back to the first once a connection opened. */
function createRetry(backoff: { initialMs: number; maxMs: number }, retry: () => void) {
  let failedAttempts = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    /** Retries after the next delay, and returns it. */
    schedule(): number {
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failedAttempts);
      failedAttempts += 1;
      timer = setTimeout(() => {
        timer = null;
        retry();
      }, delay);
      return delay;
    },
    cancel,
    reset: () => {
      failedAttempts = 0;
    },
  };
}

/** Browser mode: one WebSocket to the app's /api, token in the subprotocol list, reconnecting with capped backoff. */
export function createWsTransport(options: WsTransportOptions): AirsprayTransport & { dispose(): void } {
  const WebSocketImpl = options.WebSocketImpl ?? defaultWebSocket();
  const pending = createPendingCalls();
  const events = createEventHub();
  const state = createStateHolder();
  const setState = state.set;

  let socket: WebSocketLike | null = null;
  let hasOpened = false;
  let disposed = false;
  const retry = createRetry(options.backoff ?? { initialMs: 500, maxMs: 10_000 }, () => connect());

  function send(call: PendingCall): void {
    if (!socket || socket.readyState !== socketOpen) return;
    socket.send(JSON.stringify(call.request));
    call.sent = true;
  }

  function closed(event: { code: number; reason: string }): void {
    const reason = describeClose(event.code, event.reason);
    pending.failAll({ id: 'api.call.interrupted', params: { closed: reason } });
    if (disposed) return;
    // A refused upgrade (bad or missing token) looks exactly like an unreachable server: close 1006 before open.
    if (!hasOpened) {
      const refused: MessageById = event.reason
        ? { id: 'api.connection.refusedSaying', params: { reason: event.reason, hint: fixHint } }
        : { id: 'api.connection.refused', params: { hint: fixHint } };
      setState({ status: 'unauthorized', reason: refused });
      return;
    }
    const delay = retry.schedule();
    setState({ status: 'closed', reason, retryAt: Date.now() + delay });
  }

  function connect(): void {
    if (disposed || socket) return;
    if (!options.token) {
      setState({ status: 'unauthorized', reason: { id: 'api.connection.noToken', params: { hint: fixHint } } });
      return;
    }
    setState({ status: 'connecting' });
    let ws: WebSocketLike;
    try {
      ws = new WebSocketImpl(options.url, [wsSubprotocol, wsTokenProtocolPrefix + options.token]);
    } catch (error) {
      setState({
        status: 'unauthorized',
        reason: { id: 'api.connection.cannotOpen', params: { url: options.url, reason: describeError(error) } },
      });
      return;
    }
    socket = ws;
    ws.onopen = () => {
      hasOpened = true;
      retry.reset();
      setState({ status: 'open' });
      for (const call of pending.unsent()) send(call);
    };
    ws.onmessage = (event: { data: unknown }) => routeMessage(event.data, pending, events);
    ws.onclose = (event: { code: number; reason: string }) => {
      if (socket !== ws) return;
      socket = null;
      closed(event);
    };
    // The close that follows every error does the work; the listener is still needed because the `ws` class
    // throws on an error event nobody listens to.
    ws.onerror = () => {};
  }

  function call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    if (!isApiMethodName(method)) {
      return Promise.reject(
        transportError('unknown_method', { id: 'api.call.unknownMethod', params: { method: String(method) } }),
      );
    }
    const current = state.get();
    if (current.status !== 'open' && current.status !== 'connecting') {
      return Promise.reject(
        transportError('disconnected', { id: 'api.call.notConnected', params: { reason: current.reason } }),
      );
    }
    return pending.add(method, params, send);
  }

  function reconnect(): void {
    if (disposed || socket) return;
    retry.cancel();
    retry.reset();
    connect();
  }

  function dispose(): void {
    disposed = true;
    retry.cancel();
    const ws = socket;
    socket = null;
    pending.failAll({ id: 'api.call.closedByWindow', params: {} });
    ws?.close(1000, 'window closed');
    setState({ status: 'closed', reason: { id: 'api.connection.closedByWindow', params: {} }, retryAt: null });
  }

  connect();

  return {
    call,
    subscribe: events.subscribe,
    dispose,
    connection: { getConnectionState: state.get, onConnectionStateChange: state.onChange, reconnect },
  };
}
