// Runs only the deploy subcommands, as `airspray deploy …` would, for the lab CLI test (bundled by esbuild on the fly).
import { Command } from 'commander';
import { registerDeployCommands } from '../../electron/node/cli/deploy-commands';

const program = new Command('airspray');
registerDeployCommands(program);
program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`airspray: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
