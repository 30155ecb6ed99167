import { spawn, type ChildProcess } from 'node:child_process';

const lockFile = '/run/airspray-lab.lock';

export interface LabLock {
  release(): void;
}

/**
 * One user of the lab at a time on this machine (a test run, a bench, npm run lab): a second one waits here
 * instead of rebooting the lab under the first. flock holds the lock for as long as its process group lives, and
 * that group ends by itself once this process is gone, so a killed test run never leaves the lab locked.
 */
export function acquireLabLock(): Promise<LabLock> {
  return new Promise((resolve, reject) => {
    const holder: ChildProcess = spawn(
      'flock',
      [lockFile, 'sh', '-c', `echo locked; while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done`],
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    const onExit = (code: number | null) => reject(new Error(`flock on ${lockFile} ended with ${code}`));
    holder.once('error', reject);
    holder.once('exit', onExit);
    holder.stdout!.once('data', () => {
      holder.off('exit', onExit);
      holder.unref();
      (holder.stdout as NodeJS.ReadableStream & { unref?: () => void }).unref?.();
      resolve({
        // The shell and its sleeps inherit the lock's descriptor: end the whole process group to release it.
        release: () => {
          if (holder.pid) process.kill(-holder.pid, 'SIGKILL');
        },
      });
    });
  });
}
