import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { planFindings } from '../inventory/inventory-service';
import { preparePlanApply, savePlanApply, type PlanApplyContext } from '../plan-file/apply-plan-file';
import { exportProjectPlan, planFileSchemaFileName, planFileSchemaText } from '../plan-file/export-plan-file';
import { readPlanFile } from '../plan-file/parse-plan-file';
import { bundlesDirOption, cliServices, dataDirOption } from './cli-project';

interface ExportOptions {
  project: string;
  out: string;
  schema: boolean;
  dataDir?: string;
}

async function exportPlan(options: ExportOptions): Promise<void> {
  const { projects, dataDir } = await cliServices(options);
  const exported = await exportProjectPlan(projects, dataDir, options.project);
  if (exported.linesLeftOut > 0) {
    console.error(
      `airspray: ${exported.linesLeftOut} line(s) of the project's known_hosts (hashed, wildcard or marked entries) are not in the plan file; apply keeps them.`,
    );
  }
  if (options.out === '-') {
    process.stdout.write(exported.text);
    return;
  }
  const out = resolve(options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, exported.text, 0o644);
  const schema = join(dirname(out), planFileSchemaFileName);
  if (options.schema) await writeFileAtomic(schema, planFileSchemaText(), 0o644);
  console.log(
    `Wrote the plan of ${exported.project.name} to ${out}: ${exported.plan.hosts.length} host(s), ${exported.plan.hostKeys.length} host key(s).`,
  );
  if (options.schema) console.log(`Wrote its JSON Schema beside it (${schema}), for editors.`);
}

interface ApplyOptions {
  project?: string;
  dryRun?: boolean;
  bundlesDir: string[];
  dataDir?: string;
}

async function applyPlan(file: string, options: ApplyOptions): Promise<void> {
  const parsed = await readPlanFile(resolve(file), file);
  const { projects, dataDir, bundleLocations } = await cliServices(options);
  const context: PlanApplyContext = { projects, dataDir, bundleLocations };
  const prepared = await preparePlanApply(parsed, context, options.project);
  if (prepared.changes.length === 0) {
    console.log(
      `Nothing to change: project ${prepared.projectName} matches ${file} (revision ${prepared.current?.revision}).`,
    );
    return;
  }
  console.log(`Changes to project ${prepared.projectName}:`);
  for (const change of prepared.changes) console.log(`  ${change}`);
  if (options.dryRun) {
    console.log('Dry run: nothing was saved.');
    return;
  }
  const saved = await savePlanApply(prepared, context);
  if (!saved) return;
  console.log(`Saved project ${saved.name} at revision ${saved.revision}.`);
  const errors = planFindings(saved).filter((finding) => finding.severity === 'error').length;
  if (errors > 0)
    console.log(
      `note: the plan has ${errors} error(s) to fix before a deploy: airspray inventory validate --project ${saved.name} lists them.`,
    );
}

/** `airspray plan export` and `airspray apply`: a project's whole plan as a file kept in version control, and back. */
export function registerPlanFileCommands(program: Command, plan: Command): void {
  plan
    .command('export')
    .description(
      "Write a project's whole plan as a YAML plan file (hosts, roles, settings, bundle, deploy node, trusted host keys, login by reference; never a secret), with its JSON Schema beside it for editors.",
    )
    .requiredOption('--project <name>', 'project (cluster) name')
    .requiredOption('--out <file>', 'plan file to write, "-" for standard output')
    .option('--no-schema', `do not write ${planFileSchemaFileName} beside the plan file`)
    .option(...dataDirOption)
    .action((options: ExportOptions) => exportPlan(options));

  program
    .command('apply')
    .description(
      'Create or update a project from a plan file and print what changed. A file with a problem is refused with its line and field, and nothing is saved; so is a file made for another bundle.',
    )
    .argument('<file>', 'plan file (YAML), such as airspray plan export wrote')
    .option('--project <name>', 'project to apply it to (default: the file\'s "project")')
    .option('--dry-run', 'print what would change, save nothing')
    .option(...bundlesDirOption)
    .option(...dataDirOption)
    .action((file: string, options: ApplyOptions) => applyPlan(file, options));
}
