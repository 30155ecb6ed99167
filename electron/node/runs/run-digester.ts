import { existsSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunDigest } from '../../common/run';
import { AnsibleOutputParser } from './ansible-output-parser';
import { IdleParse } from './idle-parse';

/** Reads a run's output into its digest (current task, counts, failures, recap) beside the log and the views. */
export interface RunDigester {
  /** `handOver`: the caller is done with `data`, so a worker may take its memory instead of a copy. */
  push(data: Buffer, handOver?: boolean): void;
  /** The tasks the run is expected to go through, for the progress estimate. */
  plan(tasksPlanned: number): void;
  /** The digest of what is parsed so far. */
  snapshot(): RunDigest;
  /** The final digest once all output pushed is parsed; the digester is done then. */
  end(): Promise<RunDigest>;
  /** Stops without a final digest (the follow was detached). */
  close(): void;
}

/** Messages to the worker (run-digest-worker.ts) and back. */
export type DigestWorkerRequest =
  { kind: 'data'; data: Uint8Array } | { kind: 'plan'; tasksPlanned: number } | { kind: 'end' };
export type DigestWorkerReply = { kind: 'digest'; digest: RunDigest; final: boolean };

/** How often the worker reports the digest while output flows (and once after it stops). */
export const workerReportMs = 100;

/** The worker script beside the bundle that holds this module (dist/), if the build made one. */
const bundledWorkerScript = typeof __dirname === 'string' ? join(__dirname, 'run-digest-worker.cjs') : undefined;

/**
 * A digester on a worker thread when the build has its script (the CLI and `airspray serve`), so the parser (~0.3-0.6 s
 * of CPU per 50 MiB) never holds up the log, the views or the SSH stream; else in this thread, between other work
 * (IdleParse). `onUpdate` hears of each newer digest.
 */
export function createRunDigester(
  tasksPlanned: number | undefined,
  onUpdate: () => void,
  workerScript = bundledWorkerScript,
): RunDigester {
  return workerScript && existsSync(workerScript)
    ? new WorkerDigester(workerScript, tasksPlanned, onUpdate)
    : new InProcessDigester(tasksPlanned, onUpdate);
}

class InProcessDigester implements RunDigester {
  private readonly parser: AnsibleOutputParser;
  private readonly parse: IdleParse;

  constructor(tasksPlanned: number | undefined, onUpdate: () => void) {
    this.parser = new AnsibleOutputParser(tasksPlanned);
    this.parse = new IdleParse(this.parser, onUpdate);
  }

  push(data: Buffer): void {
    this.parse.push(data);
  }

  plan(tasksPlanned: number): void {
    this.parser.plan(tasksPlanned);
  }

  snapshot(): RunDigest {
    return this.parser.snapshot();
  }

  end(): Promise<RunDigest> {
    return this.parse.end();
  }

  close(): void {}
}

class WorkerDigester implements RunDigester {
  private readonly worker: Worker;
  private latest: RunDigest;
  private tasksPlanned: number | undefined;
  private readonly final: Promise<RunDigest>;

  constructor(script: string, tasksPlanned: number | undefined, onUpdate: () => void) {
    this.tasksPlanned = tasksPlanned;
    this.latest = { tasksStarted: 0, hosts: {}, failures: [], ...(tasksPlanned !== undefined ? { tasksPlanned } : {}) };
    this.worker = new Worker(script);
    this.final = new Promise((resolve, reject) => {
      this.worker.on('message', (reply: DigestWorkerReply) => {
        this.latest = reply.digest;
        if (reply.final) resolve(this.snapshot());
        else onUpdate();
      });
      this.worker.once('error', reject);
      this.worker.once('exit', () => reject(new Error('the digest worker stopped before the final digest')));
    });
    this.final.catch(() => undefined);
    if (tasksPlanned !== undefined) this.send({ kind: 'plan', tasksPlanned });
  }

  private send(request: DigestWorkerRequest): void {
    this.worker.postMessage(request);
  }

  push(data: Buffer, handOver = false): void {
    if (data.length === 0) return;
    // Only memory the buffer has to itself moves (not Node's shared pool, nor a slice of someone else's).
    const movable =
      handOver && data.byteOffset === 0 && data.buffer.byteLength === data.length && data.buffer instanceof ArrayBuffer;
    const request: DigestWorkerRequest = { kind: 'data', data };
    if (movable) this.worker.postMessage(request, [data.buffer as ArrayBuffer]);
    else this.send(request);
  }

  plan(tasksPlanned: number): void {
    this.tasksPlanned = tasksPlanned;
    this.send({ kind: 'plan', tasksPlanned });
  }

  snapshot(): RunDigest {
    return {
      ...structuredClone(this.latest),
      ...(this.tasksPlanned !== undefined ? { tasksPlanned: this.tasksPlanned } : {}),
    };
  }

  async end(): Promise<RunDigest> {
    this.send({ kind: 'end' });
    try {
      return await this.final;
    } finally {
      void this.worker.terminate();
    }
  }

  close(): void {
    void this.worker.terminate();
  }
}

/**
 * In the worker: this thread's own scheduling priority set to the lowest (Linux: a thread's id is a pid to
 * setpriority), so the parser only takes CPU the log, the views and the SSH stream leave. Elsewhere it stays.
 */
export function lowerThisThreadsPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId)) setPriority(threadId, 19);
  } catch {
    // No /proc (not Linux) or not allowed: the parser runs at normal priority.
  }
}
