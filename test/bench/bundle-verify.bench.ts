import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bench, describe } from 'vitest';
import type { TrustedKey } from '../../electron/node/bundles/trusted-publishers';
import { verifyBundle } from '../../electron/node/bundles/verify-bundle';
import { signTestBundle } from '../support/bundle-fixtures';

// Full verification (signature, sizes, every sha256 across worker threads) against the peer a careful operator
// would run: one `openssl dgst -sha256` process over the same files. Goal: at least 1.7x openssl's rate.
const run = promisify(execFile);
const fileCount = 8;
const fileBytes = 96 * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'airspray-bench-verify-'));
mkdirSync(join(dir, 'files'));
const chunk = randomBytes(fileBytes);
const paths: string[] = [];
for (let index = 0; index < fileCount; index += 1) {
  chunk[0] = index;
  const path = join(dir, 'files', `blob-${index}.bin`);
  writeFileSync(path, chunk);
  paths.push(path);
}
const key = await signTestBundle(dir, { bundleId: 'bench' });
const trusted: TrustedKey[] = [
  { name: 'bench', publicKey: key.publicKey, fingerprint: key.fingerprint, source: 'option' },
];
const totalBytes = fileCount * fileBytes;
console.log(`bundle verification bench: ${fileCount} files, ${(totalBytes / 1e9).toFixed(2)} GB in the page cache`);

const report = (name: string, started: number) => {
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${name}: ${(totalBytes / 1e9 / seconds).toFixed(2)} GB/s`);
};

describe('bundle verification, same files', () => {
  bench(
    'airspray verifyBundle full (worker threads)',
    async () => {
      const started = performance.now();
      const result = await verifyBundle(dir, { mode: 'full', trustedKeys: trusted });
      if (result.outcome !== 'verified') throw new Error(`bench bundle refused: ${JSON.stringify(result.refusals)}`);
      report('airspray', started);
    },
    { iterations: 4, time: 0, warmupIterations: 1, warmupTime: 0 },
  );

  bench(
    'peer: openssl dgst -sha256 (one process)',
    async () => {
      const started = performance.now();
      await run('openssl', ['dgst', '-sha256', ...paths]);
      report('openssl', started);
    },
    { iterations: 4, time: 0, warmupIterations: 1, warmupTime: 0 },
  );
});
