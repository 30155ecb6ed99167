import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SshConnectionPool } from '../../electron/node/ssh/connection-pool';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh, execCommand } from '../../electron/node/ssh/ssh-connection';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { requireLab } from '../support/lab';

let folder = '';
let logins = 0;
const connect = async () => {
  logins += 1;
  const { client } = await connectSsh(
    { host: hostAddress(1), port: 22 },
    {
      credential: { user: labAccounts.ops.user, auth: { kind: 'password', password: labAccounts.ops.password } },
      hostKeys: new HostKeyStore(join(folder, 'known_hosts')),
      acceptNewHostKeys: true,
    },
  );
  return client;
};

beforeAll(async () => {
  await requireLab();
  folder = await mkdtemp(join(tmpdir(), 'airspray-pool-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

describe('SshConnectionPool on a lab host', () => {
  it('lends a kept connection again within its idle time, without a login', async () => {
    const pool = new SshConnectionPool(20_000);
    const first = await pool.acquire('ops@lab1', connect);
    pool.release('ops@lab1', first);
    const before = logins;
    const again = await pool.acquire('ops@lab1', connect);
    expect(again).toBe(first);
    expect(logins).toBe(before);
    expect((await execCommand(again, 'echo alive')).stdout).toBe('alive\n');
    again.end();
  });

  it('does not lend a connection kept across a sleep: the wall clock passed its idle time while timers stood still', async () => {
    const pool = new SshConnectionPool(20_000);
    const first = await pool.acquire('ops@lab1', connect);
    pool.release('ops@lab1', first);
    const ended = once(first, 'close');
    // A laptop that slept 10 minutes: Date moved on, the pool's idle timer (monotonic) did not fire.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const before = logins;
    const fresh = await pool.acquire('ops@lab1', connect);
    expect(fresh).not.toBe(first);
    expect(logins).toBe(before + 1);
    await ended;
    expect((await execCommand(fresh, 'echo alive')).stdout).toBe('alive\n');
    fresh.end();
  });
});
