// Runs only the bundle subcommands, as `airspray bundle …` would, for the CLI tests (bundled by esbuild on the fly).
import { Command } from 'commander';
import { registerBundleCommands } from '../../electron/node/cli/bundle-commands';

const program = new Command('airspray');
registerBundleCommands(program);
program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`airspray: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
