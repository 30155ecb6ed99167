import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEventName, ApiEventPayload } from '../../../../electron/common/api';
import { createAccessHandlers, type AccessDependencies } from '../../../../electron/node/access/access-handlers';
import { dispatchApiCall, type ApiHandlers } from '../../../../electron/node/api/dispatch-api-call';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** A loopback port that greets like sshd. */
async function fakeSshd(): Promise<number> {
  const server = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function handlersWithEvents() {
  const events: ApiEventPayload<'discovery.progress'>[] = [];
  let ended: (payload: ApiEventPayload<'discovery.progress'>) => void = () => undefined;
  const end = new Promise<ApiEventPayload<'discovery.progress'>>((resolve) => (ended = resolve));
  const emit = <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => {
    if (event !== 'discovery.progress') return;
    const progress = payload as ApiEventPayload<'discovery.progress'>;
    events.push(progress);
    if (progress.state !== 'running') ended(progress);
  };
  const handlers = createAccessHandlers({ dataDir: '/nonexistent', emit } as unknown as AccessDependencies);
  return { handlers, events, end };
}

describe('the sweep over the API', () => {
  it('reports every address swept and the ssh ports found, then ends as finished', async () => {
    const port = await fakeSshd();
    const { handlers, events, end } = handlersWithEvents();
    const started = await handlers['discovery.start']({ targets: '127.0.0.1', ports: [port] });
    expect(started.total).toBe(1);
    const last = await end;
    expect(last).toMatchObject({
      sweepId: started.sweepId,
      state: 'finished',
      scanned: 1,
      total: 1,
      found: 1,
      etaSeconds: 0,
    });
    expect(last.ratePerSecond).toBeGreaterThanOrEqual(0);
    const results = events.flatMap((event) => event.results);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ class: 'ssh' });
  });

  it('cancels a sweep by its id, once', async () => {
    const { handlers, end } = handlersWithEvents();
    const started = await handlers['discovery.start']({ targets: '127.0.0.0/24', ports: [9] });
    expect(await handlers['discovery.cancel']({ sweepId: started.sweepId })).toEqual({ cancelled: true });
    expect((await end).state).toBe('cancelled');
    expect(await handlers['discovery.cancel']({ sweepId: started.sweepId })).toEqual({ cancelled: false });
  });

  it.each([
    [{ targets: '127.0.0.0/24', connectsPerSecond: 0 }, 'connectsPerSecond', /run from 1 to 100000 \(default 2000\)/],
    [{ targets: '10.0.0.0/15' }, 'targets', /"10.0.0.0\/15" is larger than a \/16/],
    [{ targets: '10.0.0.0/24 10.0.0.128/25' }, 'targets', /"10.0.0.0\/24" and "10.0.0.128\/25" overlap/],
  ])('refuses %j naming the field, and starts nothing', async (params, field, message) => {
    const { handlers, events } = handlersWithEvents();
    const reply = await dispatchApiCall(handlers as ApiHandlers, 'discovery.start', params, () => undefined);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_params', field } });
    expect(!reply.ok && reply.error.message).toMatch(message);
    expect(events).toEqual([]);
  });
});
