import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { DownloadCheck } from '../../common/download-check';
import type { ReportedPlanFinding } from '../../common/inventory-api';
import { appVersion } from '../app-version';
import { checkProjectDownloads } from '../inventory/download-check-service';
import { exportFormats, type ExportFormat } from '../inventory/inventory-files';
import { exportToPath, importIntoProject, planFindings } from '../inventory/inventory-service';
import { bundlesDirOption, cliServices, dataDirOption, runCommand } from './cli-project';

function parseFormat(value: string): ExportFormat {
  if (!(exportFormats as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--format takes ${exportFormats.join(', ')}.`);
  }
  return value as ExportFormat;
}

/** The plan's findings as lines or JSON; the exit code is 1 when one is an error. */
export function printFindings(findings: readonly ReportedPlanFinding[], json: boolean | undefined): number {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  if (json) {
    console.log(JSON.stringify({ errors, warnings: findings.length - errors, findings }, null, 2));
  } else {
    for (const finding of findings)
      console.log(`${finding.severity}${finding.host ? ` [${finding.host}]` : ''}: ${finding.message}`);
    console.log(`${errors} error(s), ${findings.length - errors} warning(s).`);
  }
  return errors > 0 ? 1 : 0;
}

function printDownloadCheck(check: DownloadCheck): void {
  if (!check.checked) {
    console.log(`not checked: ${check.reason ?? ''}`);
    return;
  }
  for (const item of check.items) console.log(`${item.kind}\t${item.variables.join(',')}\t${item.reference}`);
  for (const finding of check.findings) console.log(`error: ${finding.message}`);
  console.log(`${check.items.length} item(s), ${check.findings.length} not in the bundle.`);
}

/** `airspray inventory import|validate|downloads|export`: the plan of a project named in the data folder. */
export function registerInventoryCommands(program: Command): void {
  const inventory = program
    .command('inventory')
    .description('Import, check and export the kubespray inventory of a project.');
  registerInventoryImport(inventory);
  registerInventoryValidate(inventory);
  registerInventoryDownloads(inventory);
  registerInventoryExport(inventory);
}

function registerInventoryImport(inventory: Command): void {
  inventory
    .command('import')
    .description(
      "Replace a project's hosts, roles and settings with an existing kubespray inventory (folder, hosts.yaml or .ini).",
    )
    .argument('<path>', 'inventory folder, hosts.yaml or .ini file; group_vars/ beside it are read too')
    .requiredOption('--project <name>', 'project (cluster) name')
    .option(...dataDirOption)
    .action((path: string, options: { project: string; dataDir?: string }) =>
      runCommand(async () => {
        const store = (await cliServices(options)).projects;
        const { project, notes } = await importIntoProject(
          store,
          await store.findByName(options.project),
          resolve(path),
        );
        console.log(`Imported ${project.cluster.hosts.length} host(s) into ${project.name}.`);
        for (const note of notes) console.log(`note: ${note}`);
        return 0;
      }),
    );
}

function registerInventoryValidate(inventory: Command): void {
  inventory
    .command('validate')
    .description('Check the plan as kubespray would; exits 1 when there are errors.')
    .requiredOption('--project <name>', 'project (cluster) name')
    .option('--json', 'print the findings as JSON')
    .option(...dataDirOption)
    .action((options: { project: string; json?: boolean; dataDir?: string }) =>
      runCommand(async () => {
        const store = (await cliServices(options)).projects;
        return printFindings(planFindings(await store.findByName(options.project)), options.json);
      }),
    );
}

function registerInventoryDownloads(inventory: Command): void {
  inventory
    .command('downloads')
    .description(
      "List what kubespray will download for the plan (rendered with the bundle's own release) and check each item against the bundle; exits 1 when one is missing, 2 when it cannot be checked here.",
    )
    .requiredOption('--project <name>', 'project (cluster) name')
    .option(...bundlesDirOption)
    .option('--json', 'print the items and findings as JSON')
    .option(...dataDirOption)
    .action((options: { project: string; bundlesDir: string[]; json?: boolean; dataDir?: string }) =>
      runCommand(async () => {
        const { dataDir, bundleLocations, projects } = await cliServices(options);
        const project = await projects.findByName(options.project);
        const check = await checkProjectDownloads(project, { dataDir, bundleLocations });
        if (options.json) console.log(JSON.stringify(check, null, 2));
        else printDownloadCheck(check);
        return !check.checked ? 2 : check.findings.length > 0 ? 1 : 0;
      }),
    );
}

function registerInventoryExport(inventory: Command): void {
  inventory
    .command('export')
    .description('Write the kubespray inventory (hosts.yaml, inventory.ini, group_vars/) as a folder, .zip or .tar.gz.')
    .requiredOption('--project <name>', 'project (cluster) name')
    .requiredOption('--out <path>', 'folder to write into, or the archive file to create')
    .option('--format <format>', `one of ${exportFormats.join(', ')}`, parseFormat, 'folder' as ExportFormat)
    .option(...dataDirOption)
    .action((options: { project: string; out: string; format: ExportFormat; dataDir?: string }) =>
      runCommand(async () => {
        const store = (await cliServices(options)).projects;
        const files = await exportToPath(
          store,
          await store.findByName(options.project),
          options.format,
          resolve(options.out),
          appVersion,
        );
        console.log(`Wrote ${files.length} file(s) to ${resolve(options.out)} (${options.format}).`);
        return 0;
      }),
    );
}
