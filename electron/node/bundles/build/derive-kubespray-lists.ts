import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import type { BundleManifest } from '../../../common/bundle-manifest';
import { joinValues, type CoreMessage } from '../../../common/core-messages';
import { AirsprayError } from '../../../common/errors';
import { linkRoot, readFolderLinks, refuseEscapingLinks } from '../bundle-links';
import { coreError } from '../../i18n/format-core-message';
import { parseYamlOr } from '../../parse-yaml-or';

const run = promisify(execFile);

/**
 * Role defaults that hold kubespray's general defaults (kube_version…), newest layout last; every one present is
 * loaded.
 */
export const generalDefaults = [
  'roles/kubespray-defaults/defaults/main.yaml',
  'roles/kubespray-defaults/defaults/main.yml',
  'roles/kubespray-defaults/defaults/main',
  'roles/kubespray_defaults/defaults/main',
];
/**
 * Role defaults that hold the download variables: up to 2.23 the download role, from 2.24
 * kubespray-defaults/…/download.yml.
 */
export const downloadDefaults = ['roles/download/defaults/main.yml', 'roles/download/defaults/main'];

/** What ansible_architecture reports on each kubespray image_arch, for URLs written with the kernel's name. */
export const machineNames: Record<BundleManifest['architectures'][number], string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armv7l',
  ppc64le: 'ppc64le',
};

/** The control-plane images kubeadm pulls itself; kubespray lists them beside its downloads. */
export const kubeadmImages = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

export interface DerivedLists {
  /** files.list: one download URL a line, in the release's order, without repeats. */
  files: string[];
  /** images.list: one image reference a line. */
  images: string[];
}

const exists = (path: string) =>
  stat(path).then(
    (info) => info,
    () => undefined,
  );

async function yamlFilesAt(path: string): Promise<string[]> {
  const info = await exists(path);
  if (!info) return [];
  if (info.isFile()) return [path];
  const names = (await readdir(path)).filter((name) => /\.ya?ml$/.test(name)).sort();
  return names.map((name) => join(path, name));
}

/** The defaults files a release carries, general ones first so the download role's own values win. */
export async function kubesprayDefaultsFiles(releaseDir: string): Promise<{ general: string[]; download: string[] }> {
  const general: string[] = [];
  for (const candidate of generalDefaults) general.push(...(await yamlFilesAt(join(releaseDir, candidate))));
  const download: string[] = [];
  for (const candidate of downloadDefaults) download.push(...(await yamlFilesAt(join(releaseDir, candidate))));
  return { general, download };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The list templates, as kubespray's generate_list.sh builds them: every `*_download_url` variable, and the
 * `repo:tag` of every `downloads` entry that names an image, kept as the release wrote them (Jinja included).
 */
export function listTemplates(defaultsTexts: readonly { path: string; text: string }[]): {
  files: string;
  images: string;
} {
  const fileVariables: string[] = [];
  const images: string[] = [];
  for (const { path, text } of defaultsTexts) {
    // Failsafe: every value stays the text the release wrote, so versions such as 3.10 keep their zero.
    const document = parseYamlOr(text, { schema: 'failsafe' }, (problem) =>
      coreError('invalid_params', 'bundleBuild.defaults-not-yaml', { path, problem }, 'kubespray'),
    );
    if (!isRecord(document)) continue;
    for (const [name, value] of Object.entries(document)) {
      if (name.endsWith('_download_url') && typeof value === 'string' && !fileVariables.includes(name))
        fileVariables.push(name);
    }
    if (isRecord(document.downloads)) {
      for (const entry of Object.values(document.downloads)) {
        if (isRecord(entry) && typeof entry.repo === 'string' && typeof entry.tag === 'string')
          images.push(`${entry.repo}:${entry.tag}`);
      }
    }
  }
  images.push(...kubeadmImages.map((name) => `{{ kube_image_repo }}/${name}:{{ kube_version }}`));
  return { files: fileVariables.map((name) => `{{ ${name} }}`).join('\n') + '\n', images: images.join('\n') + '\n' };
}

export interface ListTarget {
  kubernetesVersion: string;
  architecture: BundleManifest['architectures'][number];
}

/** One template task on localhost, looped; `src` and `dest` are names in the render's work folder. */
export interface TemplateTask {
  purpose: string;
  src: string;
  dest: string;
  /** Task variables: they outrank the play's vars_files, so each loop item gets its own version and architecture. */
  vars: Record<string, string>;
  loop: string;
}

/** The facts of the target in loop item `item`, given rather than gathered: the render is for its architecture. */
export const targetFacts = (item: string): Record<string, string> => ({
  image_arch: `{{ ${item}.image_arch }}`,
  ansible_architecture: `{{ ${item}.machine }}`,
  ansible_system: 'Linux',
});

/** The playbook of `task` in `workDir`: play variables from `varsFiles` (later files win), then the task. */
export function templatePlaybookText(task: TemplateTask, varsFiles: readonly string[], workDir: string): string {
  const quoted = (value: string) => JSON.stringify(value);
  // Paths where Ansible runs, a Linux machine whatever this one is.
  const inWorkDir = (name: string) => quoted(posix.join(workDir, name));
  return [
    `# Written by Airspray: ${task.purpose}.`,
    `- name: ${quoted(task.purpose)}`,
    '  hosts: localhost',
    '  connection: local',
    // Facts are given, not gathered: what is rendered is for the target architecture, not this machine's.
    '  gather_facts: false',
    '  vars_files:',
    ...varsFiles.map((file) => `    - ${quoted(file)}`),
    '  tasks:',
    `    - name: ${quoted(task.purpose)}`,
    '      ansible.builtin.template:',
    `        src: ${inWorkDir(task.src)}`,
    `        dest: ${inWorkDir(task.dest)}`,
    '        mode: "0644"',
    '      vars:',
    ...Object.entries(task.vars).map(([name, value]) => `        ${name}: ${quoted(value)}`),
    `      loop: ${quoted(task.loop)}`,
    '',
  ].join('\n');
}

/** Our task: renders both templates once per target, with the release's defaults loaded as play variables. */
const listsTask: TemplateTask = {
  purpose: "renders a kubespray release's download lists for each Kubernetes version and architecture",
  src: '{{ item.1 }}.list.j2',
  dest: '{{ item.0.name }}-{{ item.1 }}.list',
  vars: { kube_version: '{{ item.0.kube_version }}', ...targetFacts('item.0') },
  loop: "{{ airspray_targets | product(['files', 'images']) | list }}",
};

const distinctLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** Ansible's own complaint, e.g. "'crictl_version' is undefined", rather than its "One or more items failed". */
export function ansibleProblem(output: string): string {
  const generic = /^(One or more items failed|All items completed)/;
  const messages = [...output.matchAll(/"msg":\s*"((?:[^"\\]|\\.)*)"/g)]
    .map((match) => match[1]!)
    .filter((message) => !generic.test(message));
  const message = messages[0] ?? /ERROR!\s*(.+)/.exec(output)?.[1] ?? output.trim().split('\n').pop() ?? '';
  return message.replace(/\\n/g, ' ').replace(/\\"/g, '"').slice(0, 400);
}

/**
 * Ansible's environment for a render in `workDir`: its home and temp folders there, no colours, and ansible-core's
 * own plugins only (the default output; no collections), so a machine with Debian's ansible-core alone renders alike.
 */
export const ansibleEnv = (workDir: string): Record<string, string> => ({
  HOME: workDir,
  ANSIBLE_HOME: join(workDir, '.ansible'),
  ANSIBLE_LOCAL_TEMP: join(workDir, '.ansible', 'tmp'),
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_RETRY_FILES_ENABLED: 'false',
  ANSIBLE_STDOUT_CALLBACK: 'default',
  ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'False',
  LANG: 'C.UTF-8',
});

/**
 * Runs Debian's ansible-playbook on this machine in `workDir` (its home and temp folders there too); a failure is
 * told by Ansible's own message (the `msg` of the failed task's result) after `options.failure`.
 */
export async function runLocalPlaybook(
  workDir: string,
  args: readonly string[],
  options: { ansiblePlaybook?: string; failure: CoreMessage; orLists?: boolean },
): Promise<void> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...ansibleEnv(workDir) };
  try {
    await run(options.ansiblePlaybook ?? 'ansible-playbook', args, { cwd: workDir, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      throw coreError('not_found', 'bundleBuild.ansible-missing', { orLists: String(!!options.orLists) }, 'kubespray');
    throw coreError(
      'invalid_params',
      options.failure.id,
      {
        ...options.failure.params,
        place: 'here',
        problem: ansibleProblem(`${failure.stdout ?? ''}\n${failure.stderr ?? ''}`),
      },
      'kubespray',
    );
  }
}

const kubeVersionOf = (version: string) => (version.startsWith('v') ? version : `v${version}`);

/**
 * Derives files.list and images.list from a kubespray release folder the way its contrib/offline/generate_list.sh
 * does, rendered by Debian's ansible-playbook with the release's own defaults; one run covers every target, and the
 * result is their union in first-seen order.
 */
export async function deriveKubesprayLists(
  releaseDir: string,
  targets: readonly ListTarget[],
  options: { ansiblePlaybook?: string } = {},
): Promise<DerivedLists> {
  const { general, download } = await kubesprayDefaultsFiles(releaseDir);
  const downloadFiles = download.length > 0 ? download : general.filter((file) => /download\.ya?ml$/.test(file));
  if (downloadFiles.length === 0) {
    throw coreError('invalid_params', 'bundleBuild.no-download-defaults', { release: releaseDir }, 'kubespray');
  }
  const varsFiles = [...new Set([...general, ...download])];
  const templates = listTemplates(
    await Promise.all(downloadFiles.map(async (path) => ({ path, text: await readFile(path, 'utf8') }))),
  );
  const namedTargets = targets.map((target, index) => ({
    name: `target${index}`,
    kube_version: kubeVersionOf(target.kubernetesVersion),
    image_arch: target.architecture,
    // Facts are given, not gathered: the lists are for the target architecture, not this build machine's.
    machine: machineNames[target.architecture],
  }));
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-lists-'));
  try {
    await writeFile(join(workDir, 'files.list.j2'), templates.files);
    await writeFile(join(workDir, 'images.list.j2'), templates.images);
    await writeFile(join(workDir, 'render-lists.yml'), templatePlaybookText(listsTask, varsFiles, workDir));
    await writeFile(
      join(workDir, 'targets.json'),
      JSON.stringify({ airspray_targets: namedTargets, ansible_python_interpreter: '/usr/bin/python3' }),
    );
    const described = joinValues(
      targets.map((target) => `Kubernetes ${kubeVersionOf(target.kubernetesVersion)} (${target.architecture})`),
    );
    await runLocalPlaybook(
      workDir,
      ['-i', 'localhost,', '-e', `@${join(workDir, 'targets.json')}`, join(workDir, 'render-lists.yml')],
      {
        ...options,
        failure: { id: 'bundleBuild.lists-not-rendered', params: { targets: described } },
        orLists: true,
      },
    );
    const files = new Set<string>();
    const images = new Set<string>();
    for (const target of namedTargets) {
      for (const line of distinctLines(await readFile(join(workDir, `${target.name}-files.list`), 'utf8')))
        files.add(line);
      for (const line of distinctLines(await readFile(join(workDir, `${target.name}-images.list`), 'utf8')))
        images.add(line);
    }
    return { files: [...files], images: [...images] };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * A kubespray release as published: its folder, or a tarball unpacked into a temp folder (removed by `cleanup`).
 * A member path that is absolute or climbs with "..", or a symbolic link leading outside the release, is refused by
 * name.
 */
export async function openKubesprayRelease(path: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const info = await exists(path);
  if (!info) throw coreError('not_found', 'bundleBuild.kubespray-missing', { path }, 'kubespray');
  if (info.isDirectory()) {
    refuseEscapingLinks(await readFolderLinks(path, linkRoot));
    return { dir: path, cleanup: async () => undefined };
  }
  const target = await mkdtemp(join(tmpdir(), 'airspray-kubespray-'));
  const cleanup = () => rm(target, { recursive: true, force: true });
  try {
    await refuseUnsafeMembers(path);
    await run('tar', ['-xf', path, '-C', target]);
    const entries = await readdir(target, { withFileTypes: true });
    // Release tarballs hold one top folder (kubespray-2.23.3/), git archive's --prefix and GitHub's alike.
    const dir = entries.length === 1 && entries[0]!.isDirectory() ? join(target, entries[0]!.name) : target;
    refuseEscapingLinks(await readFolderLinks(dir, linkRoot));
    return { dir, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof AirsprayError) throw error;
    throw coreError(
      'invalid_params',
      'bundleBuild.kubespray-unreadable',
      { path, problem: (error as Error).message.split('\n')[0] ?? '' },
      'kubespray',
    );
  }
}

/**
 * tar would strip a leading "/" or skip ".." members with a warning; a release has neither, so such a tarball is
 * refused.
 */
async function refuseUnsafeMembers(tarball: string): Promise<void> {
  const { stdout } = await run('tar', ['-tf', tarball], { maxBuffer: 256 * 1024 * 1024 });
  for (const member of stdout.split('\n').filter((line) => line !== '')) {
    if (member.startsWith('/') || member.split('/').includes('..')) {
      throw coreError('invalid_params', 'bundleBuild.kubespray-member-unsafe', { path: tarball, member }, 'kubespray');
    }
  }
}
