import { describe, expect, it } from 'vitest';
import type { AirsprayBridge, ApiReply } from '../../../electron/common/api';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createIpcTransport } from '../../../renderer/api/ipc-transport';

/*
 * The real bridge is the preload script, which needs the Electron binary, and this machine cannot download it.
 * So these tests write the bridge object by hand, with the shape AirsprayBridge gives it, and check the mapping:
 * method → exposeAs function, reply → result or ApiCallError, event → subscribeAs function.
 */
function bridgeStandIn(replies: Partial<Record<string, (params: unknown) => unknown>>) {
  const received: { name: string; params: unknown }[] = [];
  const listeners = new Set<(payload: unknown) => void>();
  const functions: Record<string, unknown> = {
    onProjectsChanged: (listener: (payload: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const [name, reply] of Object.entries(replies)) {
    functions[name] = async (params: unknown) => {
      received.push({ name, params });
      return reply?.(params);
    };
  }
  return {
    bridge: functions as unknown as AirsprayBridge,
    received,
    emit: (payload: unknown) => listeners.forEach((listener) => listener(payload)),
  };
}

const projectList = [
  { id: '7d4f8a34-8a0e-4d8f-9a43-0f6f5f0d2c11', name: 'prod-dc1', updatedAt: '2025-11-20T10:00:00.000Z' },
];

describe('ipc transport', () => {
  it('calls the exposeAs function with the params and returns the result of an ok reply', async () => {
    const { bridge, received } = bridgeStandIn({
      listProjects: (): ApiReply => ({ ok: true, result: projectList }),
    });
    const api = createIpcTransport(bridge);

    await expect(api.call('projects.list', {})).resolves.toEqual(projectList);
    expect(received).toEqual([{ name: 'listProjects', params: {} }]);
  });

  it('turns an error reply into an ApiCallError with code, message and field', async () => {
    const { bridge, received } = bridgeStandIn({
      createProject: (): ApiReply => ({
        ok: false,
        error: { code: 'invalid_params', message: 'Cluster name is empty.', field: 'name' },
      }),
    });
    const api = createIpcTransport(bridge);

    const error = await api.call('projects.create', { name: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'invalid_params', message: 'Cluster name is empty.', field: 'name' });
    expect(received).toEqual([{ name: 'createProject', params: { name: '' } }]);
  });

  it("keeps a core message's id and values, so the window can say it in its language", async () => {
    const i18n = { id: 'run.not-found' as const, params: { runId: 'r-1' } };
    const { bridge } = bridgeStandIn({
      getRun: (): ApiReply => ({
        ok: false,
        error: { code: 'not_found', message: 'No run r-1 in this project: pick one from the run history.', i18n },
      }),
    });
    await expect(createIpcTransport(bridge).call('runs.get', { projectId: 'p', runId: 'r-1' })).rejects.toMatchObject({
      code: 'not_found',
      i18n,
    });
  });

  it('refuses a result that does not match the contract', async () => {
    const { bridge } = bridgeStandIn({ listBundles: () => ({ ok: true, result: { bundles: 'none' } }) });
    await expect(createIpcTransport(bridge).call('bundles.list', {})).rejects.toMatchObject({
      code: 'internal',
      i18n: {
        id: 'api.reply.mismatch',
        params: { method: 'bundles.list', detail: expect.stringContaining('bundles') },
      },
    });
  });

  it('refuses an answer that is not a reply at all', async () => {
    const { bridge } = bridgeStandIn({ getAppInfo: () => undefined });
    await expect(createIpcTransport(bridge).call('app.info', {})).rejects.toMatchObject({
      code: 'internal',
      i18n: { id: 'api.reply.unreadable', params: { method: 'app.info' } },
    });
  });

  it('reports a bridge without the function as unknown_method', async () => {
    const { bridge } = bridgeStandIn({});
    await expect(createIpcTransport(bridge).call('bundles.list', {})).rejects.toMatchObject({
      code: 'unknown_method',
      i18n: { id: 'api.call.missingInShell', params: { name: 'listBundles' } },
    });
  });

  it('reports a bridge that throws as disconnected', async () => {
    const { bridge } = bridgeStandIn({
      listBundles: () => {
        throw new Error('An object could not be cloned.');
      },
    });
    await expect(createIpcTransport(bridge).call('bundles.list', {})).rejects.toMatchObject({
      code: 'disconnected',
      i18n: {
        id: 'api.call.notReached',
        params: { method: 'bundles.list', reason: 'An object could not be cloned.' },
      },
    });
  });

  it('subscribes through the subscribeAs function, drops malformed payloads and unsubscribes', () => {
    const { bridge, emit } = bridgeStandIn({});
    const api = createIpcTransport(bridge);
    const seen: unknown[] = [];
    const unsubscribe = api.subscribe('projects.changed', (payload) => seen.push(payload));

    emit({ projects: projectList });
    emit({ projects: 'not a list' });
    unsubscribe();
    emit({ projects: [] });

    expect(seen).toEqual([{ projects: projectList }]);
  });

  it('is always connected', () => {
    expect(createIpcTransport(bridgeStandIn({}).bridge).connection.getConnectionState()).toEqual({ status: 'open' });
  });
});
