import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { parse } from 'yaml';
import type { BundleManifest } from '../../common/bundle-manifest';
import type { ClusterPlan } from '../../common/cluster-plan';
import { joinValues, type CoreMessage } from '../../common/core-messages';
import type { DownloadFinding, DownloadItem } from '../../common/download-check';
import {
  downloadDefaults,
  kubeadmImages,
  kubesprayDefaultsFiles,
  machineNames,
  runLocalPlaybook,
  targetFacts,
  templatePlaybookText,
  type TemplateTask,
} from '../bundles/build/derive-kubespray-lists';
import { renderInventory } from './render-inventory';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';

type Architecture = BundleManifest['architectures'][number];
/** Paths where Ansible runs, a Linux machine whatever this one is. */
const { dirname, join } = posix;

/**
 * The download set of one plan: what kubespray fetches, and where the plan points it (rendered as kubespray sees it).
 */
export interface DownloadSet {
  items: DownloadItem[];
  filesRepo: string;
  registryHost: string;
}

/**
 * Each `downloads` entry as a JSON line, the way kubespray's download role decides (roles/download/tasks/main.yml):
 * enabled, a container only while download_container, and only when a host of the plan is in one of its groups;
 * nothing with skip_downloads. kubeadm's own images when there is a control plane, unless skip_kubeadm_images.
 */
const entriesTemplate = [
  '{"files_repo": {{ (files_repo | default("")) | to_json }}, "registry_host": {{ (registry_host | default("")) | to_json }},',
  ' "kube_image_repo": {{ kube_image_repo | to_json }}, "kube_version": {{ kube_version | to_json }},',
  '{% set fetching = not (skip_downloads | default(false) | bool) %}',
  ' "kubeadm_images": {{ (fetching and groups["kube_control_plane"] | default([]) | length > 0 and download_container | bool',
  '    and not (skip_kubeadm_images | default(false) | bool)) | to_json }}, "entries": [',
  '{% for name, entry in downloads.items() %}{% set container = entry.container | default(false) | bool %}',
  '{{ {"key": name, "container": container, "url": entry.url | default(""), "image": (entry.repo ~ ":" ~ entry.tag) if container else "",',
  '    "enabled": fetching and (entry.enabled | bool) and (not container or download_container | bool)',
  '      and (groups | dict2items | selectattr("key", "in", entry.groups | default([])) | map(attribute="value") | flatten | length > 0)} | to_json }}',
  '{{ "" if loop.last else "," }}{% endfor %}]}',
  '',
].join('\n');

const downloadsTask: TemplateTask = {
  purpose: "renders what kubespray's download role would fetch for a plan, per architecture",
  src: 'downloads.json.j2',
  dest: '{{ item.image_arch }}.json',
  vars: targetFacts('item'),
  loop: '{{ airspray_targets }}',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** `{{ calico_node_image_repo }}` → calico_node_image_repo; a longer expression names no single variable. */
const variableOf = (value: unknown) =>
  typeof value === 'string' ? /^\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}$/.exec(value.trim())?.[1] : undefined;

/** For each `downloads` entry, the variables the release points it with: its URL's, or its image's repo and tag. */
export function downloadVariables(defaultsTexts: readonly string[]): Map<string, { file: string[]; image: string[] }> {
  const variables = new Map<string, { file: string[]; image: string[] }>();
  for (const text of defaultsTexts) {
    // Failsafe: the values stay the Jinja the release wrote.
    const document: unknown = parse(text, { schema: 'failsafe' });
    if (!isRecord(document) || !isRecord(document.downloads)) continue;
    for (const [key, entry] of Object.entries(document.downloads)) {
      if (!isRecord(entry)) continue;
      const names = (...values: unknown[]) =>
        values.map(variableOf).filter((name): name is string => name !== undefined);
      variables.set(key, { file: names(entry.url), image: names(entry.repo, entry.tag) });
    }
  }
  return variables;
}

interface RenderedEntry {
  key: string;
  container: boolean;
  enabled: boolean;
  url: string;
  image: string;
}

interface RenderedTarget {
  files_repo: string;
  registry_host: string;
  kube_image_repo: string;
  kube_version: string;
  kubeadm_images: boolean;
  entries: RenderedEntry[];
}

function itemsOf(
  rendered: RenderedTarget,
  architecture: string,
  variables: ReturnType<typeof downloadVariables>,
): DownloadItem[] {
  const items: DownloadItem[] = [];
  for (const entry of rendered.entries.filter((candidate) => candidate.enabled)) {
    const known = variables.get(entry.key) ?? { file: [], image: [] };
    const kind = entry.container ? 'image' : 'file';
    const named = kind === 'image' ? known.image : known.file;
    items.push({
      key: entry.key,
      kind,
      variables: named.length > 0 ? named : [entry.key],
      reference: entry.container ? entry.image : entry.url,
      architecture,
    });
  }
  // kubeadm pulls the control-plane images itself, from kube_image_repo (roles/download/tasks/prep_kubeadm_images.yml).
  if (rendered.kubeadm_images) {
    for (const name of kubeadmImages) {
      items.push({
        key: 'kubeadm',
        kind: 'image',
        variables: ['kube_image_repo', 'kube_version'],
        reference: `${rendered.kube_image_repo}/${name}:${rendered.kube_version}`,
        architecture,
      });
    }
  }
  return items;
}

/** Where the download set is rendered: this machine, or the deploy node (over SSH) where the run will be. */
export interface RenderPlace {
  /** The release's defaults files there, general ones first. */
  defaultsFiles(releaseDir: string): Promise<{ general: string[]; download: string[] }>;
  readFile(path: string): Promise<string>;
  makeWorkDir(): Promise<string>;
  /** Writes a file, making its folder. */
  writeFile(path: string, content: string): Promise<void>;
  /** Runs ansible-playbook in `workDir`; a failure throws an error starting with `failure`. */
  runPlaybook(workDir: string, args: readonly string[], failure: CoreMessage): Promise<void>;
  remove(workDir: string): Promise<void>;
}

/** This machine, with Debian's ansible-playbook. */
export function localPlace(options: { ansiblePlaybook?: string } = {}): RenderPlace {
  return {
    defaultsFiles: kubesprayDefaultsFiles,
    readFile: (path) => readFile(path, 'utf8'),
    makeWorkDir: () => mkdtemp(join(tmpdir(), 'airspray-downloads-')),
    writeFile: async (path, content) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    },
    runPlaybook: (workDir, args, failure) => runLocalPlaybook(workDir, args, { ...options, failure }),
    remove: (workDir) => rm(workDir, { recursive: true, force: true }),
  };
}

/** Writes the render's inputs into `workDir`: the plan's inventory, the template, the playbook and the targets. */
async function writeRenderInputs(
  place: RenderPlace,
  workDir: string,
  releaseVars: readonly string[],
  plan: ClusterPlan,
  architectures: readonly Architecture[],
): Promise<void> {
  const inventory = renderInventory(plan, { generatorVersion: 'download-check' });
  for (const file of inventory) await place.writeFile(join(workDir, 'inventory', file.path), file.content);
  // The plan's group_vars after the release's defaults: as in a run, the inventory's values win. all/ before the
  // cluster group's.
  const planVars = inventory
    .filter((file) => file.path.startsWith('group_vars/'))
    .sort((a, b) => Number(!a.path.startsWith('group_vars/all/')) - Number(!b.path.startsWith('group_vars/all/')));
  const varsFiles = [...releaseVars, ...planVars.map((file) => join(workDir, 'inventory', file.path))];
  await place.writeFile(join(workDir, 'downloads.json.j2'), entriesTemplate);
  await place.writeFile(join(workDir, 'render-downloads.yml'), templatePlaybookText(downloadsTask, varsFiles, workDir));
  const targets = architectures.map((arch) => ({ image_arch: arch, machine: machineNames[arch] }));
  await place.writeFile(
    join(workDir, 'targets.json'),
    JSON.stringify({ airspray_targets: targets, ansible_python_interpreter: '/usr/bin/python3' }),
  );
}

/**
 * Renders the files and images kubespray's download role would fetch for this plan, with the release's own
 * defaults and the plan's exported group_vars, by ansible-playbook at `place`, once per architecture.
 */
export async function renderDownloadSet(
  releaseDir: string,
  plan: ClusterPlan,
  architectures: readonly Architecture[],
  place: RenderPlace = localPlace(),
  extraVars: Record<string, unknown> = {},
): Promise<DownloadSet> {
  const { general, download } = await place.defaultsFiles(releaseDir);
  if (download.length === 0)
    throw coreError(
      'unsupported',
      'inventory.no-download-role',
      { release: releaseDir, role: downloadDefaults[0]! },
      'bundle',
    );
  const variables = downloadVariables(await Promise.all(download.map((path) => place.readFile(path))));
  const workDir = await place.makeWorkDir();
  try {
    await writeRenderInputs(place, workDir, [...new Set([...general, ...download])], plan, architectures);
    // The run's own -e values, last: they win over everything, as they do in the run.
    await place.writeFile(join(workDir, 'extra-vars.json'), JSON.stringify(extraVars));
    const vars = ['-e', `@${join(workDir, 'targets.json')}`, '-e', `@${join(workDir, 'extra-vars.json')}`];
    const args = ['-i', join(workDir, 'inventory', 'hosts.yaml'), ...vars, join(workDir, 'render-downloads.yml')];
    await place.runPlaybook(workDir, args, {
      id: 'inventory.download-set-not-rendered',
      params: { architectures: joinValues(architectures) },
    });
    const set: DownloadSet = { items: [], filesRepo: '', registryHost: '' };
    for (const arch of architectures) {
      const rendered = JSON.parse(await place.readFile(join(workDir, `${arch}.json`))) as RenderedTarget;
      // An image is one multi-platform reference: asked for once, whatever the architectures.
      const seen = new Set(set.items.map((item) => `${item.kind} ${item.reference}`));
      set.items.push(
        ...itemsOf(rendered, arch, variables).filter((item) => !seen.has(`${item.kind} ${item.reference}`)),
      );
      set.filesRepo = rendered.files_repo;
      set.registryHost = rendered.registry_host;
    }
    return set;
  } finally {
    await place.remove(workDir);
  }
}

const withoutScheme = (url: string) => url.replace(/^[a-z]+:\/\//, '');

/** What the bundle holds, keyed the way the download set asks: a file's host and path, an image's repository:tag. */
function bundleContents(manifest: Pick<BundleManifest, 'files' | 'images'>): {
  files: Set<string>;
  images: Set<string>;
} {
  const files = new Set<string>();
  for (const file of manifest.files) {
    if (file.path.startsWith('files/')) files.add(file.path.slice('files/'.length));
    if (file.url) files.add(withoutScheme(file.url));
  }
  return { files, images: new Set(manifest.images.map((image) => `${image.repository}:${image.tag}`)) };
}

function findingOf(
  item: DownloadItem,
  problem: DownloadFinding['problem'],
  bundleId: string,
  servedFrom: string,
): DownloadFinding {
  const what = { kind: item.kind, reference: item.reference, variables: joinValues(item.variables) };
  const i18n: CoreMessage =
    problem === 'missing'
      ? { id: 'inventory.download-missing', params: { ...what, architecture: item.architecture, bundle: bundleId } }
      : {
          id: 'inventory.download-outside',
          params: { ...what, architecture: item.architecture, hasServer: servedFrom ? 'yes' : 'no', servedFrom },
        };
  return { ...item, problem, message: formatCoreMessage(i18n.id, i18n.params), i18n };
}

/**
 * Every item of the download set the bundle cannot serve: not under the deploy node's files_repo or registry_host
 * (kubespray would reach out), or served there but absent from the bundle's manifest.
 */
export function checkDownloadSet(
  set: DownloadSet,
  manifest: Pick<BundleManifest, 'bundleId' | 'files' | 'images'>,
): DownloadFinding[] {
  const contents = bundleContents(manifest);
  const findings: DownloadFinding[] = [];
  for (const item of set.items) {
    const prefix = `${item.kind === 'file' ? set.filesRepo : set.registryHost}/`;
    const servedFrom = prefix.slice(0, -1);
    if (servedFrom === '' || !item.reference.startsWith(prefix)) {
      findings.push(findingOf(item, 'outside', manifest.bundleId, servedFrom));
      continue;
    }
    const served = item.reference.slice(prefix.length);
    if (!(item.kind === 'file' ? contents.files : contents.images).has(served))
      findings.push(findingOf(item, 'missing', manifest.bundleId, servedFrom));
  }
  return findings;
}
