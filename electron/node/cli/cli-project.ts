import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { bundleLocations } from '../bundles/bundle-locations';
import type { BundleLocation } from '../bundles/find-bundles';
import { defaultUserDataDir, resolveDataDir } from '../data-dir';
import { ProjectStore } from '../projects/project-store';

/** The one way every command finds its data folder: --data-dir, else beside the app on the stick, else the user data folder. */
export async function cliDataDir(option: string | undefined): Promise<string> {
  return (await resolveDataDir({ optionDir: option, env: process.env, userDataDir: defaultUserDataDir(process.env, homedir(), process.platform) })).dir;
}

export async function openStore(dataDirOption: string | undefined): Promise<ProjectStore> {
  return new ProjectStore(await cliDataDir(dataDirOption));
}

export const collect = (value: string, previous: string[]) => [...previous, value];

export const dataDirOption = ['--data-dir <dir>', 'folder holding the projects (default: beside the app on the stick, else the user data folder)'] as const;
export const bundlesDirOption = ['--bundles-dir <dir>', 'extra folder to search for offline bundles (repeatable)', collect, [] as string[]] as const;

export function cliBundleLocations(dataDir: string, bundlesDirs: readonly string[]): BundleLocation[] {
  return bundleLocations({ env: process.env, dataDir, optionDirs: bundlesDirs.map((dir) => resolve(dir)) });
}

export function parseRevision(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('--revision takes the whole number `airspray plan show --json` printed as "revision".');
  return Number(value);
}

/** Writes take the revision the caller last saw, so a save made elsewhere since is refused, not overwritten. */
export const withRevisionOption = (command: Command) =>
  command.option('--revision <n>', 'refuse unless the project is still at this revision (as `plan show --json` printed it)', parseRevision);

export interface ProjectOptions {
  project: string;
  dataDir?: string;
  revision?: number;
}

export const withProjectOptions = (command: Command) => command.requiredOption('--project <name>', 'project (cluster) name').option(...dataDirOption);

/** The project by name, and the revision a write must find: --revision when given, else the one just read. */
export async function openProject(options: ProjectOptions): Promise<{ store: ProjectStore; project: ProjectDocument; revision: number }> {
  const store = await openStore(options.dataDir);
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
