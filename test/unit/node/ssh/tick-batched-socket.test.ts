import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TickBatchedSocket } from '../../../../electron/node/ssh/tick-batched-socket';

let server: Server | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  server?.close();
  server = undefined;
});

/** A loopback server that collects everything sent to it until the client ends. */
async function collectingServer(): Promise<{ port: number; received: Promise<Buffer> }> {
  let deliver: (data: Buffer) => void = () => undefined;
  const received = new Promise<Buffer>((resolve) => (deliver = resolve));
  server = createServer((connection) => {
    const chunks: Buffer[] = [];
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('end', () => deliver(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server!.address() as AddressInfo).port, received };
}

const connected = (socket: Socket, port: number) =>
  new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TickBatchedSocket', () => {
  it('sends the writes of one turn in at most two system calls, every byte in order', async () => {
    const { port, received } = await collectingServer();
    const socket = new TickBatchedSocket();
    await connected(socket, port);
    const single = vi.spyOn(Socket.prototype, '_write');
    const gathered = vi.spyOn(Socket.prototype, '_writev');
    const packets = Array.from({ length: 32 }, (_, index) => Buffer.alloc(32 * 1024, index));
    for (const packet of packets.slice(0, 16)) socket.write(packet);
    await nextTurn();
    for (const packet of packets.slice(16)) socket.write(packet);
    await nextTurn();
    socket.end();
    expect(Buffer.compare(await received, Buffer.concat(packets))).toBe(0);
    // TickBatchedSocket's own _write is an override, so the spies count the base class's calls: the real writes.
    expect(single.mock.calls.length + gathered.mock.calls.length).toBeLessThanOrEqual(4);
    expect(gathered.mock.calls.map(([chunks]) => chunks.length)).toEqual([15, 15]);
  });

  it('sends a small write at once, not at the end of the turn', async () => {
    const { port, received } = await collectingServer();
    const socket = new TickBatchedSocket();
    await connected(socket, port);
    const single = vi.spyOn(Socket.prototype, '_write');
    socket.write('one keystroke');
    expect(single).toHaveBeenCalledTimes(1);
    socket.end();
    expect((await received).toString()).toBe('one keystroke');
  });
});
