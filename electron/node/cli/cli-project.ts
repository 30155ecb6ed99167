import { InvalidArgumentError, type Command } from 'commander';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { AppLocaleSchema } from '../../common/settings-api';
import { appVersion } from '../app-version';
import type { ProjectStore } from '../projects/project-store';
import { reportLanguage, type ReportLanguage } from '../reports/report-strings';
import { createServices, resolvePlaces, type AirsprayServices } from '../services';

/**
 * The services a command works with, as the core is made of them: the data folder (--data-dir, else beside the app
 * on the stick, else the user data folder) and the bundles found there and in --bundles-dir folders.
 */
export async function cliServices(options: {
  dataDir?: string;
  bundlesDir?: readonly string[];
}): Promise<AirsprayServices> {
  const places = await resolvePlaces({ dataDir: options.dataDir, bundlesDirs: options.bundlesDir ?? [] });
  return createServices({ dataDir: places.dataDir.dir, bundleLocations: places.bundleLocations, version: appVersion });
}

export const collect = (value: string, previous: string[]) => [...previous, value];

export const dataDirOption = [
  '--data-dir <dir>',
  'folder holding the projects (default: beside the app on the stick, else the user data folder)',
] as const;
export const bundlesDirOption = [
  '--bundles-dir <dir>',
  'extra folder to search for offline bundles (repeatable)',
  collect,
  [] as string[],
] as const;

/** Reports from the command line are English unless asked for another language the window speaks. */
export const withReportLanguageOption = (command: Command) =>
  command.option(
    '--lang <locale>',
    `language of the report: ${AppLocaleSchema.options.join(' or ')}`,
    parseReportLanguage,
    reportLanguage('en'),
  );

function parseReportLanguage(value: string): ReportLanguage {
  const locale = AppLocaleSchema.safeParse(value);
  if (!locale.success)
    throw new InvalidArgumentError(`--lang takes ${AppLocaleSchema.options.join(' or ')}, not "${value}".`);
  return reportLanguage(locale.data);
}

export function parseRevision(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(
      '--revision takes the whole number `airspray plan show --json` printed as "revision".',
    );
  return Number(value);
}

/** Writes take the revision the caller last saw, so a save made elsewhere since is refused, not overwritten. */
export const withRevisionOption = (command: Command) =>
  command.option(
    '--revision <n>',
    'refuse unless the project is still at this revision (as `plan show --json` printed it)',
    parseRevision,
  );

export interface ProjectOptions {
  project: string;
  dataDir?: string;
  revision?: number;
}

export const withProjectOptions = (command: Command) =>
  command.requiredOption('--project <name>', 'project (cluster) name').option(...dataDirOption);

/** The project by name, and the revision a write must find: --revision when given, else the one just read. */
export async function openProject(
  options: ProjectOptions,
): Promise<{ store: ProjectStore; project: ProjectDocument; revision: number }> {
  const store = (await cliServices(options)).projects;
  const project = await store.findByName(options.project);
  return { store, project, revision: options.revision ?? project.revision };
}

/** Prints an AirsprayError as the user-facing message it is and exits 1; anything else is a bug and keeps its stack. */
export async function runCommand(work: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await work()) ?? 0;
  } catch (error) {
    if (!(error instanceof AirsprayError)) throw error;
    console.error(`airspray: ${error.message}`);
    process.exitCode = 1;
  }
}

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));
