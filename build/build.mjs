// Builds everything the shells run: the renderer (Vite) and the Node side (esbuild), into dist/.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { build as buildRenderer } from 'vite';
import { rawTextPlugin } from './raw-text-plugin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Optional native add-ons of ws and ssh2: both packages fall back to JavaScript when these fail to load.
const optionalNatives = ['bufferutil', 'utf-8-validate', 'cpu-features', '*.node'];

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await buildRenderer({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' });

// Minified: every CLI start compiles the whole bundle, and a smaller one starts about 40 ms sooner.
// The source map keeps stack traces readable (the entry points enable source maps).
const nodeSide = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  sourcemap: true,
  plugins: [rawTextPlugin],
};
await Promise.all([
  // Everything is bundled, so the packaged app and `npx airspray` need no node_modules at run time.
  bundle({
    ...nodeSide,
    entryPoints: ['electron/node/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    external: optionalNatives,
  }),
  bundle({
    ...nodeSide,
    entryPoints: ['electron/main/main.ts'],
    outfile: 'dist/electron/main.cjs',
    external: ['electron', ...optionalNatives],
  }),
  // The CLI's run digests are parsed on a worker thread of this script, found beside it. Not the desktop app's yet: a
  // worker's script inside the packaged app's asar is untested here (no Electron binary), so it parses in-process.
  bundle({
    ...nodeSide,
    entryPoints: ['electron/node/runs/run-digest-worker.ts'],
    outfile: 'dist/run-digest-worker.cjs',
  }),
  // A sandboxed preload can require only 'electron': it must be one self-contained CommonJS file.
  bundle({
    ...nodeSide,
    platform: 'browser',
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    external: ['electron'],
  }),
]);

// ssh2's crypto binding (AES-GCM and ChaCha20-Poly1305 in C, built by npm install where a compiler is present), where
// the bundled CLI requires it: without it ssh2 falls back to JavaScript and moved a run's log 4 to 10 times slower
// here. Built against Node's ABI, so only beside the CLI; Electron's main would need it rebuilt for Electron.
const sshCrypto = 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node';
try {
  await mkdir(`${root}/dist/crypto/build/Release`, { recursive: true });
  await copyFile(`${root}/${sshCrypto}`, `${root}/dist/crypto/build/Release/sshcrypto.node`);
} catch {
  console.warn(`build: no ${sshCrypto} (npm install built none): the CLI's SSH uses ssh2's JavaScript crypto`);
}
