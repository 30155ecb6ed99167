import { labDown, labUp } from './lab';
import { acquireLabLock, type LabLock } from './lab-lock';

/** Hosts 1-4 stay as built; tests that break a host on purpose use 5 and 6. */
export const labHostCount = 6;

let lock: LabLock | undefined;

/** Every test run gets a freshly booted lab (the root filesystem is cached), and leaves nothing behind. */
export async function setup(): Promise<void> {
  lock = await acquireLabLock();
  await labDown();
  await labUp(labHostCount, (line) => console.log(`lab: ${line}`));
}

export async function teardown(): Promise<void> {
  try {
    await labDown();
  } finally {
    lock?.release();
  }
}
