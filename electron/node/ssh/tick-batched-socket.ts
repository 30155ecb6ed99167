import { Socket } from 'node:net';

/** Writes this large are data packets worth gathering; smaller ones (window adjusts, keepalives) leave at once. */
const gatherFromBytes = 8 * 1024;

/**
 * A TCP socket that sends the large writes of one turn of the event loop in two system calls: ssh2 writes each
 * SSH packet (at most 32 KiB of data) by itself, so a 1 MiB write to a channel was 32 of them, each pushing a segment
 * through the network stack and waking the server's sshd. A large first write waits for the end of the turn; the
 * stream buffers the ones after it meanwhile and hands them to one writev when it is done. A small write (a window
 * adjust, a keystroke) is not held behind whatever else the turn does. Overriding `write` itself to cork would not
 * hold: `connect` puts the base class's back.
 */
export class TickBatchedSocket extends Socket {
  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length < gatherFromBytes) super._write(chunk, encoding, callback);
    else process.nextTick(() => super._write(chunk, encoding, callback));
  }
}
