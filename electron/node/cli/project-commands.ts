import type { Command } from 'commander';
import { coreError } from '../i18n/format-core-message';
import type { ProjectDocument } from '../../common/project';
import {
  cliServices,
  dataDirOption,
  openProject,
  printJson,
  runCommand,
  withRevisionOption,
  type ProjectOptions,
} from './cli-project';

interface ListOptions {
  dataDir?: string;
  json?: boolean;
}

function describeProject(project: ProjectDocument): string[] {
  const { cluster } = project;
  return [
    `${project.name}\t${project.id}\trevision ${project.revision}\tupdated ${project.updatedAt}`,
    `step ${project.wizard.step}, ${cluster.hosts.length} host(s), deploy node ${cluster.deployNode ?? 'none'}, bundle ${cluster.bundle?.bundleId ?? 'none'}`,
  ];
}

/** `airspray project create|list|show|rename|delete`: the projects of a data folder, the same ones the window opens. */
export function registerProjectCommands(program: Command): Command {
  const project = program
    .command('project')
    .description('Create, list, show, rename and delete projects (one cluster each).');
  registerProjectCreate(project);
  registerProjectList(project);
  registerProjectShow(project);
  registerProjectRename(project);
  registerProjectDelete(project);
  return project;
}

function registerProjectCreate(project: Command): void {
  project
    .command('create')
    .description('Make a new project with an empty plan, as the window\'s "New project" does.')
    .argument('<name>', 'cluster name: lowercase letters, digits and "-"')
    .option('--json', 'print the project as JSON')
    .option(...dataDirOption)
    .action((name: string, options: ListOptions) =>
      runCommand(async () => {
        const created = await (await cliServices(options)).projects.create(name);
        if (options.json) printJson(created);
        else console.log(`Created project ${created.name} (${created.id}).`);
      }),
    );
}

function registerProjectList(project: Command): void {
  project
    .command('list')
    .description('List the projects, last saved first.')
    .option('--json', 'print a JSON array')
    .option(...dataDirOption)
    .action((options: ListOptions) =>
      runCommand(async () => {
        const projects = await (await cliServices(options)).projects.list();
        if (options.json) printJson(projects);
        else for (const summary of projects) console.log(`${summary.name}\t${summary.id}\t${summary.updatedAt}`);
      }),
    );
}

function registerProjectShow(project: Command): void {
  project
    .command('show')
    .description(
      'Print a project: name, id, revision, step and a summary of its plan (the whole document with --json).',
    )
    .argument('<name>', 'project (cluster) name')
    .option('--json', 'print the project document as JSON')
    .option(...dataDirOption)
    .action((name: string, options: ListOptions) =>
      runCommand(async () => {
        const { project: found } = await openProject({ ...options, project: name });
        if (options.json) printJson(found);
        else for (const line of describeProject(found)) console.log(line);
      }),
    );
}

function registerProjectRename(project: Command): void {
  withRevisionOption(
    project
      .command('rename')
      .description("Give a project a new cluster name (the plan's cluster_name follows when it was the old name).")
      .argument('<name>', 'current name')
      .argument('<new-name>', 'new cluster name')
      .option(...dataDirOption),
  ).action((name: string, newName: string, options: Omit<ProjectOptions, 'project'>) =>
    runCommand(async () => {
      const { store, project: found, revision } = await openProject({ ...options, project: name });
      const renamed = await store.rename(found.id, newName, revision);
      console.log(`Renamed ${name} to ${renamed.name}.`);
    }),
  );
}

function registerProjectDelete(project: Command): void {
  withRevisionOption(
    project
      .command('delete')
      .description("Delete a project's folder: its plan, run history, deploy key and kubeconfig.")
      .argument('<name>', 'project (cluster) name')
      .option('--yes', 'confirm: the folder is removed for good')
      .option(...dataDirOption),
  ).action((name: string, options: Omit<ProjectOptions, 'project'> & { yes?: boolean }) =>
    runCommand(async () => {
      const { store, project: found, revision } = await openProject({ ...options, project: name });
      if (!options.yes) {
        const params = { name, folder: store.projectFolder(found.id) };
        throw coreError('invalid_params', 'cli.project-delete-needs-yes', params, 'yes');
      }
      await store.delete(found.id, revision);
      console.log(`Deleted project ${name}.`);
    }),
  );
}
