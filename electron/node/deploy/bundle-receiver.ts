import type { Client, ClientChannel } from 'ssh2';
import { z } from 'zod';
import { quoteShellArg } from '../ssh/shell-quote';
// The receiver's Python: a real file beside this one, described just below.
import program from './bundle-receiver.py?raw';

/**
 * bundle-receiver.py runs on the deploy node (python3: kubespray needs it there anyway; written for 3.6 and later), in
 * the destination.
 *
 * `receive` first stops a receiver an earlier session left in this folder (its link gone, it could write once the link
 * returns), then answers `S` and the node's state as JSON: the last record, every file with size and mtime, the free
 * space and its mount point. Then it reads frames from stdin, each a JSON header line {i: id, p: path, s: file size, m:
 * mode, o: offset, n: length, h: last frame of the file} and n bytes. It writes them at their offset (a file already
 * there is first sized to s, which never changes the bytes below s, so a resumed file keeps what it has; a new one is
 * made with its mode and kept open across its frames) and answers `W id` once they are written: the guarantee an SFTP
 * write's status gives, so an acknowledged offset is a safe resume point. A file whose every byte came in this session
 * is hashed as its bytes are written, and its last frame answered `H id sha256` instead; one resumed from an earlier
 * session is read back from disk after its last frame, on other threads. A whole file of at most MADE_APART_BYTES (64
 * KiB) in one frame is made on a second thread (answered `H` once made, with up to MADE_APART_QUEUE_BYTES (16 MiB)
 * waiting for it): the node's file system makes the thousands of small files while the reading thread goes on to the
 * large files behind them. Answers are gathered and sent whenever a thread is about to wait, not one write per frame. A
 * last header {r: [[path, sha256], ...]} writes the record `verified.json`, atomically, once every file is made: size
 * and mtime of each path whose sha256 is known good (hashed here as expected, or not sent in this session). Its PID is
 * in `receiver.pid` meanwhile.
 *
 * `hash` reads NUL-separated paths on stdin and prints one sha256 per path in order (`-` when unreadable).
 *
 * hashlib uses OpenSSL's SHA-NI code, several times faster than coreutils' sha256sum here.
 */

/** Exit status of the receiver's command when the login user can neither write the destination nor make it. */
export const destinationNotReady = 3;

/**
 * The receiver or the hasher, run in the destination (-I -S: the standard library only, nothing from the
 * environment or site packages). `folder` is the push's own folder there.
 */
export function receiverCommand(destination: string, mode: 'receive' | 'hash', folder: string): string {
  const at = quoteShellArg(destination);
  // Made here when the login user may (no sudo round trips); otherwise the caller makes it once with sudo.
  return `mkdir -p ${at} 2>/dev/null; test -d ${at} -a -w ${at} || exit ${destinationNotReady}; cd ${at} && exec python3 -I -S -c ${quoteShellArg(program)} ${mode} ${quoteShellArg(folder)}`;
}

export interface FrameHeader {
  id: number;
  path: string;
  size: number;
  mode: number;
  offset: number;
  length: number;
  last: boolean;
}

export function encodeFrameHeader(frame: FrameHeader): Buffer {
  return Buffer.from(
    `${JSON.stringify({ i: frame.id, p: frame.path, s: frame.size, m: frame.mode, o: frame.offset, n: frame.length, h: frame.last ? 1 : 0 })}\n`,
  );
}

/** What the receiver found in the destination before receiving anything. */
const NodeStateSchema = z.object({
  /** The record file's text, if there is one. */
  record: z.string().nullable(),
  /** Every file but the push folder's: path, size, mtime (ns). */
  files: z.array(z.tuple([z.string(), z.number(), z.string()])),
  free: z.number(),
  mount: z.string(),
});
export type NodeState = z.infer<typeof NodeStateSchema>;

/** A state line that does not parse comes back as undefined. */
export type ReceiverReply =
  | { kind: 'state'; state: NodeState | undefined }
  | { kind: 'written'; id: number }
  | { kind: 'hashed'; id: number; sha256: string | undefined };

/** Splits the receiver's stdout into replies; keeps a partial last line for the next chunk. */
export class ReplyReader {
  private rest = '';

  push(chunk: Buffer): ReceiverReply[] {
    const lines = (this.rest + chunk.toString('latin1')).split('\n');
    this.rest = lines.pop()!;
    const replies: ReceiverReply[] = [];
    for (const line of lines) {
      if (line.startsWith('S ')) {
        let state: NodeState | undefined;
        try {
          state = NodeStateSchema.parse(JSON.parse(line.slice(2)));
        } catch {
          state = undefined;
        }
        replies.push({ kind: 'state', state });
        continue;
      }
      const match = /^([WH]) (\d+)(?: ([0-9a-f]{64}|-))?$/.exec(line);
      if (!match) continue;
      const id = Number(match[2]);
      replies.push(
        match[1] === 'W'
          ? { kind: 'written', id }
          : { kind: 'hashed', id, sha256: match[3] === '-' ? undefined : match[3] },
      );
    }
    return replies;
  }
}

/** One receiver on the node over one exec channel: its state first, then frames in and replies out. */
export class ReceiverSession {
  stderr = '';
  /** The receiver's exit status once the channel closed; none (undefined or null) when the link went instead. */
  exitCode: number | null | undefined;
  readonly closed: Promise<void>;
  /** Resolves with the node's state; rejects if the channel closes first (look at exitCode). */
  readonly state: Promise<NodeState>;

  private constructor(
    readonly channel: ClientChannel,
    onReply: (reply: Exclude<ReceiverReply, { kind: 'state' }>) => void,
  ) {
    let gotState: (state: NodeState) => void = () => undefined;
    let noState: (error: Error) => void = () => undefined;
    this.state = new Promise<NodeState>((resolve, reject) => {
      gotState = resolve;
      noState = reject;
    });
    this.state.catch(() => undefined);
    this.closed = new Promise<void>((resolve) =>
      channel.once('close', (code: number | null | undefined) => {
        this.exitCode = code;
        noState(new Error("the receiver ended before it reported the node's state"));
        resolve();
      }),
    );
    channel.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const reader = new ReplyReader();
    channel.on('data', (chunk: Buffer) => {
      for (const reply of reader.push(chunk)) {
        if (reply.kind !== 'state') onReply(reply);
        else if (reply.state) gotState(reply.state);
        else {
          noState(new Error('the receiver reported a state that does not parse'));
          channel.close();
        }
      }
    });
  }

  static open(
    client: Client,
    destination: string,
    folder: string,
    onReply: (reply: Exclude<ReceiverReply, { kind: 'state' }>) => void,
  ): Promise<ReceiverSession> {
    return new Promise((resolve, reject) =>
      client.exec(receiverCommand(destination, 'receive', folder), (error, channel) =>
        error ? reject(error) : resolve(new ReceiverSession(channel, onReply)),
      ),
    );
  }

  /** Ends the input; resolves once the receiver has exited (and removed its PID file) or the link went. */
  end(): Promise<void> {
    this.channel.end();
    return this.closed;
  }

  /** Writes respecting the channel's window; rejects if the channel closes first. */
  write(chunk: Buffer): Promise<void> {
    if (this.channel.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.channel.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        this.channel.off('drain', onDrain);
        reject(new Error('the channel closed while sending'));
      };
      this.channel.once('drain', onDrain);
      this.channel.once('close', onClose);
    });
  }
}
