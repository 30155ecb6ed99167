import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createAirsprayCore } from '../api/airspray-core';
import { appVersion } from '../app-version';
import { registerInventoryCommands } from './inventory-commands';
import { startBrowserServer } from '../serve/browser-server';
import { resolvePlaces } from '../services';
import { registerAccessCommands } from './access-commands';
import { registerBundleCommands } from './bundle-commands';
import { registerClusterCommands } from './cluster-commands';
import { registerCertsCommands } from './certs-commands';
import { registerEtcdCommands } from './etcd-commands';
import { registerReportCommands } from './report-commands';
import { registerDeployCommands } from './deploy-commands';
import { registerPlanFileCommands } from './plan-file-commands';
import { registerNodeCommands } from './node-commands';
import { registerRunCommands } from './run-commands';
import { registerCompletionCommand } from './completion';
import { registerPlanCommands } from './plan-commands';
import { registerProjectCommands } from './project-commands';
import { registerUpCommand } from './up-command';
import { registerUpgradeCommands } from './upgrade-commands';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('--port takes a whole number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Builds the `airspray` command line; later capabilities add their subcommands here. */
export function buildCli(rendererDir: string): Command {
  const program = new Command('airspray')
    .description('Air-gap Kubernetes installer: discover hosts, plan roles, deploy kubespray from an offline bundle.')
    .version(appVersion)
    .showHelpAfterError();

  program
    .command('serve')
    .description('Serve the Airspray UI to a browser on this machine (127.0.0.1 only, with a per-start token).')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', parsePort, 8470)
    .option(
      '--data-dir <dir>',
      'folder for projects and run history (default: beside the app on the stick, else the user data folder)',
    )
    .option('--bundles-dir <dir>', 'extra folder to search for offline bundles (repeatable)', collect, [] as string[])
    .action(async (options: { port: number; dataDir?: string; bundlesDir: string[] }) => {
      const { dataDir, bundleLocations } = await resolvePlaces({
        dataDir: options.dataDir,
        bundlesDirs: options.bundlesDir,
      });
      const core = createAirsprayCore({ shell: 'browser', version: appVersion, dataDir, bundleLocations });
      const server = await startBrowserServer({
        core,
        rendererDir: resolve(rendererDir),
        port: options.port,
        log: (line) => console.error(`airspray: ${line}`),
      });
      console.log(`Airspray is serving on ${server.url}`);
      console.log(`Data folder: ${dataDir.dir} (${dataDir.source})`);
      console.log('Open the URL above in a browser on this machine. Press Ctrl+C to stop.');
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  registerProjectCommands(program);
  registerAccessCommands(program);
  const plan = registerPlanCommands(program);
  registerRunCommands(program);
  registerNodeCommands(program);
  registerInventoryCommands(program);

  registerBundleCommands(program);
  registerDeployCommands(program);
  registerClusterCommands(program);
  registerCertsCommands(program);
  registerEtcdCommands(program);
  registerUpgradeCommands(program);
  registerReportCommands(program);
  registerPlanFileCommands(program, plan);
  registerUpCommand(program);
  // Last: the completion script lists every command registered before it.
  registerCompletionCommand(program);
  return program;
}
