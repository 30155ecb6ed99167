import { join } from 'node:path';
import type { Command } from 'commander';
import { coreError } from '../i18n/format-core-message';
import { formatBytes } from '../../common/format-bytes';
import { openKeySession } from '../deploy/key-session';
import { planHosts, resolveDeployContext, type DeployContext } from '../deploy/deploy-context';
import {
  checkProjectServices,
  pushJournalFileName,
  pushProjectBundle,
  startProjectServices,
  type KeySession,
} from '../deploy/deploy-operations';
import { bootstrapDeployKey } from '../deploy/key-bootstrap';
import type { HealthReport, PushProgress } from '../../common/deploy-api';
import { pointPackageSources, restorePackageSources, type PackageSourcesOutcome } from '../deploy/package-sources';
import { credentialFrom, type CredentialOptions } from './access-commands';
import { registerImageCommand } from './image-commands';
import { cliServices } from './cli-project';

/** The CLI has no OS keychain: the deploy key is kept encrypted on disk under this passphrase (never an argument). */
export const deployKeyPassphraseVariable = 'AIRSPRAY_DEPLOY_KEY_PASSPHRASE';

interface DeployOptions extends CredentialOptions {
  project: string;
  dataDir?: string;
  bundlesDir: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const deployFlags = (command: Command) =>
  command
    .requiredOption('--project <name>', 'project (cluster) name')
    .requiredOption('--user <user>', 'SSH login on the hosts (the deploy key is installed for this user)')
    .option('--password-file <file>', 'file holding the SSH password')
    .option('--key <file>', 'private key (OpenSSH or PEM) to install the deploy key with')
    .option('--passphrase-file <file>', "file holding that private key's passphrase")
    .option('--sudo-password-file <file>', 'file holding the sudo password (default: the SSH password)')
    .option('--data-dir <dir>', 'data folder (default: beside the app on the stick, else the user data folder)')
    .option('--bundles-dir <dir>', 'extra folder to search for offline bundles (repeatable)', collect, [] as string[])
    .option('--json', 'print the result as JSON');

export function passphrase(): string {
  const value = process.env[deployKeyPassphraseVariable];
  if (!value || value.length < 8) {
    const params = { variable: deployKeyPassphraseVariable };
    throw coreError('invalid_params', 'cli.passphrase-too-short', params, deployKeyPassphraseVariable);
  }
  return value;
}

async function open(options: DeployOptions) {
  const { dataDir, bundleLocations, projects, keys, hostKeys: hostKeysOf } = await cliServices(options);
  const project = await projects.findByName(options.project);
  const credential = await credentialFrom(options);
  const hostKeys = hostKeysOf(project.id);
  const context = (): Promise<DeployContext> => resolveDeployContext(project, { dataDir, bundleLocations });
  const session = (): Promise<KeySession> => openKeySession(keys, dataDir, project.id, credential, passphrase());
  return {
    project,
    keys,
    credential,
    hostKeys,
    context,
    session,
    journalPath: join(projects.projectFolder(project.id), pushJournalFileName),
  };
}

export function printProgress(progress: PushProgress): void {
  const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone * 100) / progress.bytesTotal) : 100;
  const eta = progress.etaSeconds === null ? '' : `, ${progress.etaSeconds} s left`;
  console.error(
    `airspray: ${progress.phase} ${percent}% ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}, ${formatBytes(progress.rateBytesPerSecond)}/s${eta}${progress.reconnects ? `, ${progress.reconnects} reconnect(s)` : ''}`,
  );
}

function printHealth(result: { ok: boolean; reports: HealthReport[] }, json: boolean | undefined): void {
  if (json) console.log(JSON.stringify(result, null, 2));
  else
    for (const report of result.reports)
      for (const check of report.checks)
        console.log([report.from, check.name, check.ok ? 'ok' : 'FAILED', check.url, check.detail].join('\t'));
  if (!result.ok) process.exitCode = 1;
}

function printSources(result: { ok: boolean; hosts: PackageSourcesOutcome[] }, json: boolean | undefined): void {
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const host of result.hosts) {
      console.log(
        [host.name, host.address, host.ok ? 'ok' : 'FAILED', host.os ?? '-', host.url ?? '-', host.message ?? ''].join(
          '\t',
        ),
      );
      for (const path of host.saved) console.log(`  saved aside  ${path}`);
      for (const path of host.wrote) console.log(`  wrote        ${path}`);
      for (const path of host.restored) console.log(`  put back     ${path}`);
    }
  }
  if (!result.ok) process.exitCode = 1;
}

/** `airspray deploy keys|push|services|health|sources`: the Deploy step's preparation, scriptable. */
export function registerDeployCommands(program: Command): void {
  const deploy = program
    .command('deploy')
    .description(
      'Prepare the deploy: install the deploy key, push the bundle to the deploy node, start its registry and file server.',
    );
  registerDeployKeys(deploy);
  registerDeployPush(deploy);
  registerServiceCommands(deploy);
  registerDeploySources(deploy);
  registerImageCommand(deploy);
}

function registerDeployKeys(deploy: Command): void {
  deployFlags(deploy.command('keys'))
    .description(
      `Install the project's ed25519 deploy key on every host with the given login, then check key login and sudo; exits 1 if a host failed. Needs ${deployKeyPassphraseVariable}.`,
    )
    .option('--accept-new', 'record host keys never seen before; a changed key is refused regardless')
    .action(async (options: DeployOptions & { acceptNew?: boolean }) => {
      const { project, keys, credential, hostKeys } = await open(options);
      const { key, created } = await keys.getOrCreate(project.id, project.name, passphrase());
      const hosts = project.cluster.hosts.map((host) => ({ name: host.name, address: host.address }));
      if (hosts.length === 0)
        throw coreError('invalid_params', 'cli.project-without-hosts', { name: project.name }, 'project');
      const outcomes = await bootstrapDeployKey(hosts, {
        credential,
        key,
        hostKeys,
        ...(options.acceptNew ? { acceptNewHostKeys: true } : {}),
      });
      if (options.json)
        console.log(
          JSON.stringify({ publicKey: key.publicKey, fingerprint: key.fingerprint, created, hosts: outcomes }, null, 2),
        );
      else printKeyOutcomes(key.fingerprint, created, outcomes);
      if (outcomes.some((outcome) => !outcome.ok)) process.exitCode = 1;
    });
}

function printKeyOutcomes(
  fingerprint: string,
  created: boolean,
  outcomes: Awaited<ReturnType<typeof bootstrapDeployKey>>,
): void {
  console.log(
    `deploy key ${fingerprint} (${created ? 'new' : 'existing'}, encrypted under ${deployKeyPassphraseVariable})`,
  );
  for (const outcome of outcomes) {
    console.log(
      [
        outcome.name,
        outcome.address,
        outcome.ok ? 'ok' : 'FAILED',
        `key ${outcome.authorizedKey ?? '-'}`,
        `login ${outcome.keyLogin ? 'ok' : '-'}`,
        `sudo ${outcome.sudo}`,
        outcome.message ?? '',
      ].join('\t'),
    );
  }
}

function registerDeployPush(deploy: Command): void {
  deployFlags(deploy.command('push'))
    .description(
      "Copy the project's verified bundle to the deploy node: only what is missing or different, resumable, sha256-checked there.",
    )
    .action(async (options: DeployOptions) => {
      const { context, session, journalPath } = await open(options);
      let last = 0;
      let shownPhase: PushProgress['phase'] | undefined;
      const result = await pushProjectBundle(await context(), await session(), {
        journalPath,
        onProgress: (progress) => {
          // Every change of phase, and the sending phase at most once a second.
          if (progress.phase === shownPhase && Date.now() - last < 1000) return;
          printProgress(progress);
          shownPhase = progress.phase;
          last = Date.now();
        },
      });
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else
        console.log(
          `${result.destination}: ${result.filesSent} file(s) sent (${formatBytes(result.bytesToSend)}), ${result.filesSkipped} already there, ${result.reconnects} reconnect(s), ${result.seconds.toFixed(1)} s`,
        );
    });
}

/** `deploy services` starts the services before checking them; `deploy health` only checks. */
const serviceCommands = [
  {
    name: 'services',
    description:
      'Start the registry and file server on the deploy node as systemd units, then check them from here and from every host; exits 1 if a check failed.',
    run: startProjectServices,
  },
  {
    name: 'health',
    description:
      "Check the deploy node's registry and file server from here and from every host; exits 1 if a check failed.",
    run: checkProjectServices,
  },
];

function registerServiceCommands(deploy: Command): void {
  for (const { name, description, run } of serviceCommands)
    deployFlags(deploy.command(name))
      .description(description)
      .action(async (options: DeployOptions) => {
        const { context, session } = await open(options);
        printHealth(await run(await context(), await session()), options.json);
      });
}

type Opened = Awaited<ReturnType<typeof open>>;

/** `deploy sources point|restore`: each acts on the plan's hosts, or only those named with --host. */
const sourcesCommands = [
  {
    name: 'point',
    description:
      "Save each host's apt sources aside and point apt at the deploy node's repos/ID-VERSION (apt-get update proves it); a host that fails is put back. Exits 1 if a host failed.",
    run: async ({ context, session }: Opened, only?: string[]) =>
      pointPackageSources(await context(), await session(), only),
  },
  {
    name: 'restore',
    description:
      "Put back the apt sources 'deploy sources point' saved, byte for byte; exits 1 naming each host and path that could not be restored.",
    run: async ({ project, session }: Opened, only?: string[]) =>
      restorePackageSources(planHosts(project), await session(), only),
  },
];

function registerDeploySources(deploy: Command): void {
  const sources = deploy
    .command('sources')
    .description("Point the hosts' apt at the bundle's OS packages on the deploy node, or put their own sources back.");
  for (const { name, description, run } of sourcesCommands)
    deployFlags(sources.command(name))
      .description(description)
      .option('--host <name>', 'only this plan host (repeatable)', collect, [] as string[])
      .action(async (options: DeployOptions & { host: string[] }) => {
        const only = options.host.length > 0 ? options.host : undefined;
        printSources(await run(await open(options), only), options.json);
      });
}
