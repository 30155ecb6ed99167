import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { BundleManifest } from '../../../common/bundle-manifest';
import { joinValues } from '../../../common/core-messages';
import { kubesprayDefaultsFiles, runLocalPlaybook } from './derive-kubespray-lists';
import { coreError } from '../../i18n/format-core-message';

type OperatingSystem = BundleManifest['operatingSystems'][number];

/** The roles whose package installs put a host in shape for kubespray, entry task file and defaults. */
const packageRoles = [
  { tasks: 'roles/bootstrap-os/tasks/main.yml', defaults: 'roles/bootstrap-os/defaults/main.yml' },
  { tasks: 'roles/kubernetes/preinstall/tasks/main.yml', defaults: 'roles/kubernetes/preinstall/defaults/main.yml' },
];

/**
 * What a minimal Debian host answers: the facts ansible gathers and the results of the raw probes kubespray
 * registers before it installs anything (no python3 in minbase, so bootstrap-os installs it).
 */
const debianHosts: Record<string, { codename: string; facts: Record<string, unknown> }> = {
  '12': {
    codename: 'bookworm',
    facts: {
      ansible_os_family: 'Debian',
      ansible_distribution: 'Debian',
      ansible_distribution_version: '12',
      ansible_distribution_major_version: '12',
      ansible_distribution_release: 'bookworm',
      ansible_pkg_mgr: 'apt',
      ansible_system: 'Linux',
      ansible_architecture: 'x86_64',
      inventory_hostname: 'node1',
      os_release: {
        stdout_lines: [
          'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
          'NAME="Debian GNU/Linux"',
          'VERSION_ID="12"',
          'VERSION="12 (bookworm)"',
          'VERSION_CODENAME=bookworm',
          'ID=debian',
        ],
      },
      need_bootstrap: { rc: 1 },
      azure_check: { stat: { exists: false } },
      // Airspray's inventory gives every host ip and access_ip (render-inventory.ts); preinstall then installs
      // iputils-ping to ping access_ip.
      ip: '10.0.0.11',
      access_ip: '10.0.0.11',
    },
  },
};

/** The minimal host of a supported OS; anything else is refused naming what is supported. */
function debianHost(os: OperatingSystem): { codename: string; facts: Record<string, unknown> } {
  const host = os.id === 'debian' ? debianHosts[os.version] : undefined;
  if (!host)
    throw coreError(
      'unsupported',
      'bundleBuild.os-unsupported',
      {
        os: `${os.id}-${os.version}`,
        supported: joinValues(Object.keys(debianHosts).map((version) => `debian-${version}`)),
      },
      'os',
    );
  return host;
}

/** Debian's codename for a supported OS (bookworm for debian-12). */
export const debianCodename = (os: OperatingSystem): string => debianHost(os).codename;

type Task = Record<string, unknown>;
const isRecord = (value: unknown): value is Task =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const moduleOf = (task: Task, names: readonly string[]) =>
  names.find((name) => name in task || `ansible.builtin.${name}` in task);
const argsOf = (task: Task, name: string) => task[name] ?? task[`ansible.builtin.${name}`];

/** Package names a raw/shell/command line installs with apt-get (bootstrap-os installs python3 that way). */
function aptGetInstallNames(command: string): string[] {
  const names: string[] = [];
  for (const match of command.matchAll(/apt-get\s+(?:-\S+\s+)*install\s+([^;&|\n]+)/g))
    names.push(...match[1]!.split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')));
  return names;
}

/** The names one task installs, as the release wrote them (Jinja included), or undefined when it installs none. */
function installedNames(task: Task): unknown {
  const packageModule = moduleOf(task, ['package', 'apt']);
  if (packageModule) {
    const args = argsOf(task, packageModule);
    if (!isRecord(args) || args.state === 'absent') return undefined;
    return args.name ?? args.pkg;
  }
  const commandModule = moduleOf(task, ['raw', 'shell', 'command']);
  const command = commandModule ? argsOf(task, commandModule) : undefined;
  const names = typeof command === 'string' ? aptGetInstallNames(command) : [];
  return names.length > 0 ? names : undefined;
}

const conditions = (task: Task) => (task.when === undefined ? {} : { when: task.when });
const loops = (task: Task) =>
  Object.fromEntries(Object.entries(task).filter(([key]) => key === 'loop' || key.startsWith('with_')));

/**
 * The release's tasks reduced to what decides the package list: each install becomes a set_fact appending its
 * names under the task's own conditions; included files keep their include's conditions; os-specific include_vars
 * and the set_facts that change a variable a package name reads are kept; everything else is dropped.
 */
async function reduceTasks(path: string, readVariables: Set<string>): Promise<Task[]> {
  const document: unknown = parse(await readFile(path, 'utf8'));
  return reduceTaskList(Array.isArray(document) ? document.filter(isRecord) : [], path, readVariables);
}

async function reduceTaskList(tasks: readonly Task[], path: string, readVariables: Set<string>): Promise<Task[]> {
  const reduced: Task[] = [];
  for (const task of tasks) {
    const names = installedNames(task);
    const include = moduleOf(task, ['import_tasks', 'include_tasks']);
    const includeVars = moduleOf(task, ['include_vars']);
    if (names !== undefined) {
      for (const match of JSON.stringify(names).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) readVariables.add(match[0]);
      reduced.push({
        name: `${String(task.name ?? 'install')} (recorded)`,
        'ansible.builtin.set_fact': { airspray_packages: '{{ airspray_packages + ([airspray_names] | flatten) }}' },
        ...conditions(task),
        ...loops(task),
        vars: { ...(isRecord(task.vars) ? task.vars : {}), airspray_names: names },
      });
    } else if (Array.isArray(task.block)) {
      const inner = await reduceTaskList(task.block.filter(isRecord), path, readVariables);
      if (inner.length > 0) reduced.push({ block: inner, ...conditions(task) });
    } else if (include) {
      const file = argsOf(task, include);
      const target =
        typeof file === 'string' ? file : isRecord(file) && typeof file.file === 'string' ? file.file : undefined;
      if (!target || target.includes('{{')) continue;
      const inner = await reduceTasks(resolve(dirname(path), target), readVariables);
      if (inner.length > 0) reduced.push({ block: inner, ...conditions(task) });
    } else if (includeVars && Array.isArray(task.with_first_found)) {
      reduced.push({
        ...task,
        with_first_found: task.with_first_found.map((entry) => withAbsolutePaths(entry, dirname(path))),
      });
    } else if (moduleOf(task, ['set_fact'])) {
      reduced.push(task);
    }
  }
  return reduced;
}

function withAbsolutePaths(entry: unknown, taskDir: string): unknown {
  if (!isRecord(entry) || !Array.isArray(entry.paths)) return entry;
  return {
    ...entry,
    paths: entry.paths.map((path) => (typeof path === 'string' && !isAbsolute(path) ? resolve(taskDir, path) : path)),
  };
}

/** Drops the set_facts that set nothing a package name reads (they would read probes we do not run). */
function keepRelevantFacts(tasks: Task[], readVariables: ReadonlySet<string>): Task[] {
  return tasks.flatMap((task): Task[] => {
    if (Array.isArray(task.block)) {
      const inner = keepRelevantFacts(task.block as Task[], readVariables);
      return inner.length > 0 ? [{ ...task, block: inner }] : [];
    }
    const setFact = moduleOf(task, ['set_fact']);
    if (!setFact) return [task];
    const args = argsOf(task, setFact);
    return isRecord(args) && Object.keys(args).some((name) => readVariables.has(name)) ? [task] : [];
  });
}

export interface KubesprayPackageOptions {
  ansiblePlaybook?: string;
  /** Variables the operator's inventory sets (kube_proxy_mode, ntp_enabled…), above the release's defaults. */
  variables?: Record<string, unknown>;
}

/**
 * The OS packages kubespray's bootstrap-os and preinstall roles install on a fresh host of this OS: the release's
 * own tasks and conditions, rendered by ansible-playbook with the release's defaults and a minimal host's facts.
 */
export async function kubesprayPackages(
  releaseDir: string,
  os: OperatingSystem,
  options: KubesprayPackageOptions = {},
): Promise<string[]> {
  const host = debianHost(os);
  // The recording set_facts write airspray_packages; the release's own set_facts stay when a name reads them.
  const readVariables = new Set<string>(['airspray_packages']);
  const tasks: Task[] = [];
  for (const role of packageRoles) {
    const reduced = await reduceTasks(join(releaseDir, role.tasks), readVariables).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT')
          throw coreError(
            'invalid_params',
            'bundleBuild.release-file-missing',
            { release: releaseDir, path: relative(releaseDir, error.path ?? role.tasks) },
            'kubespray',
          );
        throw error;
      },
    );
    tasks.push(...reduced);
  }
  const { general } = await kubesprayDefaultsFiles(releaseDir);
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-packages-'));
  try {
    const output = join(workDir, 'packages.json');
    const play = {
      name: 'Record the OS packages kubespray installs',
      hosts: 'localhost',
      connection: 'local',
      gather_facts: false,
      vars_files: [...general, ...packageRoles.map((role) => join(releaseDir, role.defaults))],
      vars: { ...host.facts, airspray_packages: [] },
      tasks: [
        ...keepRelevantFacts(tasks, readVariables),
        {
          name: 'Write the list',
          'ansible.builtin.copy': { content: '{{ airspray_packages | unique | to_json }}', dest: output, mode: '0644' },
        },
      ],
    };
    await writeFile(
      join(workDir, 'packages.yml'),
      `# Written by Airspray from the release's own tasks.\n${stringify([play])}`,
    );
    await writeFile(
      join(workDir, 'variables.json'),
      JSON.stringify({ ...options.variables, ansible_python_interpreter: '/usr/bin/python3' }),
    );
    await runLocalPlaybook(
      workDir,
      ['-i', 'localhost,', '-e', `@${join(workDir, 'variables.json')}`, join(workDir, 'packages.yml')],
      {
        ...options,
        failure: { id: 'bundleBuild.packages-not-rendered', params: { os: `${os.id}-${os.version}` } },
      },
    );
    const names: unknown = JSON.parse(await readFile(output, 'utf8'));
    return (names as unknown[])
      .map(String)
      .map((name) => name.trim())
      .filter((name) => name !== '');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
