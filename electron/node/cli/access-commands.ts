import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import type { CredentialInput } from '../../common/credentials';
import { coreError } from '../i18n/format-core-message';
import type { FactsOutcome } from '../../common/host-facts';
import { collectFacts } from '../access/collect-facts';
import { planViewOf } from '../access/kubespray-checks';
import { platformsFor } from '../access/preflight';
import { recordFacts, type FactsRecord } from '../projects/plan-from-access';
import { cliServices, dataDirOption, openProject, parseRevision, runCommand } from './cli-project';
import { parseTargets } from '../discovery/parse-targets';
import { registerDiscover } from './discover-command';
import { HostKeyStore } from '../ssh/host-key-store';
import { assertUsablePrivateKey } from '../ssh/ssh-connection';

function parseHost(value: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(value);
  const [target] = parseTargets(match?.[1] ?? value);
  const port = match?.[2] ? Number(match[2]) : 22;
  if (!target || port < 1 || port > 65535) throw coreError('invalid_params', 'cli.host-invalid', { value }, 'host');
  return { host: target.address ?? target.hostName, port };
}

/** Reads a secret from a file (never from the command line, where ps and shell history would show it). */
export async function readSecretFile(path: string, option: string): Promise<string> {
  try {
    return (await readFile(resolve(path), 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw coreError('invalid_params', 'cli.secret-file-unreadable', { option, path, code }, option);
  }
}

function describeOutcome(outcome: FactsOutcome): string[] {
  if (outcome.state === 'failed') return [`${outcome.address}\tFAILED ${outcome.kind}\t${outcome.message}`];
  const { facts } = outcome;
  return [
    `${outcome.address}\t${facts.hostname}\t${facts.os.prettyName}\t${facts.kernel}\t${facts.arch}\t${facts.cpus} CPUs\t${facts.memoryMiB} MiB\thost key ${outcome.hostKey.fingerprint}`,
    ...outcome.checks.map((check) => `  [${check.status}] ${check.title}: ${check.message}`),
  ];
}

export interface CredentialOptions {
  user: string;
  passwordFile?: string;
  key?: string;
  passphraseFile?: string;
  sudoPasswordFile?: string;
}

interface FactsOptions extends CredentialOptions {
  knownHosts?: string;
  acceptNew?: boolean;
  json?: boolean;
  dataDir?: string;
  project?: string;
  revision?: number;
  despiteChecks?: boolean;
}

export async function credentialFrom(options: CredentialOptions): Promise<CredentialInput> {
  if (Boolean(options.passwordFile) === Boolean(options.key)) {
    throw coreError('invalid_params', 'cli.auth-one-of', {}, 'auth');
  }
  const sudoPassword = options.sudoPasswordFile
    ? await readSecretFile(options.sudoPasswordFile, '--sudo-password-file')
    : undefined;
  const base = { label: 'command line', user: options.user, ...(sudoPassword !== undefined ? { sudoPassword } : {}) };
  if (options.passwordFile)
    return {
      ...base,
      auth: { kind: 'password', password: await readSecretFile(options.passwordFile, '--password-file') },
    };
  const privateKey = await readSecretFile(options.key!, '--key');
  const passphrase = options.passphraseFile
    ? await readSecretFile(options.passphraseFile, '--passphrase-file')
    : undefined;
  assertUsablePrivateKey(privateKey, passphrase);
  return { ...base, auth: { kind: 'key', privateKey, ...(passphrase !== undefined ? { passphrase } : {}) } };
}

/** `airspray discover` and `airspray facts`: the Discover and Access steps, scriptable. */
export function registerAccessCommands(program: Command): void {
  registerDiscover(program);
  registerFacts(program);
}

function registerFacts(program: Command): void {
  program
    .command('facts')
    .description(
      "Log in over SSH, print each host's facts and pre-flight checks; exits 1 if a host failed or a check failed.",
    )
    .argument('<host...>', 'HOST or HOST:PORT')
    .requiredOption('--user <user>', 'SSH login')
    .option('--password-file <file>', 'file holding the SSH password')
    .option('--key <file>', 'private key (OpenSSH or PEM)')
    .option('--passphrase-file <file>', "file holding the private key's passphrase")
    .option(
      '--sudo-password-file <file>',
      'file holding the sudo password (checked with sudo -S, never on a command line)',
    )
    .option(
      '--known-hosts <file>',
      "known_hosts file to check and record host keys in (default: the data folder's; ~/.ssh/known_hosts is honoured)",
    )
    .option('--accept-new', 'record host keys never seen before; a changed key is refused regardless')
    .option('--json', 'print the outcomes as JSON')
    .option(...dataDirOption)
    .option(
      '--project <name>',
      "check each host for its role in this project's plan and record the hosts that pass, with their facts, in it",
    )
    .option('--revision <n>', 'with --project: refuse unless the project is still at this revision', parseRevision)
    .option(
      '--despite-checks',
      'with --project: record every host that answered, even one that failed a pre-flight check (as ticking it on the Access step)',
    )
    .action((hosts: string[], options: FactsOptions) => runCommand(() => factsFromCommandLine(hosts, options)));
}

/** Facts and checks of each host, recorded in the project's plan with --project; 1 when a host or a check failed. */
async function factsFromCommandLine(hosts: string[], options: FactsOptions): Promise<number> {
  const targets = hosts.map(parseHost);
  const credential = await credentialFrom(options);
  const services = await cliServices(options);
  const opened = options.project ? await openProject({ ...options, project: options.project }) : undefined;
  // With a project, host keys are the project's own, as the Access step keeps them.
  const hostKeys = options.knownHosts
    ? new HostKeyStore(resolve(options.knownHosts), [join(homedir(), '.ssh', 'known_hosts')])
    : services.hostKeys(opened?.project.id);
  const cluster = opened?.project.cluster;
  const outcomes = await collectFacts(targets, {
    credential,
    hostKeys,
    platforms: platformsFor(cluster?.bundle),
    ...(cluster ? { plan: planViewOf(cluster) } : {}),
    ...(options.acceptNew ? { acceptNewHostKeys: true } : {}),
  });
  if (options.json) console.log(JSON.stringify(outcomes, null, 2));
  else for (const outcome of outcomes) for (const line of describeOutcome(outcome)) console.log(line);
  if (opened) await saveFacts(opened, outcomes, options.despiteChecks === true);
  const bad = outcomes.some(
    (outcome) => outcome.state === 'failed' || outcome.checks.some((check) => check.status === 'fail'),
  );
  return bad ? 1 : 0;
}

/** The Access step's "use in plan": hosts that answered and passed go into the plan with their facts. */
async function saveFacts(
  opened: Awaited<ReturnType<typeof openProject>>,
  outcomes: readonly FactsOutcome[],
  despiteChecks: boolean,
): Promise<void> {
  const { store, project, revision } = opened;
  const receivedAt = new Date().toISOString();
  let record: FactsRecord | undefined;
  await store.update(
    project.id,
    revision,
    (current) => (record = recordFacts(current, outcomes, receivedAt, { despiteChecks })).next,
  );
  console.error(
    `airspray: recorded the facts of ${record!.recorded.length} host(s) in ${project.name}${record!.recorded.length > 0 ? `: ${record!.recorded.join(', ')}` : ''}.`,
  );
  for (const left of record!.leftOut) console.error(`airspray: ${left.address} left out of the plan: ${left.reason}`);
}
