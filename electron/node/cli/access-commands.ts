import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { CredentialInput } from '../../common/credentials';
import { SweepPortsSchema } from '../../common/discovery';
import { AirsprayError } from '../../common/errors';
import type { FactsOutcome } from '../../common/host-facts';
import { collectFacts } from '../access/collect-facts';
import { planViewOf } from '../access/kubespray-checks';
import { platformsFor } from '../access/preflight';
import { ProjectStore } from '../projects/project-store';
import { defaultUserDataDir, resolveDataDir } from '../data-dir';
import { parseTargets } from '../discovery/parse-targets';
import { sweep } from '../discovery/sweep';
import { HostKeyStore } from '../ssh/host-key-store';
import { assertUsablePrivateKey } from '../ssh/ssh-connection';

function parsePorts(value: string): number[] {
  const ports = value.split(',').map((part) => Number(part.trim()));
  const parsed = SweepPortsSchema.safeParse(ports);
  if (!parsed.success || ports.some((port) => !Number.isInteger(port))) {
    throw new InvalidArgumentError('--ports takes port numbers from 1 to 65535 separated by commas, such as 22,2222.');
  }
  return parsed.data;
}

function parseHost(value: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(value);
  const [target] = parseTargets(match?.[1] ?? value);
  const port = match?.[2] ? Number(match[2]) : 22;
  if (!target || port < 1 || port > 65535) throw new AirsprayError('invalid_params', `"${value}" is not HOST or HOST:PORT.`, 'host');
  return { host: target.address ?? target.hostName, port };
}

/** Reads a secret from a file (never from the command line, where ps and shell history would show it). */
export async function readSecretFile(path: string, option: string): Promise<string> {
  try {
    return (await readFile(resolve(path), 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new AirsprayError('invalid_params', `${option} ${path} cannot be read (${(error as NodeJS.ErrnoException).code}): give a readable file holding the secret.`, option);
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
}

export async function credentialFrom(options: CredentialOptions): Promise<CredentialInput> {
  if (Boolean(options.passwordFile) === Boolean(options.key)) {
    throw new AirsprayError('invalid_params', 'Give exactly one of --password-file FILE or --key FILE.', 'auth');
  }
  const sudoPassword = options.sudoPasswordFile ? await readSecretFile(options.sudoPasswordFile, '--sudo-password-file') : undefined;
  const base = { label: 'command line', user: options.user, ...(sudoPassword !== undefined ? { sudoPassword } : {}) };
  if (options.passwordFile) return { ...base, auth: { kind: 'password', password: await readSecretFile(options.passwordFile, '--password-file') } };
  const privateKey = await readSecretFile(options.key!, '--key');
  const passphrase = options.passphraseFile ? await readSecretFile(options.passphraseFile, '--passphrase-file') : undefined;
  assertUsablePrivateKey(privateKey, passphrase);
  return { ...base, auth: { kind: 'key', privateKey, ...(passphrase !== undefined ? { passphrase } : {}) } };
}

/** `airspray discover` and `airspray facts`: the Discover and Access steps, scriptable. */
export function registerAccessCommands(program: Command): void {
  program
    .command('discover')
    .description('Sweep addresses for SSH: one line per address (address, class, banner), or JSON.')
    .argument('<target...>', 'CIDR blocks, ranges (10.0.0.10-10.0.0.50 or 10.0.0.10-50), addresses or host names')
    .option('--ports <ports>', 'ports to try, comma-separated', parsePorts, [22])
    .option('--json', 'print a JSON array')
    .action(async (targets: string[], options: { ports: number[]; json?: boolean }) => {
      const results = await sweep(parseTargets(targets.join(' ')), { ports: options.ports });
      if (options.json) console.log(JSON.stringify(results, null, 2));
      else for (const result of results) console.log([result.address, result.class, result.banner ?? result.detail ?? ''].join('\t'));
    });

  program
    .command('facts')
    .description('Log in over SSH, print each host\'s facts and pre-flight checks; exits 1 if a host failed or a check failed.')
    .argument('<host...>', 'HOST or HOST:PORT')
    .requiredOption('--user <user>', 'SSH login')
    .option('--password-file <file>', 'file holding the SSH password')
    .option('--key <file>', 'private key (OpenSSH or PEM)')
    .option('--passphrase-file <file>', 'file holding the private key\'s passphrase')
    .option('--sudo-password-file <file>', 'file holding the sudo password (checked with sudo -S, never on a command line)')
    .option('--known-hosts <file>', 'known_hosts file to check and record host keys in (default: the data folder\'s; ~/.ssh/known_hosts is honoured)')
    .option('--accept-new', 'record host keys never seen before; a changed key is refused regardless')
    .option('--json', 'print the outcomes as JSON')
    .option('--data-dir <dir>', 'data folder (default: beside the app on the stick, else the user data folder)')
    .option('--project <name>', 'check each host for its role in this project\'s plan (default: every host for every role)')
    .action(async (hosts: string[], options: FactsOptions) => {
      const targets = hosts.map(parseHost);
      const credential = await credentialFrom(options);
      const dataDir = await resolveDataDir({ optionDir: options.dataDir, env: process.env, userDataDir: defaultUserDataDir(process.env, homedir(), process.platform) });
      const ownKnownHosts = options.knownHosts ? resolve(options.knownHosts) : join(dataDir.dir, 'known_hosts');
      const cluster = options.project ? (await new ProjectStore(dataDir.dir).findByName(options.project)).cluster : undefined;
      const outcomes = await collectFacts(targets, {
        credential,
        hostKeys: new HostKeyStore(ownKnownHosts, [join(homedir(), '.ssh', 'known_hosts')]),
        platforms: platformsFor(cluster?.bundle),
        ...(cluster ? { plan: planViewOf(cluster) } : {}),
        ...(options.acceptNew ? { acceptNewHostKeys: true } : {}),
      });
      if (options.json) console.log(JSON.stringify(outcomes, null, 2));
      else for (const outcome of outcomes) for (const line of describeOutcome(outcome)) console.log(line);
      const bad = outcomes.some((outcome) => outcome.state === 'failed' || outcome.checks.some((check) => check.status === 'fail'));
      if (bad) process.exitCode = 1;
    });
}
