import {
  apiEvents,
  apiMethods,
  type AirsprayBridge,
  type ApiEventName,
  type ApiEventPayload,
  type ApiMethodName,
  type ApiParams,
  type ApiResult,
} from '../../electron/common/api';
import { transportError } from './api-call-error';
import { describeError } from './describe-error';
import type { AirsprayTransport } from './airspray-transport';
import { alwaysOpenConnection } from './connection-state';
import { readReply } from './read-reply';

// TypeScript cannot tie a generic method name to its bridge function, so the bridge is read through these loose views.
type LooseBridgeCall = (params: unknown) => Promise<unknown>;
type LooseBridgeSubscribe = (listener: (payload: unknown) => void) => () => void;

/** Desktop shell: calls the named functions the preload script put on `window.airspray`. */
export function createIpcTransport(bridge: AirsprayBridge): AirsprayTransport {
  const loose = bridge as unknown as Record<string, LooseBridgeCall | LooseBridgeSubscribe | undefined>;

  async function call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const name = apiMethods[method].exposeAs;
    const fn = loose[name] as LooseBridgeCall | undefined;
    if (typeof fn !== 'function') {
      throw transportError('unknown_method', { id: 'api.call.missingInShell', params: { name } });
    }
    let raw: unknown;
    try {
      raw = await fn(params);
    } catch (error) {
      throw transportError('disconnected', {
        id: 'api.call.notReached',
        params: { method, reason: describeError(error) },
      });
    }
    return readReply(method, raw);
  }

  function subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void {
    const { subscribeAs, payload: schema } = apiEvents[event];
    const fn = loose[subscribeAs] as LooseBridgeSubscribe | undefined;
    if (typeof fn !== 'function') {
      console.warn(`The desktop shell does not offer ${subscribeAs}; ${event} will not update this window.`);
      return () => {};
    }
    return fn((payload) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data as ApiEventPayload<E>);
      else console.warn(`Ignored a ${event} event that does not match the contract.`);
    });
  }

  return { call, subscribe, connection: alwaysOpenConnection };
}
