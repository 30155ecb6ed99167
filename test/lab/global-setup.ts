import { labDown, labUp } from './lab';

/** Hosts 1-4 stay as built; tests that break a host on purpose use 5 and 6. */
export const labHostCount = 6;

/** Every test run gets a freshly booted lab (the root filesystem is cached), and leaves nothing behind. */
export async function setup(): Promise<void> {
  await labDown();
  await labUp(labHostCount, (line) => console.log(`lab: ${line}`));
}

export async function teardown(): Promise<void> {
  await labDown();
}
