import type { Command } from 'commander';
import {
  manualStepText,
  runOptionsText,
  type LifecycleProcedure,
  type LifecycleRecord,
  type LifecycleRequest,
} from '../../common/node-lifecycle';
import { recoverLoss } from '../../common/recover-control-plane';
import { findRecoverSnapshot, recoverSnapshotText } from '../etcd/recover-snapshot';
import { formatCoreMessage } from '../i18n/format-core-message';
import { NodeLifecycleService } from '../runs/node-lifecycle-service';
import type { CredentialOptions } from './access-commands';
import {
  credentialFlags,
  installDeployKeyForScale,
  loginFrom,
  namePassphraseVariable,
  openRuns,
  projectFlags,
} from './run-commands';

type NodeOptions = CredentialOptions & {
  project: string;
  dataDir?: string;
  with?: string[];
  offline?: boolean;
  show?: boolean;
  confirm?: boolean;
  snapshot?: string;
  kubesprayDir?: string;
};

function printProcedure({ runs, manualSteps, snapshot }: LifecycleProcedure): void {
  const recovered = runs[0]?.options.recoverGroups;
  if (recovered) {
    const { id, params } = recoverLoss(recovered, false);
    console.log(`What may be lost: ${formatCoreMessage(id, params)}`);
  }
  if (snapshot) console.log(`What may be lost: ${recoverSnapshotText(snapshot)}`);
  for (const step of manualSteps.filter((entry) => entry.when === 'before'))
    console.log(`Before: ${manualStepText(step)}`);
  for (const [index, run] of runs.entries()) console.log(`${index + 1}. ${run.label}: ${runOptionsText(run.options)}`);
  for (const step of manualSteps.filter((entry) => entry.when === 'after'))
    console.log(`Then, by hand: ${manualStepText(step)}`);
}

/** One line each time a step starts or ends. */
function stepPrinter(): (record: LifecycleRecord) => void {
  const seen = new Map<number, string>();
  return ({ procedure }) =>
    procedure.runs.forEach((run, index) => {
      if (seen.get(index) === run.state || run.state === 'pending') return;
      seen.set(index, run.state);
      console.error(`\nairspray: step ${index + 1} of ${procedure.runs.length} (${run.label}) ${run.state}`);
    });
}

async function changeNodes(given: LifecycleRequest, options: NodeOptions): Promise<void> {
  const opened = await openRuns(options, (chunk) => process.stdout.write(chunk));
  const lifecycle = new NodeLifecycleService({
    projects: opened.projects,
    runs: opened.runs,
    onUpdated: stepPrinter(),
  });
  // --snapshot may be the path of a stored backup; the request names it by its file in the index.
  const request = given.snapshot
    ? { ...given, snapshot: (await findRecoverSnapshot(opened.projects, opened.project, given.snapshot)).backup.file }
    : given;
  if (options.show) {
    printProcedure(await lifecycle.procedure(opened.projectId, request));
    return;
  }
  // Refused before anything reaches a host.
  await lifecycle.checkedProcedure(opened.projectId, request);
  const login = await loginFrom(options);
  // New hosts are reached with the deploy key only, as scale.yml's are; so are broken hosts rebuilt in place.
  const reached = request.action === 'recover' && request.newHosts?.length ? request.newHosts : request.hosts;
  if (request.action !== 'remove')
    await installDeployKeyForScale(opened, reached.join(','), login).catch(namePassphraseVariable);
  const { record, advancing } = await lifecycle
    .begin(opened.projectId, request, login, options.kubesprayDir)
    .catch(namePassphraseVariable);
  printProcedure(record.procedure);
  const ended = await advancing;
  console.error(`\nairspray: ${request.action} ${ended.state}${ended.message ? `: ${ended.message}` : ''}`);
  process.exitCode = ended.state === 'succeeded' ? 0 : 1;
}

const nodeFlags = (command: Command) =>
  projectFlags(credentialFlags(command))
    .option('--show', 'print the runs and manual steps only; run nothing')
    .option('--kubespray-dir <dir>', "kubespray folder on the deploy node (default: the pushed bundle's)");

/**
 * `airspray node add|remove|replace`: workers, control planes and etcd members by kubespray's own procedure, run in
 * order; the same command after a stop goes on from the step that stopped.
 */
export function registerNodeCommands(program: Command): void {
  const node = program
    .command('node')
    .description("Add, remove or replace cluster nodes by kubespray's procedure (control plane and etcd included).");
  nodeFlags(
    node
      .command('add')
      .description(
        'Add plan hosts with roles to the cluster: facts.yml then scale.yml for workers, cluster.yml for the others.',
      )
      .argument('<host...>'),
  ).action((hosts: string[], options: NodeOptions) => changeNodes({ action: 'add', hosts }, options));
  nodeFlags(
    node
      .command('remove')
      .description(
        'Remove nodes with remove-node.yml (then cluster.yml when an etcd member leaves); they leave the plan.',
      )
      .argument('<host...>')
      .option('--offline', 'the nodes are down: do not reset them (reset_nodes=false, allow_ungraceful_removal=true)'),
  ).action((hosts: string[], options: NodeOptions) =>
    changeNodes({ action: 'remove', hosts, ...(options.offline ? { offline: true } : {}) }, options),
  );
  nodeFlags(
    node
      .command('replace')
      .description('Add the new hosts, then remove the ones they replace.')
      .argument('<old...>', 'the nodes to replace')
      .requiredOption('--with <new...>', 'the plan hosts that take their place')
      .option('--offline', 'the old nodes are down: do not reset them'),
  ).action((old: string[], options: NodeOptions) =>
    changeNodes(
      { action: 'replace', hosts: options.with ?? [], replacing: old, ...(options.offline ? { offline: true } : {}) },
      options,
    ),
  );
  nodeFlags(
    node
      .command('recover')
      .description(
        'Recover broken control plane and etcd members with recover-control-plane.yml (kubespray docs/recover-control-plane.md).',
      )
      .argument('<broken...>', 'the broken members; without --with they are rebuilt in place (provisioned again)')
      .option('--with <new...>', 'the plan hosts that take their places')
      .option('--confirm', "confirm what may be lost: the broken members' data, disruptions, no guarantees")
      .option(
        '--snapshot <backup>',
        'if etcd lost its quorum, restore it from this stored backup (its FILE in airspray etcd backups, or its path): every write after it is lost',
      ),
  ).action((broken: string[], options: NodeOptions) =>
    changeNodes(
      {
        action: 'recover',
        hosts: broken,
        ...(options.with ? { newHosts: options.with } : {}),
        ...(options.confirm ? { confirm: true } : {}),
        ...(options.snapshot ? { snapshot: options.snapshot } : {}),
      },
      options,
    ),
  );
}
