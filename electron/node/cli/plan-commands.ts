import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ClusterPlan, HostRoles } from '../../common/cluster-plan';
import { coreError } from '../i18n/format-core-message';
import type { ProjectDocument } from '../../common/project';
import { planFindings } from '../inventory/inventory-service';
import { chosenBundleById } from '../projects/choose-bundle';
import { expandHostPattern } from '../projects/host-patterns';
import { addHosts, changeRoles, chooseDeployNode, removeHosts, type NewHost } from '../projects/plan-edits';
import { applySettings, settingKeys, settingValues, type SettingAssignment } from '../projects/plan-settings';
import { printFindings } from './inventory-commands';
import {
  bundlesDirOption,
  cliServices,
  openProject,
  printJson,
  runCommand,
  withProjectOptions,
  withRevisionOption,
  type ProjectOptions,
} from './cli-project';

/**
 * Applies an edit to the plan as read, saved under the revision the caller saw (or the one just read): a save made
 * elsewhere in between is refused, and a refused edit leaves the file as it was.
 */
async function savePlan(options: ProjectOptions, edit: (plan: ClusterPlan) => ClusterPlan): Promise<void> {
  const { store, project, revision } = await openProject(options);
  const edited = edit(project.cluster);
  const saved = await store.update(project.id, revision, (current) => ({ ...current, cluster: edited }));
  console.log(`Saved ${saved.name} (revision ${saved.revision}).`);
}

/** "10.0.0.11", "10.0.0.11:22" or a range such as "10.0.0.[11:13]" with names "node[1:3]", paired in order. */
export function newHostsFrom(addressPattern: string, namePattern: string): NewHost[] {
  const targets = expandHostPattern(addressPattern).map((text) => {
    const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
    if (!match) throw coreError('invalid_params', 'cli.address-invalid', { text }, 'address');
    return { address: match[1]!, ...(match[2] ? { port: Number(match[2]) } : {}) };
  });
  const names = expandHostPattern(namePattern);
  if (names.length !== targets.length) {
    const params = { addressPattern, addresses: targets.length, namePattern, names: names.length };
    throw coreError('invalid_params', 'cli.names-addresses-count', params, 'name');
  }
  return targets.map((target, index) => ({ ...target, name: names[index]! }));
}

/** KEY=VALUE, where VALUE @FILE reads the value from a file (a CA certificate, the expert YAML). */
async function assignmentsFrom(pairs: readonly string[]): Promise<SettingAssignment[]> {
  const assignments: SettingAssignment[] = [];
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw coreError('invalid_params', 'cli.setting-not-pair', { pair }, 'settings');
    const value = pair.slice(separator + 1);
    assignments.push({
      key: pair.slice(0, separator),
      value: value.startsWith('@') ? await readFile(resolve(value.slice(1)), 'utf8') : value,
    });
  }
  return assignments;
}

const roleFlags: [keyof HostRoles, string, string][] = [
  ['controlPlane', 'control-plane', 'control plane (kube_control_plane)'],
  ['etcd', 'etcd', 'etcd member'],
  ['worker', 'worker', 'worker (kube_node)'],
  ['calicoRr', 'calico-rr', 'Calico route reflector'],
];

function roleLetters(roles: HostRoles): string {
  return (
    roleFlags
      .filter(([role]) => roles[role])
      .map(([, flag]) => flag)
      .join(',') || '-'
  );
}

function printPlan(project: ProjectDocument): void {
  const { cluster } = project;
  console.log(`Project ${project.name} (revision ${project.revision})`);
  console.log(
    `Bundle: ${cluster.bundle ? `${cluster.bundle.bundleId} (kubespray ${cluster.bundle.kubesprayVersion})` : 'none'}`,
  );
  console.log(`Deploy node: ${cluster.deployNode ?? 'none'}`);
  console.log(`Hosts (${cluster.hosts.length}):`);
  for (const host of cluster.hosts)
    console.log(`  ${host.name}\t${host.address}\t${roleLetters(host.roles)}${host.facts ? '' : '\t(no facts)'}`);
  console.log('Settings:');
  for (const [key, value] of settingValues(cluster.settings))
    console.log(`  ${key}=${Array.isArray(value) ? value.join(',') : String(value)}`);
}

function registerHostCommands(plan: Command): void {
  const hosts = plan.command('hosts').description("Add and remove the plan's hosts.");
  withRevisionOption(
    withProjectOptions(
      hosts
        .command('add')
        .description('Add a host (no roles yet); ranges add several: plan hosts add 10.0.0.[11:13] node[1:3].')
        .argument('<address>', 'IPv4 address (ADDRESS[:22]) or a range such as 10.0.0.[11:13]')
        .argument('<name>', 'node name, or a range such as node[1:3] with as many names as addresses'),
    ),
  ).action((address: string, name: string, options: ProjectOptions) =>
    runCommand(() => savePlan(options, (current) => addHosts(current, newHostsFrom(address, name)))),
  );

  withRevisionOption(
    withProjectOptions(
      hosts
        .command('remove')
        .description(
          'Remove hosts by name, address, range or pattern (node[01:03], node*); the deploy node is cleared if it goes.',
        )
        .argument('<host...>', 'names, addresses, ranges or patterns'),
    ),
  ).action((patterns: string[], options: ProjectOptions) =>
    runCommand(() => savePlan(options, (current) => removeHosts(current, patterns))),
  );
}

function registerRolesCommand(plan: Command): void {
  let roles = plan
    .command('roles')
    .description('Give or take roles: plan roles node[1:3] --control-plane --etcd; --no-worker takes one away.')
    .argument('<host...>', 'names, addresses, ranges (node[01:20], 10.0.0.[11:15]) or patterns (node*)');
  for (const [, flag, what] of roleFlags)
    roles = roles.option(`--${flag}`, `make them ${what}`).option(`--no-${flag}`, `take the ${what} role away`);
  withRevisionOption(withProjectOptions(roles)).action(
    (patterns: string[], options: ProjectOptions & Partial<HostRoles>) =>
      runCommand(() =>
        savePlan(options, (current) =>
          changeRoles(current, patterns, Object.fromEntries(roleFlags.map(([role]) => [role, options[role]]))),
        ),
      ),
  );
}

/** `airspray plan …`: every step of the plan from the command line; returns the `plan` command for others to extend. */
export function registerPlanCommands(program: Command): Command {
  const plan = program
    .command('plan')
    .description("Build a project's plan step by step: hosts, roles, deploy node, bundle, settings.");
  registerHostCommands(plan);
  registerRolesCommand(plan);

  withRevisionOption(
    withProjectOptions(
      plan
        .command('deploy-node')
        .description('Choose the host where the bundle is unpacked and kubespray runs.')
        .argument('<host>', 'name or address'),
    ),
  ).action((host: string, options: ProjectOptions) =>
    runCommand(() => savePlan(options, (current) => chooseDeployNode(current, host))),
  );

  withRevisionOption(
    withProjectOptions(
      plan
        .command('bundle')
        .description('Choose the offline bundle the plan is made for, by its id (as `airspray bundle list` prints it).')
        .argument('<id>', 'bundle id or folder name')
        .option(...bundlesDirOption),
    ),
  ).action((id: string, options: ProjectOptions & { bundlesDir: string[] }) =>
    runCommand(async () => {
      const bundle = await chosenBundleById((await cliServices(options)).bundleLocations, id);
      await savePlan(options, (current) => ({ ...current, bundle }));
    }),
  );

  withRevisionOption(
    withProjectOptions(
      plan
        .command('set')
        .description(
          `Change cluster settings by dotted key, checked as the Settings step checks them; VALUE @FILE reads a file. Keys: ${settingKeys().join(', ')}.`,
        )
        .argument('<key=value...>', 'such as networkPlugin=cilium dns.nodeLocalDns=false ntpServers=10.0.0.1,10.0.0.2'),
    ),
  ).action((pairs: string[], options: ProjectOptions) =>
    runCommand(async () => {
      const assignments = await assignmentsFrom(pairs);
      await savePlan(options, (current) => ({ ...current, settings: applySettings(current.settings, assignments) }));
    }),
  );

  withProjectOptions(
    plan
      .command('show')
      .description(
        'Print the plan: bundle, deploy node, hosts with roles, settings (the project document with --json).',
      )
      .option('--json', 'print the project as JSON'),
  ).action((options: ProjectOptions & { json?: boolean }) =>
    runCommand(async () => {
      const { project } = await openProject(options);
      if (options.json) printJson(project);
      else printPlan(project);
    }),
  );

  withProjectOptions(
    plan
      .command('validate')
      .description('Check the plan as Review & export does; exits 1 when there are errors.')
      .option('--json', 'print the findings as JSON'),
  ).action((options: ProjectOptions & { json?: boolean }) =>
    runCommand(async () => printFindings(planFindings((await openProject(options)).project), options.json)),
  );
  return plan;
}
