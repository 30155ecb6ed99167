import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { create as createTar } from 'tar';
import { ZipFile } from 'yazl';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { Variables } from './inventory-variables';
import { readGroupVarsFile, type InventorySource } from './parse-inventory';
import type { InventoryFile } from './render-inventory';
import { coreError } from '../i18n/format-core-message';

export const exportFormats = ['folder', 'zip', 'tar.gz'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Archive entries carry this time instead of "now", so two exports of one plan are byte-identical. */
const fixedMtime = new Date('2000-01-01T00:00:00Z');

/** Writes the files under `folder` (created if missing); files Airspray does not write are left alone. */
export async function writeInventoryFolder(files: readonly InventoryFile[], folder: string): Promise<void> {
  for (const file of files) {
    const target = join(folder, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, file.content, 0o644);
  }
}

export function zipInventory(files: readonly InventoryFile[], rootName: string): Promise<Buffer> {
  const zip = new ZipFile();
  for (const file of files)
    zip.addBuffer(Buffer.from(file.content, 'utf8'), `${rootName}/${file.path}`, { mtime: fixedMtime, mode: 0o100644 });
  zip.end();
  return collect(zip.outputStream);
}

export async function tarGzInventory(files: readonly InventoryFile[], rootName: string): Promise<Buffer> {
  const staging = await mkdtemp(join(tmpdir(), 'airspray-export-'));
  try {
    await writeInventoryFolder(files, join(staging, rootName));
    const archive = join(staging, 'inventory.tar.gz');
    // portable: no owner, group or device numbers from this machine in the archive.
    await createTar(
      { gzip: true, portable: true, mtime: fixedMtime, cwd: staging, file: archive },
      files.map((file) => `${rootName}/${file.path}`),
    );
    return await readFile(archive);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function archiveInventory(
  files: readonly InventoryFile[],
  format: Exclude<ExportFormat, 'folder'>,
  rootName: string,
): Promise<Buffer> {
  return format === 'zip' ? zipInventory(files, rootName) : tarGzInventory(files, rootName);
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const inventoryFileNames = ['hosts.yaml', 'hosts.yml', 'inventory.ini', 'hosts.ini', 'hosts'];

/** One group variables file: `group_vars/<group>.yml` (name null) or `group_vars/<group>/<name>`. */
export interface GroupVarsText {
  group: string;
  name: string | null;
  text: string;
  origin: string;
}

/** Merges group variables per group: a group's folder files in name order, then its `<group>.yml`. */
export function mergeGroupVars(files: readonly GroupVarsText[]): Record<string, Variables> {
  const order = (file: GroupVarsText) => [file.group, file.name === null ? 1 : 0, file.name ?? ''] as const;
  const sorted = [...files].sort((a, b) => {
    const [ga, ka, na] = order(a);
    const [gb, kb, nb] = order(b);
    return ga.localeCompare(gb) || ka - kb || na.localeCompare(nb);
  });
  const result: Record<string, Variables> = {};
  for (const file of sorted)
    result[file.group] = { ...(result[file.group] ?? {}), ...readGroupVarsFile(file.text, file.origin) };
  return result;
}

/** group_vars/<group>.yml files and group_vars/<group>/*.yml folders beside an inventory on disk. */
async function readGroupVars(folder: string): Promise<Record<string, Variables>> {
  const root = join(folder, 'group_vars');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const files: GroupVarsText[] = [];
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      for (const name of (await readdir(path)).filter((candidate) => /\.ya?ml$/.test(candidate))) {
        files.push({
          group: entry.name,
          name,
          text: await readFile(join(path, name), 'utf8'),
          origin: join(path, name),
        });
      }
    } else if (/\.ya?ml$/.test(entry.name)) {
      files.push({
        group: entry.name.replace(/\.ya?ml$/, ''),
        name: null,
        text: await readFile(path, 'utf8'),
        origin: path,
      });
    }
  }
  return mergeGroupVars(files);
}

/** A folder (hosts.yaml preferred over inventory.ini), a hosts.yaml or an .ini; group_vars beside it are read too. */
export async function readInventorySource(path: string): Promise<InventorySource> {
  const info = await stat(path).catch(() => {
    throw coreError('not_found', 'inventory.path-missing', { path }, 'path');
  });
  let file = path;
  if (info.isDirectory()) {
    const names = new Set(await readdir(path));
    const found =
      inventoryFileNames.find((name) => names.has(name)) ?? [...names].sort().find((name) => name.endsWith('.ini'));
    if (!found) throw coreError('not_found', 'inventory.folder-without-inventory', { path }, 'path');
    file = join(path, found);
  }
  const extension = extname(file).toLowerCase();
  const kind = extension === '.yaml' || extension === '.yml' ? 'yaml' : 'ini';
  return {
    kind,
    text: await readFile(file, 'utf8'),
    origin: basename(file),
    groupVars: await readGroupVars(dirname(file)),
  };
}
