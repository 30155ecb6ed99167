import { StringDecoder } from 'node:string_decoder';
import type { RunDigest } from '../../common/run';
import type { AnsibleOutputParser } from './ansible-output-parser';

/** What one turn of the event loop parses: small enough that arriving output and the views' calls wait little. */
const sliceBytes = 256 * 1024;

/**
 * Feeds a run's output to its parser when nothing else is waiting (a slice per turn of the event loop), so a log
 * that arrives faster than it parses (a server catching up on tens of MiB) reaches the log file and the views
 * first; the digest follows. Decoded as one stream: a character split between chunks reaches the parser whole.
 */
export class IdleParse {
  private readonly queue: Buffer[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private scheduled = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly parser: AnsibleOutputParser,
    /** Everything pushed so far is parsed. */
    private readonly onSettled: () => void = () => undefined,
  ) {}

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.queue.push(data);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.step);
    }
  }

  /** Resolves once everything pushed so far is parsed. */
  settled(): Promise<void> {
    return this.scheduled ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }

  /** The final digest, once everything pushed is parsed. */
  async end(): Promise<RunDigest> {
    await this.settled();
    this.parser.push(this.decoder.end());
    return this.parser.end();
  }

  private readonly step = () => {
    const first = this.queue[0]!;
    const slice = first.subarray(0, sliceBytes);
    if (slice.length === first.length) this.queue.shift();
    else this.queue[0] = first.subarray(slice.length);
    this.parser.push(this.decoder.write(slice));
    if (this.queue.length > 0) {
      setImmediate(this.step);
      return;
    }
    this.scheduled = false;
    for (const resolve of this.waiting.splice(0)) resolve();
    this.onSettled();
  };
}
