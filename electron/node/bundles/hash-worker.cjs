'use strict';
// The hash worker of hash-worker-pool.ts: sha256 of whole files, one task at a time, progress every 32 MiB. It is
// loaded as text and run with `eval`, so it works the same from source (Vitest), from the esbuild bundle and from
// inside the packaged app's asar, with no second file to locate at run time. Sync reads with a large buffer block
// only the worker and keep the hash fed.
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const reportEvery = 32 * 1024 * 1024;
parentPort.on('message', (task) => {
  let fd;
  try {
    fd = openSync(task.path, 'r');
    const hash = createHash('sha256');
    let total = 0;
    let unreported = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(read === buffer.length ? buffer : buffer.subarray(0, read));
      total += read;
      unreported += read;
      if (unreported >= reportEvery) {
        parentPort.postMessage({ type: 'progress', bytes: unreported });
        unreported = 0;
      }
    }
    parentPort.postMessage({ type: 'progress', bytes: unreported });
    parentPort.postMessage({ type: 'done', id: task.id, sha256: hash.digest('hex'), bytes: total });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: task.id, code: error.code || '', message: String(error.message) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
