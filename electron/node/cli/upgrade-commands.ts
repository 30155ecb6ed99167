import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { upgradePresetNames, upgradePresets, type UpgradePresetName, type UpgradeRecord } from '../../common/upgrade';
import { UpgradeService } from '../upgrade/upgrade-service';
import { credentialFrom } from './access-commands';
import { bundlesDirOption, cliServices, printJson, runCommand, withProjectOptions } from './cli-project';
import { deployKeyPassphraseVariable } from './deploy-commands';
import { withKeySessionOptions, type KeySessionOptions } from './key-session-options';

interface UpgradeCommandOptions extends KeySessionOptions {
  bundle?: string;
  kubernetesVersion?: string;
  preset?: UpgradePresetName;
  pauseBetweenNodes?: boolean;
  bundlesDir: string[];
}

function parsePreset(value: string): UpgradePresetName {
  if (!(upgradePresetNames as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--preset takes one of ${upgradePresetNames.join(', ')}.`);
  return value as UpgradePresetName;
}

/** One line per thing done, as the record is saved: stages, then each step's run. */
function progressPrinter(): (record: UpgradeRecord) => void {
  const printed = new Set<string>();
  const say = (key: string, line: string) => {
    if (printed.has(key)) return;
    printed.add(key);
    console.error(`airspray: ${line}`);
  };
  return (record) => {
    for (const stage of record.done) say(stage, `upgrade ${record.id}: ${stage} done`);
    for (const step of record.steps)
      if (step.runId)
        say(`${step.label} ${step.runId} ${step.state}`, `${step.label}: run ${step.runId} ${step.state}`);
  };
}

/** Asks on a terminal whether to go on after a pause; anything but "yes"/"y" stops. */
async function confirmNext(message: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${message}\nGo on now? [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

async function upgrade(options: UpgradeCommandOptions): Promise<number> {
  const services = await cliServices(options);
  const project = await services.projects.findByName(options.project);
  const keyPassphrase = process.env[deployKeyPassphraseVariable];
  const runs = services.runs({
    listener: { output: (_project, _run, _offset, chunk) => process.stdout.write(chunk), updated: () => undefined },
  });
  const upgrades = new UpgradeService({ ...services, runs, onUpdated: progressPrinter() });
  const call = {
    projectId: project.id,
    credential: await credentialFrom(options),
    ...(keyPassphrase ? { keyPassphrase } : {}),
    ...(options.bundle ? { bundleId: options.bundle } : {}),
    ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
    ...(options.preset ? { preset: options.preset } : {}),
    pauseBetweenNodes: options.pauseBetweenNodes ?? false,
  };
  for (;;) {
    const { record, advancing } = await upgrades.begin(call);
    console.error(
      `airspray: upgrade ${record.id}: ${record.from.bundleId} (Kubernetes ${record.from.kubernetesVersion}) → ${record.to.bundleId} (Kubernetes ${record.to.kubernetesVersion})${record.preset ? `, preset ${record.preset}` : ''}`,
    );
    const outcome = await advancing;
    console.error(`airspray: upgrade ${outcome.id} ${outcome.state}${outcome.message ? `: ${outcome.message}` : ''}`);
    if (outcome.state !== 'paused') return outcome.state === 'succeeded' ? 0 : 1;
    if (!(await confirmNext(outcome.message ?? ''))) return 0;
  }
}

async function listUpgrades(options: { project: string; dataDir?: string; bundlesDir: string[]; json?: boolean }) {
  const services = await cliServices(options);
  const project = await services.projects.findByName(options.project);
  const runs = services.runs({ listener: { output: () => undefined, updated: () => undefined } });
  const found = await new UpgradeService({ ...services, runs }).upgradeOptions(project.id);
  if (options.json) return printJson(found);
  const { current } = found;
  console.log(
    current
      ? `now: ${current.bundleId}, kubespray ${current.kubesprayVersion}, Kubernetes ${current.kubernetesVersion}`
      : 'now: no bundle chosen',
  );
  for (const choice of found.choices)
    console.log(
      choice.allowed
        ? `allowed: --bundle ${choice.to.bundleId} (kubespray ${choice.to.kubesprayVersion}, Kubernetes ${choice.to.kubernetesVersion})`
        : `refused: ${choice.bundleId}: ${choice.reason}`,
    );
  for (const name of upgradePresetNames) {
    const preset = upgradePresets[name];
    const skip = preset.skipTags ? ` --skip-tags ${preset.skipTags.join(',')}` : '';
    console.log(`preset: --preset ${name} (cluster.yml --tags ${preset.tags.join(',')}${skip})`);
  }
  if (found.last) console.log(`last upgrade ${found.last.id}: ${found.last.state} ${found.last.message ?? ''}`);
}

/** `airspray upgrade` and `airspray upgrades`: Operate's upgrade and presets, for a script or a change window. */
export function registerUpgradeCommands(program: Command): void {
  withKeySessionOptions(program.command('upgrade'), 'the etcd snapshot, the push and the runs need root')
    .description(
      `Upgrade the cluster to another bundle (kubespray and Kubernetes one minor release at a time): an etcd snapshot first (a failed one stops it), the bundle pushed beside the old one, its services, then upgrade-cluster.yml for the control plane and etcd, then node by node. Or run a partial-upgrade preset (cluster.yml with kubespray's tags). A stopped or paused upgrade goes on with the same command. Needs ${deployKeyPassphraseVariable}.`,
    )
    .option('--bundle <id>', 'the bundle to upgrade to (see airspray upgrades)')
    .option('--kubernetes-version <version>', "the bundle's Kubernetes version to go to (default: the newest allowed)")
    .option('--preset <name>', `a partial upgrade: ${upgradePresetNames.join(', ')}`, parsePreset)
    .option('--pause-between-nodes', 'stop after each node; on a terminal, ask before the next')
    .option(...bundlesDirOption)
    .action((options: UpgradeCommandOptions) => runCommand(() => upgrade(options)));
  withProjectOptions(program.command('upgrades'))
    .description(
      'List the bundles the project may upgrade to (and why others are refused), the presets, and the last upgrade.',
    )
    .option(...bundlesDirOption)
    .option('--json', 'print JSON')
    .action((options: { project: string; dataDir?: string; bundlesDir: string[]; json?: boolean }) =>
      runCommand(() => listUpgrades(options)),
    );
}
