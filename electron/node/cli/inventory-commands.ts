import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { AirsprayError } from '../../common/errors';
import { appVersion } from '../app-version';
import { defaultUserDataDir, resolveDataDir } from '../data-dir';
import { exportFormats, type ExportFormat } from '../inventory/inventory-files';
import { exportToPath, importIntoProject, planFindings } from '../inventory/inventory-service';
import { ProjectStore } from '../projects/project-store';

async function openStore(dataDirOption: string | undefined): Promise<ProjectStore> {
  const dataDir = await resolveDataDir({
    optionDir: dataDirOption,
    env: process.env,
    userDataDir: defaultUserDataDir(process.env, homedir(), process.platform),
  });
  return new ProjectStore(dataDir.dir);
}

function parseFormat(value: string): ExportFormat {
  if (!(exportFormats as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--format takes ${exportFormats.join(', ')}.`);
  }
  return value as ExportFormat;
}

/** Prints an AirsprayError as the user-facing message it is and exits 1; anything else is a bug and keeps its stack. */
async function run(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (error) {
    if (!(error instanceof AirsprayError)) throw error;
    console.error(`airspray: ${error.message}`);
    process.exitCode = 1;
  }
}

const dataDirOption = ['--data-dir <dir>', 'folder holding the projects (default: beside the app on the stick, else the user data folder)'] as const;

/** `airspray inventory import|validate|export`: the plan of a project named in the data folder. */
export function registerInventoryCommands(program: Command): void {
  const inventory = program.command('inventory').description('Import, check and export the kubespray inventory of a project.');

  inventory
    .command('import')
    .description('Replace a project\'s hosts, roles and settings with an existing kubespray inventory (folder, hosts.yaml or .ini).')
    .argument('<path>', 'inventory folder, hosts.yaml or .ini file; group_vars/ beside it are read too')
    .requiredOption('--project <name>', 'project (cluster) name')
    .option(...dataDirOption)
    .action((path: string, options: { project: string; dataDir?: string }) =>
      run(async () => {
        const store = await openStore(options.dataDir);
        const { project, notes } = await importIntoProject(store, await store.findByName(options.project), resolve(path));
        console.log(`Imported ${project.cluster.hosts.length} host(s) into ${project.name}.`);
        for (const note of notes) console.log(`note: ${note}`);
        return 0;
      }),
    );

  inventory
    .command('validate')
    .description('Check the plan as kubespray would; exits 1 when there are errors.')
    .requiredOption('--project <name>', 'project (cluster) name')
    .option('--json', 'print the findings as JSON')
    .option(...dataDirOption)
    .action((options: { project: string; json?: boolean; dataDir?: string }) =>
      run(async () => {
        const store = await openStore(options.dataDir);
        const findings = planFindings(await store.findByName(options.project));
        const errors = findings.filter((finding) => finding.severity === 'error').length;
        if (options.json) {
          console.log(JSON.stringify({ errors, warnings: findings.length - errors, findings }, null, 2));
        } else {
          for (const finding of findings) console.log(`${finding.severity}${finding.host ? ` [${finding.host}]` : ''}: ${finding.message}`);
          console.log(`${errors} error(s), ${findings.length - errors} warning(s).`);
        }
        return errors > 0 ? 1 : 0;
      }),
    );

  inventory
    .command('export')
    .description('Write the kubespray inventory (hosts.yaml, inventory.ini, group_vars/) as a folder, .zip or .tar.gz.')
    .requiredOption('--project <name>', 'project (cluster) name')
    .requiredOption('--out <path>', 'folder to write into, or the archive file to create')
    .option('--format <format>', `one of ${exportFormats.join(', ')}`, parseFormat, 'folder' as ExportFormat)
    .option(...dataDirOption)
    .action((options: { project: string; out: string; format: ExportFormat; dataDir?: string }) =>
      run(async () => {
        const store = await openStore(options.dataDir);
        const files = await exportToPath(store, await store.findByName(options.project), options.format, resolve(options.out), appVersion);
        console.log(`Wrote ${files.length} file(s) to ${resolve(options.out)} (${options.format}).`);
        return 0;
      }),
    );
}
