import type { Client } from 'ssh2';
import { AirsprayError } from '../../common/errors';
import type { ReceiverSession } from './bundle-receiver';
import type { PushItem } from './bundle-source';
import { pushCancelled, receiverFailure } from './push-failures';
import { writeFrames, type FrameLedger, type FrameSource } from './push-frames';
import type { PushJournal } from './push-journal';
import { framesOf, freshTransfer, type Transfer } from './push-plan';
import type { ProgressMeter } from './push-progress';
import { joinValues } from '../../common/core-messages';
import { sshRefusalKinds } from '../../common/host-facts';
import { coreError } from '../i18n/format-core-message';

/** The connection to the deploy node, made again after it dropped. */
export class PushLink {
  reconnects = 0;

  constructor(
    public client: Client,
    private readonly connect: () => Promise<Client>,
    private readonly reconnectForMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Keeps trying for `reconnectForMs`, except on failures another try cannot mend (credentials, host key). */
  async reconnect(heartbeat: () => void): Promise<void> {
    const deadline = Date.now() + this.reconnectForMs;
    for (;;) {
      if (this.signal?.aborted) throw pushCancelled();
      try {
        this.client = await this.connect();
        this.reconnects += 1;
        return;
      } catch (error) {
        const kind = (error as { kind?: string }).kind;
        if (sshRefusalKinds.some((refusal) => refusal === kind)) throw error;
        if (Date.now() > deadline) {
          throw coreError('conflict', 'deploy.link-lost', {
            seconds: Math.round(this.reconnectForMs / 1000),
            detail: (error as Error).message,
          });
        }
        heartbeat();
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}

export interface AttemptsSetup {
  link: PushLink;
  items: readonly PushItem[];
  progress: ProgressMeter;
  journal: PushJournal;
  source: FrameSource;
  ledger: FrameLedger;
  /** A receiver on this connection, its state reported. */
  openReceiver: (client: Client) => Promise<ReceiverSession>;
  stallTimeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * Sends the planned transfers until the node holds them all as hashed: attempts over fresh receivers after a dropped
 * link (each resuming from the acknowledged bytes), then a second round for files the node hashed differently.
 */
export class PushAttempts {
  /** Attempts in a row that ended without a byte or a hash more: a link that keeps failing at once, or a receiver. */
  private barren = 0;
  bytesSent = 0;

  constructor(
    private readonly setup: AttemptsSetup,
    private transfers: Transfer[],
    /** The receiver opened for the node's state, used by the first attempt (or just ended). */
    private session: ReceiverSession | undefined,
    private recordWritten: boolean,
  ) {}

  async run(): Promise<void> {
    try {
      for (let round = 0; this.transfers.length > 0 || !this.recordWritten; round += 1) {
        await this.untilWritten();
        this.setup.progress.emit('verifying', true);
        const wrong = this.transfers.filter((transfer) => transfer.sha256 !== transfer.item.sha256);
        if (wrong.length > 0 && round >= 1) {
          const paths = joinValues(wrong.slice(0, 5).map(({ item }) => item.path));
          const moreCount = Math.max(0, wrong.length - 5);
          throw coreError('conflict', 'deploy.bytes-still-differ', { paths, moreCount }, 'destination');
        }
        this.transfers = wrong.map(({ item }) => freshTransfer(item));
      }
    } finally {
      await this.setup.source.close();
    }
    // An unchanged bundle: the receiver opened for the state just ends (and takes its PID file with it).
    await this.session?.end();
  }

  /** Attempts until one wrote every frame and the record; reconnects between them. */
  private async untilWritten(): Promise<void> {
    const { progress, link, signal } = this.setup;
    for (;;) {
      if (signal?.aborted) throw pushCancelled();
      const mark = this.progressMark();
      const failure = await this.attempt();
      if (failure === undefined) {
        this.recordWritten = true;
        return;
      }
      await this.setup.journal.save(() => this.transfers);
      if (signal?.aborted) throw pushCancelled();
      if (failure instanceof AirsprayError) throw failure;
      this.barren = this.progressMark() === mark ? this.barren + 1 : 0;
      if (this.barren >= 5)
        throw coreError('conflict', 'deploy.push-no-progress', {
          times: this.barren,
          detail: (failure as Error).message,
        });
      await link.reconnect(() => progress.emit('sending', true));
    }
  }

  private progressMark(): number {
    return this.setup.progress.bytesDone + this.transfers.filter((transfer) => transfer.hashed).length;
  }

  /** One attempt over the current connection; its failure, or undefined when the receiver took everything. */
  private async attempt(): Promise<unknown> {
    const { link, ledger, progress } = this.setup;
    const waiting = this.transfers.filter((transfer) => !transfer.hashed);
    const attempt = link.client;
    const stopWatching = this.watch(attempt);
    progress.lastAdvance = Date.now();
    // A dropped connection fails every wait of this attempt, whichever it was in.
    const dropped = new Promise<never>((_, reject) =>
      attempt.once('close', () => reject(new Error('the connection to the deploy node closed'))),
    );
    dropped.catch(() => undefined);
    try {
      const receiver = this.session ?? (await Promise.race([this.setup.openReceiver(attempt), dropped]));
      this.session = undefined;
      await Promise.race([this.send(receiver, framesOf(waiting, ledger.nextId)), dropped]);
      return undefined;
    } catch (error) {
      attempt.destroy();
      return error;
    } finally {
      stopWatching();
    }
  }

  /** Every beat: drops a connection that stalled (or a cancelled push) and saves the journal. */
  private watch(attempt: Client): () => void {
    const { progress, signal, stallTimeoutMs, journal } = this.setup;
    const watchdog = setInterval(() => {
      if (signal?.aborted || Date.now() - progress.lastAdvance > stallTimeoutMs) attempt.destroy();
      journal.saveInBackground(() => this.transfers);
    }, 250);
    return () => clearInterval(watchdog);
  }

  /** One attempt over one receiver: every frame still missing, then the record; ends when the receiver exits. */
  private async send(receiver: ReceiverSession, frames: ReturnType<typeof framesOf>): Promise<void> {
    const { source, ledger, signal } = this.setup;
    try {
      await writeFrames(receiver, frames, {
        source,
        ledger,
        checkCancelled: () => {
          if (signal?.aborted) throw pushCancelled();
        },
        onSent: (bytes) => (this.bytesSent += bytes),
        record: () => this.record(),
      });
      await receiver.end();
    } catch (error) {
      throw receiverFailure(receiver.exitCode, receiver.stderr) ?? error;
    }
    // No exit status means the link went, not the receiver: the caller reconnects. An exit status is final.
    const failure = receiverFailure(receiver.exitCode, receiver.stderr);
    if (failure) throw failure;
    if (receiver.exitCode !== 0) throw new Error("the receiver's channel closed without an exit status");
  }

  /** Last, the record: every file but those found different. The receiver leaves out what it hashed wrong itself. */
  private record(): Buffer {
    const known = new Map(this.transfers.map((transfer) => [transfer.item.path, transfer]));
    const good = this.setup.items.filter((item) => {
      const transfer = known.get(item.path);
      return !transfer?.hashed || transfer.sha256 === item.sha256;
    });
    return Buffer.from(`${JSON.stringify({ r: good.map((item) => [item.path, item.sha256]) })}\n`);
  }
}
