import type WebSocket from 'ws';
import type { ApiEventName, ApiMethodName, ApiParams, ApiResult, WsServerMessage } from '../../electron/common/api';
import type { DownloadRequest } from '../../electron/common/downloads-api';
import { connectApi } from './api-socket';

export interface ApiClient {
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Every event received so far, in order. */
  events: { event: ApiEventName; payload: unknown }[];
  waitForEvent(predicate: (event: ApiEventName, payload: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

/** Talks to a real `airspray serve` over its WebSocket API, as the browser UI does. */
export async function openApiClient(port: number, token: string): Promise<ApiClient> {
  const attempt = await connectApi(port, { token });
  if (!('socket' in attempt)) throw new Error(`API refused with ${attempt.refusedWith}`);
  const socket: WebSocket = attempt.socket;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const events: ApiClient['events'] = [];
  const waiters: {
    predicate: (event: ApiEventName, payload: unknown) => boolean;
    resolve: (payload: unknown) => void;
  }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as WsServerMessage;
    if (message.kind === 'reply') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) call?.resolve(message.result);
      else call?.reject(Object.assign(new Error(message.error.message), message.error));
    } else if (message.kind === 'event') {
      events.push({ event: message.event, payload: message.payload });
      for (const waiter of [...waiters]) {
        if (waiter.predicate(message.event, message.payload)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message.payload);
        }
      }
    }
  });
  return {
    events,
    call: (method, params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    waitForEvent: (predicate, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const seen = events.find((entry) => predicate(entry.event, entry.payload));
        if (seen) return resolve(seen.payload);
        const timer = setTimeout(() => reject(new Error('timed out waiting for an API event')), timeoutMs);
        waiters.push({
          predicate,
          resolve: (payload) => {
            clearTimeout(timer);
            resolve(payload);
          },
        });
      }),
    close: () => socket.close(),
  };
}

/** Asks for a download link and follows it over HTTP from the server on `port`, as the page does. */
export async function downloadOverHttp(
  api: ApiClient,
  port: number,
  request: DownloadRequest,
): Promise<{ fileName: string; response: Response }> {
  const link = await api.call('downloads.link', request);
  return { fileName: link.fileName, response: await fetch(`http://127.0.0.1:${port}${link.path}`) };
}
