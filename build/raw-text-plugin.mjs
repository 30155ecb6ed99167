// `import text from './file.py?raw'` for esbuild, as Vite (and so Vitest) reads it: the file's text as a string.
// Programs that run elsewhere (the receiver on the deploy node, the hash worker) stay real files, linted and read.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** @type {import('esbuild').Plugin} */
export const rawTextPlugin = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
      namespace: 'raw-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
      watchFiles: [args.path],
    }));
  },
};
