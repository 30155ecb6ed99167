import type { Command } from 'commander';
import type { PushProgress } from '../../common/deploy-api';
import { describeFirstIssue } from '../../common/describe-issue';
import { RunOptionsSchema } from '../../common/run';
import { appVersion } from '../app-version';
import { UpSession } from '../up/up-session';
import { upStages } from '../up/up-stage-list';
import { runUpStages, UpInputError, upExitCodes } from '../up/up-stages';
import { resolvePlaces } from '../services';
import { bundlesDirOption, dataDirOption } from './cli-project';
import { deployKeyPassphraseVariable, passphrase, printProgress } from './deploy-commands';
import { collectExtraVar } from './run-commands';

interface UpCommandOptions {
  dataDir?: string;
  bundlesDir: string[];
  project?: string;
  acceptNew?: boolean;
  despiteChecks?: boolean;
  extraVar: Record<string, unknown>;
  follow?: boolean;
}

/** A missing passphrase is the operator's input, as a missing secret of the plan file is: exit 2. */
function deployKeyPassphrase(): string {
  try {
    return passphrase();
  } catch (error) {
    throw new UpInputError((error as Error).message, deployKeyPassphraseVariable);
  }
}

/** The push's progress on stderr: each change of phase, and the sending phase every few seconds. */
function pushProgressPrinter(): (progress: PushProgress) => void {
  let shownAt = 0;
  let shownPhase: PushProgress['phase'] | undefined;
  return (progress) => {
    if (progress.phase === shownPhase && Date.now() - shownAt < 5000) return;
    printProgress(progress);
    shownPhase = progress.phase;
    shownAt = Date.now();
  };
}

async function up(planFile: string, options: UpCommandOptions): Promise<void> {
  const runOptions = RunOptionsSchema.safeParse({
    playbook: 'cluster.yml',
    ...(Object.keys(options.extraVar).length > 0 ? { extraVars: options.extraVar } : {}),
  });
  if (!runOptions.success) {
    console.error(`airspray: -e: ${describeFirstIssue(runOptions.error).text}`);
    process.exitCode = upExitCodes.badInput;
    return;
  }
  const places = await resolvePlaces({ dataDir: options.dataDir, bundlesDirs: options.bundlesDir });
  const session = new UpSession({
    planFile,
    dataDir: places.dataDir.dir,
    bundleLocations: places.bundleLocations,
    env: process.env,
    version: appVersion,
    ...(options.project ? { project: options.project } : {}),
    acceptNew: options.acceptNew === true,
    despiteChecks: options.despiteChecks === true,
    run: runOptions.data,
    deployKeyPassphrase,
    note: (line) => console.error(`airspray: ${line}`),
    onPushProgress: pushProgressPrinter(),
    ...(options.follow ? { onRunOutput: (chunk: Buffer) => process.stdout.write(chunk) } : {}),
  });
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const outcome = await runUpStages(upStages(session), controller.signal, (line) => console.log(line));
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  // Connections an interrupted stage left open must not hold the exit.
  if (outcome.exitCode === upExitCodes.interrupted) process.exit(outcome.exitCode);
  process.exitCode = outcome.exitCode;
}

/** `airspray up PLAN`: the whole deploy from one plan file, each stage skipped when done, resumed where it stopped. */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description(
      `Deploy from a plan file, in order: apply, host keys, facts and pre-flight checks, deploy key, push, offline services, cluster.yml, kubeconfig. A stage already done is skipped, so after a crash, Ctrl+C or a dead link the same command resumes where it stopped (a running cluster.yml is followed again, never started twice). One line per stage. Exits 0 when deployed, 1 when a stage failed, 2 when the input is refused (plan file, a secret it names), 130 when interrupted. Needs ${deployKeyPassphraseVariable}.`,
    )
    .argument('<plan-file>', 'plan file (YAML), such as airspray plan export wrote')
    .option('--project <name>', 'project to deploy (default: the file\'s "project")')
    .option(
      '--accept-new',
      'record host keys never seen before that the plan file does not pin; a changed key is refused regardless',
    )
    .option('--despite-checks', 'go on past failed pre-flight checks (as ticking the hosts on the Access step)')
    .option(
      '-e, --extra-var <key=value>',
      'extra variable for cluster.yml; JSON values keep their type (repeatable)',
      collectExtraVar,
      {} as Record<string, unknown>,
    )
    .option('--follow', "print the run's terminal output as it comes")
    .option(...bundlesDirOption)
    .option(...dataDirOption)
    .action((planFile: string, options: UpCommandOptions) => up(planFile, options));
}
