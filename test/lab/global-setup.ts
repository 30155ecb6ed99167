import { spawn, type ChildProcess } from 'node:child_process';
import { labDown, labUp } from './lab';

/** Hosts 1-4 stay as built; tests that break a host on purpose use 5 and 6. */
export const labHostCount = 6;

const lockFile = '/run/airspray-lab.lock';
let lockHolder: ChildProcess | undefined;

/** One lab run at a time on this machine: a second run waits here instead of rebooting the lab under the first. */
function acquireLabLock(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const holder = spawn('flock', [lockFile, 'sh', '-c', 'echo locked; exec sleep infinity'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`flock on ${lockFile} ended with ${code}`)));
    holder.stdout.once('data', () => resolve(holder));
  });
}

/** Every test run gets a freshly booted lab (the root filesystem is cached), and leaves nothing behind. */
export async function setup(): Promise<void> {
  lockHolder = await acquireLabLock();
  lockHolder.removeAllListeners('exit');
  await labDown();
  await labUp(labHostCount, (line) => console.log(`lab: ${line}`));
}

export async function teardown(): Promise<void> {
  try {
    await labDown();
  } finally {
    // The sleep inherits the lock's descriptor: end the whole process group to release it.
    if (lockHolder?.pid) process.kill(-lockHolder.pid, 'SIGKILL');
  }
}
