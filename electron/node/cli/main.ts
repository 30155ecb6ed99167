import { join } from 'node:path';
import { buildCli } from './cli';

// Bundled (minified, with a source map) to dist/cli.cjs, beside the built renderer in dist/renderer.
process.setSourceMapsEnabled(true);
buildCli(join(__dirname, 'renderer'))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`airspray: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
