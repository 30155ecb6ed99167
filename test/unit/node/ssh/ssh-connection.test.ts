import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostKeyStore } from '../../../../electron/node/ssh/host-key-store';
import { connectSsh, SshAccessError } from '../../../../electron/node/ssh/ssh-connection';

const folder = await mkdtemp(join(tmpdir(), 'airspray-ssh-connection-'));
afterAll(() => rm(folder, { recursive: true, force: true }));
const options = {
  credential: { user: 'ops', auth: { kind: 'password' as const, password: 'unused' } },
  hostKeys: new HostKeyStore(join(folder, 'known_hosts')),
};

/** A loopback port that was just free: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What connectSsh answers a loopback server that handles each connection with `serve`. */
async function refusalFrom(serve: (socket: Socket) => void, readyTimeoutMs: number) {
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const failure = await connectSsh({ host: '127.0.0.1', port }, { ...options, readyTimeoutMs }).catch(
      (error: unknown) => error,
    );
    return { where: `127.0.0.1:${port}`, failure: failure as SshAccessError };
  } finally {
    server.close();
  }
}

describe('connectSsh failures (the socket is its own, so these go through its own connect)', () => {
  it('names a refused connection', async () => {
    const port = await closedPort();
    const failure = await connectSsh({ host: '127.0.0.1', port }, options).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SshAccessError);
    expect((failure as SshAccessError).kind).toBe('connection-refused');
    expect((failure as SshAccessError).i18n).toEqual({
      id: 'ssh.connection-refused',
      params: { where: `127.0.0.1:${port}` },
    });
  });

  it('names a host that accepts the connection but never speaks SSH', async () => {
    const { where, failure } = await refusalFrom(() => undefined, 300);
    expect(failure.kind).toBe('timeout');
    expect(failure.i18n).toEqual({ id: 'ssh.timeout', params: { where } });
  });

  it('names a host that greets and then closes, instead of waiting for ever', async () => {
    // The ready timeout is long on purpose: the refusal must come from the close, not from the timer.
    const { where, failure } = await refusalFrom((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1\r\n'), 600_000);
    expect(failure.kind).toBe('unreachable');
    expect(failure.i18n).toEqual({ id: 'ssh.closed-early', params: { where } });
  });
});
