import { Socket } from 'node:net';

/**
 * A TCP socket that sends what is written to it in one turn of the event loop in two system calls: ssh2 writes each
 * SSH packet (at most 32 KiB of data) by itself, so a 1 MiB write to a channel was 32 of them, each pushing a segment
 * through the network stack and waking the server's sshd. The first write waits for the end of the turn; the
 * stream buffers the ones after it meanwhile and hands them to one writev when it is done. (Overriding `write`
 * itself to cork would not hold: `connect` puts the base class's back.)
 */
export class TickBatchedSocket extends Socket {
  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    process.nextTick(() => super._write(chunk, encoding, callback));
  }
}
