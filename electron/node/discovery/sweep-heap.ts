import { setFlagsFromString } from 'node:v8';

/**
 * For a process that only sweeps (the CLI's `discover`). A sweep leaves thousands of dead sockets a second, and V8
 * lets the old space grow to up to 4x what the last full collection kept before it collects again: on a /16 that
 * was ~100 MB of garbage over a live set of ~30 MB. Growing it by half instead means a full collection every few
 * seconds, each a few tens of ms over that small live set. V8 reads the factor at each collection, so setting it
 * after start takes effect. Not for the app's core: it serves the UI besides and keeps V8's own balance.
 */
export function collectSweepGarbageSooner(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
