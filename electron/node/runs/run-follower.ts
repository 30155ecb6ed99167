import { readFile } from 'node:fs/promises';
import type { Client } from 'ssh2';
import type { RunDigest, RunRecord } from '../../common/run';
import { BatchedAppender } from '../fs/batched-appender';
import { AnsibleOutputParser } from './ansible-output-parser';
import { DigestPacer } from './digest-pacer';
import type { LogJumpIndex } from './log-jump';
import { PauseReasons, type OutputFlow } from './output-flow';
import { followRemoteRun, type FollowHandle, type RemoteRunStatus } from './remote-run';
import { createRunDigester, type RunDigester } from './run-digester';
import type { RunListener } from './run-service';

/** How often the UI hears about a running run's digest. */
const digestIntervalMs = 250;
/**
 * Output is passed on to the log, the views and the parser once this much arrived, or this long after the first byte.
 */
const passOnBytes = 1024 * 1024;
const passOnMs = 10;
/**
 * Output goes to the views as data while every view is at most this far behind; else they read what they need,
 * leaving out what would scroll out unseen. A live kubespray run writes a few KiB a second.
 */
const liveBytes = 256 * 1024;
/**
 * The run's stream waits while this much it received is not yet in the local copy, until it is down to the low mark.
 */
const unwrittenHighBytes = 16 * 1024 * 1024;
const unwrittenLowBytes = 4 * 1024 * 1024;

function digestOf(log: string, tasksPlanned: number | undefined): RunDigest {
  const parser = new AnsibleOutputParser(tasksPlanned);
  parser.push(log);
  return parser.end();
}

/**
 * Digest updates to the views: at most one per interval, and always one after the last output is parsed, so a task
 * that then runs quietly for minutes is shown as the current one, not the task before it.
 */
class DigestUpdates {
  private lastAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly send: () => void) {}

  readonly schedule = (): void => {
    if (this.stopped) return;
    const wait = digestIntervalMs - (Date.now() - this.lastAt);
    if (wait <= 0) this.fire();
    else this.timer ??= setTimeout(this.fire, wait);
  };

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private readonly fire = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastAt = Date.now();
    this.send();
  };
}

/**
 * What arrives within passOnMs (or passOnBytes) goes on as one piece: one event, one append, one parse. Per SSH
 * packet (32 KiB) the views' per-message cost and the parser's per-call cost dominated a fast stream.
 */
class ArrivalBatch {
  private readonly arrived: Buffer[] = [];
  private arrivedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `ours`: the piece is a buffer of our own (the chunks joined), free to move elsewhere uncopied. */
  constructor(private readonly passOn: (data: Buffer, ours: boolean) => void) {}

  readonly push = (chunk: Buffer): void => {
    this.arrived.push(chunk);
    this.arrivedBytes += chunk.length;
    if (this.arrivedBytes >= passOnBytes) this.flush();
    else this.timer ??= setTimeout(this.flush, passOnMs);
  };

  readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.arrived.length === 0) return;
    const ours = this.arrived.length > 1;
    const data = ours ? Buffer.concat(this.arrived) : this.arrived[0]!;
    this.arrived.length = 0;
    this.arrivedBytes = 0;
    this.passOn(data, ours);
  };
}

/** Where one run's output goes while it is followed. */
export interface FollowerOutlets {
  listener: RunListener | undefined;
  /** Jump scroll over the run's log file, kept as the file grows. */
  jumps: LogJumpIndex;
  /** The run's flow control (its views may have announced themselves before the follow began). */
  flow: () => OutputFlow;
  /** The follow began: it can be detached (and its connection used for a cancel) from now on. */
  following: (handle: FollowHandle) => void;
}

/** The stream of one followed run, for the follower's own use while it passes output on. */
interface Stream {
  log: BatchedAppender;
  handle: FollowHandle;
  holds: PauseReasons;
  flow: OutputFlow;
}

/**
 * Follows one run: its output into the local copy of the log, to the views (as data, or as growth for a view far
 * behind) and to the digester, with the stream held back while the local copy or the views fall behind.
 */
export class RunFollower {
  /** The run's record as it is now (log length, digest). */
  readonly current: RunRecord;
  readonly digester: RunDigester;
  private readonly updates: DigestUpdates;
  private readonly digestInput: DigestPacer;
  /** The last piece given to the local copy: every earlier one is written when it is, and a failed write fails it. */
  private written = Promise.resolve();
  private unwritten = 0;

  constructor(
    private readonly run: RunRecord,
    private readonly logPath: string,
    private readonly outlets: FollowerOutlets,
  ) {
    this.current = { ...run };
    this.updates = new DigestUpdates(() => {
      this.current.digest = this.digester.snapshot();
      this.outlets.listener?.updated({ ...this.current });
    });
    this.digester = createRunDigester(run.digest.tasksPlanned, this.updates.schedule);
    this.digestInput = new DigestPacer(this.digester);
  }

  /**
   * Follows the run from where the local log ends until it finishes (its status) or the follow is detached or
   * breaks (undefined: attach again later); every piece received is in the local copy when this returns.
   */
  async follow(client: Client): Promise<RemoteRunStatus | undefined> {
    const { run, current } = this;
    // The parser sees the whole log, so a re-attached run's digest is as complete as an uninterrupted one.
    const existing = await readFile(this.logPath).catch(() => Buffer.alloc(0));
    this.digester.push(existing);
    current.logBytes = existing.length;
    const log = await BatchedAppender.open(this.logPath);
    const batch = new ArrivalBatch((data, ours) => this.passOn(data, ours, stream));
    const handle = followRemoteRun(client, run.id, existing.length, batch.push);
    const holds = new PauseReasons(handle);
    const flow = this.outlets.flow();
    const stream: Stream = { log, handle, holds, flow };
    flow.attach(holds.for('views'), existing.length);
    this.outlets.following(handle);
    // No status when the follow was detached (the app closes, the run goes on) or the stream broke.
    const status = await handle.done.catch(() => undefined);
    batch.flush();
    // The finished record (or nothing, when detached) is the last word on this run.
    this.updates.stop();
    await log.close();
    await this.written;
    // A view far behind reads the end now rather than after the growth's quiet time; the record waits for the parse.
    if (status) this.outlets.listener?.grew?.(run.projectId, run.id, current.logBytes, 0, true);
    flow.dispose();
    return status;
  }

  /** The digest of the whole log once the run ended. */
  async finalDigest(): Promise<RunDigest> {
    this.digestInput.flush();
    // Should the worker fail, the whole log is parsed again here: the record must not keep a partial digest.
    return this.digester
      .end()
      .catch(async () => digestOf(await readFile(this.logPath, 'utf8'), this.current.digest.tasksPlanned));
  }

  /** The follow broke: no more updates, and the digester's worker ends. */
  abandon(): void {
    this.updates.stop();
    this.digester.close();
  }

  private passOn(data: Buffer, ours: boolean, stream: Stream): void {
    const { run, current, outlets } = this;
    const offset = current.logBytes;
    current.logBytes += data.length;
    // Written before views hear of it (a view far behind reads it from the file), and counted as sent to them
    // then. Received bytes waiting to be written hold the stream back too: the local copy never falls far behind.
    this.unwritten += data.length;
    if (this.unwritten > unwrittenHighBytes) stream.holds.hold('writes', true);
    this.written = stream.log.append(data);
    outlets.jumps.arrived(offset, data);
    const viewsKeepUp = stream.flow.behindBytes + data.length <= liveBytes;
    this.written.then(
      () => {
        this.unwritten -= data.length;
        if (this.unwritten <= unwrittenLowBytes) stream.holds.hold('writes', false);
        stream.flow.sent(offset + data.length);
        if (viewsKeepUp) outlets.listener?.output(run.projectId, run.id, offset, data);
        else outlets.listener?.grew?.(run.projectId, run.id, offset, data.length);
        this.digestInput.push(data, ours, !viewsKeepUp);
      },
      // The local copy can no longer follow the log: stop reading it (the run goes on); the failure ends the follow.
      () => stream.handle.detach(),
    );
  }
}
