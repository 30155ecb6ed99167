import type {
  Api,
  ApiEventName,
  ApiEventPayload,
  ApiMethodName,
  ApiParams,
  ApiResult,
} from '../../../electron/common/api';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { emptyClusterPlan } from '../../../electron/common/cluster-plan';
import type { ProjectDocument } from '../../../electron/common/project';

type Handler<M extends ApiMethodName> = (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>;

/**
 * An Api whose answers each test scripts, recording every call. The store only sees the Api interface,
 * so this tests the slices' behaviour; the transports have their own tests.
 */
export class ScriptedApi implements Api {
  readonly calls: { method: ApiMethodName; params: unknown }[] = [];
  private readonly handlers = new Map<ApiMethodName, (params: unknown) => unknown>();
  private readonly listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();

  on<M extends ApiMethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as (params: unknown) => unknown);
    return this;
  }

  /** Every call of `method` fails with `error`, as the transport reports an error the core answered. */
  refuses(method: ApiMethodName, error: ApiCallError): this {
    this.handlers.set(method, () => {
      throw error;
    });
    return this;
  }

  /** Every call of `method` fails as the core refuses it: with `code`, `message` and the `field` it names. */
  refusesWith(method: ApiMethodName, code: ApiCallError['code'], message: string, field?: string): this {
    return this.refuses(method, new ApiCallError(code, message, field));
  }

  async call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) throw new Error(`ScriptedApi has no answer for ${method}`);
    return (await handler(params)) as ApiResult<M>;
  }

  subscribe<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  callsOf<M extends ApiMethodName>(method: M): ApiParams<M>[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params as ApiParams<M>);
  }
}

export function projectDocument(overrides: Partial<ProjectDocument> = {}): ProjectDocument {
  return {
    schemaVersion: 2,
    id: '7d4f8a34-8a0e-4d8f-9a43-0f6f5f0d2c11',
    name: 'prod-dc1',
    createdAt: '2025-11-20T10:00:00.000Z',
    updatedAt: '2025-11-20T10:00:00.000Z',
    revision: 0,
    wizard: { step: 'bundle' },
    cluster: emptyClusterPlan('prod-dc1'),
    ...overrides,
  };
}

/** Resolves once every promise callback queued so far has run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
