import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { AirsprayError } from '../../common/errors';
import { coreError } from '../i18n/format-core-message';
import { RunOptionsSchema, kubesprayPlaybooks, type RunChainCheck, type RunRecord } from '../../common/run';
import { describeFirstIssue } from '../../common/describe-issue';
import { openKeySession } from '../deploy/key-session';
import { bootstrapDeployKey } from '../deploy/key-bootstrap';
import { openDownload } from '../downloads/open-download';
import { streamFileAtomic } from '../fs/write-file-atomic';
import { failureReason } from '../runs/ansible-output-parser';
import type { RunLogin } from '../runs/run-service';
import type { ReportLanguage } from '../reports/report-strings';
import { credentialFrom, type CredentialOptions } from './access-commands';
import { deployKeyPassphraseVariable } from './deploy-commands';
import { cliServices, withReportLanguageOption } from './cli-project';

interface ProjectOptions {
  project: string;
  dataDir?: string;
}

/** -e KEY=VALUE: a value that parses as JSON keeps its type (true stays a boolean), anything else is a string. */
export function collectExtraVar(value: string, previous: Record<string, unknown>): Record<string, unknown> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('-e takes KEY=VALUE, such as -e skip_confirmation=true.');
  const raw = value.slice(separator + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string.
  }
  return { ...previous, [value.slice(0, separator)]: parsed };
}

/** The profile from the flags; the deploy key's passphrase from the environment, as `airspray deploy keys` took it. */
export async function loginFrom(options: CredentialOptions): Promise<RunLogin> {
  const keyPassphrase = process.env[deployKeyPassphraseVariable];
  return { credential: await credentialFrom(options), ...(keyPassphrase ? { keyPassphrase } : {}) };
}

/** A refusal about the key's passphrase names the variable that carries it here. */
export function namePassphraseVariable(error: unknown): never {
  if (error instanceof AirsprayError && error.field === 'keyPassphrase') {
    const params = { detail: error.message, variable: deployKeyPassphraseVariable };
    throw coreError('invalid_params', 'cli.passphrase-variable', params, deployKeyPassphraseVariable);
  }
  throw error;
}

export async function openRuns(options: ProjectOptions, onOutput?: (chunk: Buffer) => void) {
  const services = await cliServices(options);
  const { dataDir, keys } = services;
  const project = await services.projects.findByName(options.project);
  let settle: (run: RunRecord) => void = () => undefined;
  const finished = new Promise<RunRecord>((resolve) => (settle = resolve));
  const runs = services.runs({
    listener: {
      output: (_projectId, _runId, _offset, chunk) => onOutput?.(chunk),
      updated: (run) => run.state !== 'running' && settle(run),
    },
  });
  return { runs, projects: services.projects, project, projectId: project.id, finished, keys, dataDir };
}

/**
 * scale.yml (or a node procedure) adds nodes, which Ansible reaches with the deploy key only: the key goes onto them
 * first with the profile's login, as Operate's Add nodes does (a host that has it is left as it is). The hosts are
 * those --limit names, or every host of the plan when it names a group or pattern.
 */
export async function installDeployKeyForScale(
  opened: Awaited<ReturnType<typeof openRuns>>,
  limit: string | undefined,
  login: RunLogin,
): Promise<void> {
  const { project, keys, dataDir } = opened;
  const named = (limit ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const byName = project.cluster.hosts.filter((host) => named.includes(host.name));
  const targets = named.length > 0 && byName.length === named.length ? byName : project.cluster.hosts;
  const outcomes = await bootstrapDeployKey(
    targets.map((host) => ({ name: host.name, address: host.address })),
    await openKeySession(keys, dataDir, project.id, login.credential, login.keyPassphrase),
  );
  for (const outcome of outcomes)
    console.error(
      `airspray: deploy key on ${outcome.name}: ${outcome.ok ? (outcome.authorizedKey === 'added' ? 'installed' : 'there already') : `FAILED ${outcome.message ?? ''}`}`,
    );
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed)
    throw coreError(
      'conflict',
      'cli.deploy-key-not-installed',
      { host: failed.name, hasDetail: failed.message ? 'yes' : 'no', detail: failed.message ?? '' },
      'hosts',
    );
}

export function printOutcome(run: RunRecord): void {
  console.error(`\nairspray: run ${run.id} ${run.state}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`);
  for (const failure of run.digest.failures)
    console.error(`airspray: ${failure.host} failed "${failure.task}": ${failureReason(failure.message)}`);
}

export const credentialFlags = (command: Command) =>
  command
    .requiredOption('--user <user>', 'SSH login on the deploy node')
    .option('--password-file <file>', 'file holding the SSH password')
    .option('--key <file>', 'private key (OpenSSH or PEM)')
    .option('--passphrase-file <file>', "file holding the private key's passphrase")
    .option('--sudo-password-file <file>', 'file holding the sudo password (needed to run and to cancel)');
export const projectFlags = (command: Command) =>
  command
    .requiredOption('--project <name>', 'project (cluster) name')
    .option('--data-dir <dir>', 'data folder (default: beside the app on the stick, else the user data folder)');

/** `airspray run` and `airspray runs …`: kubespray playbooks on the deploy node, followed live. */
export function registerRunCommands(program: Command): void {
  registerRun(program);
  const runsCommand = program
    .command('runs')
    .description('The run history of a project: list, attach, cancel, report.');
  registerRunsList(runsCommand);
  registerRunsAttach(runsCommand);
  registerRunsCancel(runsCommand);
  registerRunsReport(runsCommand);
  registerRunsVerify(runsCommand);
}

type RunCommandOptions = ProjectOptions &
  CredentialOptions & {
    limit?: string;
    tags?: string;
    skipTags?: string;
    extraVar: Record<string, unknown>;
    kubesprayDir?: string;
  };

function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description(
      `Run a kubespray playbook (${kubesprayPlaybooks.join(', ')}) on the project's deploy node and follow it; exits with the run's exit code.`,
    )
    .argument('<playbook>', 'playbook, e.g. cluster.yml')
    .option('--limit <pattern>', 'hosts or groups to limit the run to')
    .option('--tags <tags>', 'only tasks with these tags, comma-separated')
    .option('--skip-tags <tags>', 'skip tasks with these tags, comma-separated')
    .option(
      '-e, --extra-var <key=value>',
      'extra variable; JSON values keep their type (repeatable)',
      collectExtraVar,
      {} as Record<string, unknown>,
    )
    .option('--kubespray-dir <dir>', "kubespray folder on the deploy node (default: the pushed bundle's)");
  projectFlags(credentialFlags(run)).action(runPlaybook);
}

async function runPlaybook(playbook: string, options: RunCommandOptions): Promise<void> {
  const parsed = RunOptionsSchema.safeParse({
    playbook,
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.skipTags ? { skipTags: options.skipTags } : {}),
    ...(Object.keys(options.extraVar).length ? { extraVars: options.extraVar } : {}),
  });
  if (!parsed.success)
    throw coreError('invalid_params', 'cli.run-options-invalid', { problem: describeFirstIssue(parsed.error).text });
  const opened = await openRuns(options, (chunk) => process.stdout.write(chunk));
  const { runs, projectId, finished } = opened;
  const login = await loginFrom(options);
  if (parsed.data.playbook === 'scale.yml')
    await installDeployKeyForScale(opened, parsed.data.limit, login).catch(namePassphraseVariable);
  const started = await runs
    .start({
      projectId,
      ...login,
      options: parsed.data,
      ...(options.kubesprayDir ? { kubesprayDir: options.kubesprayDir } : {}),
    })
    .catch(namePassphraseVariable);
  console.error(
    `airspray: run ${started.id} started on ${started.deployNode}; Ctrl+C stops following, the run goes on (airspray runs attach ${started.id}).`,
  );
  const outcome = await finished;
  printOutcome(outcome);
  process.exitCode = outcome.exitCode ?? 1;
}

function registerRunsList(runsCommand: Command): void {
  projectFlags(
    runsCommand.command('list').description("List the project's runs, newest first.").option('--json', 'print JSON'),
  ).action(async (options: ProjectOptions & { json?: boolean }) => {
    const { runs, projectId } = await openRuns(options);
    const list = await runs.list(projectId);
    if (options.json) console.log(JSON.stringify(list, null, 2));
    else
      for (const entry of list)
        console.log(
          [entry.id, entry.startedAt, entry.playbook, entry.state, entry.exitCode ?? '', entry.startedBy].join('\t'),
        );
  });
}

function registerRunsAttach(runsCommand: Command): void {
  projectFlags(
    credentialFlags(
      runsCommand
        .command('attach')
        .description('Follow a run again: prints what was missed, then the rest live.')
        .argument('<run-id>'),
    ),
  ).action(async (runId: string, options: ProjectOptions & CredentialOptions) => {
    const { runs, projectId, finished } = await openRuns(options, (chunk) => process.stdout.write(chunk));
    const { data } = await runs.readLog(projectId, runId, 0, Number.MAX_SAFE_INTEGER);
    process.stdout.write(data);
    const record = await runs.attach(projectId, runId, await loginFrom(options)).catch(namePassphraseVariable);
    const outcome = record.state === 'running' ? await finished : record;
    printOutcome(outcome);
    process.exitCode = outcome.exitCode ?? 1;
  });
}

function registerRunsCancel(runsCommand: Command): void {
  projectFlags(
    credentialFlags(
      runsCommand.command('cancel').description('Stop a running run on the deploy node.').argument('<run-id>'),
    ),
  ).action(async (runId: string, options: ProjectOptions & CredentialOptions) => {
    const { runs, projectId } = await openRuns(options);
    const cancelled = await runs.cancel(projectId, runId, await loginFrom(options)).catch(namePassphraseVariable);
    console.log(cancelled ? `Run ${runId} is being cancelled.` : `Run ${runId} is not running.`);
    if (!cancelled) process.exitCode = 1;
  });
}

function registerRunsReport(runsCommand: Command): void {
  projectFlags(
    withReportLanguageOption(
      runsCommand
        .command('report')
        .description('Write a run as a self-contained HTML report.')
        .argument('<run-id>')
        .requiredOption('--out <file>', 'HTML file to write'),
    ),
  ).action(async (runId: string, options: ProjectOptions & { out: string; lang: ReportLanguage }) => {
    const { runs, projectId } = await openRuns(options);
    const report = await openDownload(runs, { kind: 'run-report', projectId, runId }, options.lang);
    await streamFileAtomic(resolve(options.out), 0o644, (sink) => report.write(sink));
    console.log(`Wrote ${resolve(options.out)}.`);
  });
}

function registerRunsVerify(runsCommand: Command): void {
  projectFlags(
    runsCommand
      .command('verify')
      .description("Say whether any ended run's record or log was changed since; exits 1 if so.")
      .option('--json', 'print JSON'),
  ).action(async (options: ProjectOptions & { json?: boolean }) => {
    const { runs, projectId } = await openRuns(options);
    const check = await runs.verifyRecords(projectId);
    if (options.json) console.log(JSON.stringify(check, null, 2));
    else printChainCheck(options.project, check);
    if (!check.intact) process.exitCode = 1;
  });
}

function printChainCheck(project: string, check: RunChainCheck): void {
  const verdict = check.intact ? 'intact' : 'CHANGED';
  console.log(`Run records of ${project}: ${verdict}, ${check.records} sealed.`);
  if (check.headSha256) console.log(`Newest record sha256: ${check.headSha256}`);
  for (const { runId, problem } of check.problems) console.log(`${runId ? `${runId}: ` : ''}${problem}`);
  if (check.unsealed.length > 0)
    console.log(`Not covered (ended before records were chained): ${check.unsealed.join(', ')}`);
}
