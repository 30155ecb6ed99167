import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker's JavaScript: a real file, run with `eval` (hash-worker.cjs says why).
import hashWorkerSource from './hash-worker.cjs?raw';

export interface HashTask {
  path: string;
  /** Bigger tasks start first so the workers finish together. */
  size: number;
}

export type HashOutcome = { ok: true; sha256: string; bytes: number } | { ok: false; code: string; message: string };

type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; id: number; sha256: string; bytes: number }
  | { type: 'failed'; id: number; code: string; message: string };

export class HashCancelledError extends Error {
  override readonly name = 'HashCancelledError';
}

export function defaultHashWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Hashes every task's file with sha256 across `workers` threads. `onProgress` gets byte counts as they are read;
 * `onResult` each file's outcome. Aborting terminates the threads and rejects with HashCancelledError.
 */
export async function hashFiles(
  tasks: readonly HashTask[],
  options: {
    workers?: number;
    signal?: AbortSignal;
    onProgress(bytes: number): void;
    onResult(task: HashTask, outcome: HashOutcome): void;
  },
): Promise<void> {
  if (tasks.length === 0) return;
  const queue = tasks.map((task, id) => ({ task, id })).sort((a, b) => b.task.size - a.task.size);
  const count = Math.min(options.workers ?? defaultHashWorkers(), queue.length);
  const workers: Worker[] = [];
  const terminateAll = () => Promise.all(workers.map((worker) => worker.terminate()));
  try {
    await new Promise<void>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new HashCancelledError('cancelled'));
      let running = 0;
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      options.signal?.addEventListener('abort', () => fail(new HashCancelledError('cancelled')), { once: true });
      const feed = (worker: Worker) => {
        const next = queue.shift();
        if (!next) {
          if (running === 0 && !settled) {
            settled = true;
            resolve();
          }
          return;
        }
        running += 1;
        worker.postMessage({ id: next.id, path: next.task.path });
      };
      for (let index = 0; index < count; index += 1) {
        const worker = new Worker(hashWorkerSource, { eval: true });
        workers.push(worker);
        worker.on('error', fail);
        worker.on('message', (message: WorkerMessage) => {
          if (settled) return;
          if (message.type === 'progress') {
            options.onProgress(message.bytes);
            return;
          }
          running -= 1;
          const task = tasks[message.id]!;
          options.onResult(
            task,
            message.type === 'done'
              ? { ok: true, sha256: message.sha256, bytes: message.bytes }
              : { ok: false, code: message.code, message: message.message },
          );
          feed(worker);
        });
      }
      for (const worker of workers) feed(worker);
    });
  } finally {
    await terminateAll();
  }
}
