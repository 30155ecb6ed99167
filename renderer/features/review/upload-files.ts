import type { IntlShape } from 'react-intl';
import { maxImportFileBytes, type InventoryUpload } from '../../../electron/common/inventory-api';

/** One chosen file: the inventory itself, or group variables with the group they belong to. */
export interface ChosenInventoryFile {
  name: string;
  content: string;
  /** null for the inventory file (hosts.yaml or .ini). */
  group: string | null;
  /** Kept from a chosen folder: group_vars/<group>/<name> as it lay there. */
  folderPath?: string;
}

export const groupChoices = ['all', 'k8s_cluster', 'etcd', 'kube_control_plane', 'kube_node', 'calico_rr'] as const;

const inventoryNames = /^(hosts|inventory)\.ya?ml$|\.ini$/i;

/** Where a loose variables file most likely belongs, following kubespray's sample inventory layout. */
export function guessGroup(fileName: string): string {
  const stem = fileName.replace(/\.ya?ml$/i, '');
  if ((groupChoices as readonly string[]).includes(stem)) return stem;
  if (stem === 'k8s-cluster' || stem === 'addons' || stem.startsWith('k8s-net-')) return 'k8s_cluster';
  return 'all';
}

async function readText(file: File, intl: IntlShape): Promise<string> {
  if (file.size > maxImportFileBytes)
    throw new Error(
      intl.formatMessage(
        { id: 'review.import.tooLarge' },
        { file: file.name, kib: Math.ceil(file.size / 1024), maxKib: maxImportFileBytes / 1024 },
      ),
    );
  return file.text();
}

/** Files picked one by one: .ini and hosts.yaml are the inventory, every other YAML file is group variables. */
export async function chooseLooseFiles(files: readonly File[], intl: IntlShape): Promise<ChosenInventoryFile[]> {
  return Promise.all(
    files.map(async (file) => ({
      name: file.name,
      content: await readText(file, intl),
      group: inventoryNames.test(file.name) ? null : guessGroup(file.name),
    })),
  );
}

/** A chosen folder: its top-level inventory file and everything under its group_vars/; other files are left out. */
export async function chooseFolderFiles(files: readonly File[], intl: IntlShape): Promise<ChosenInventoryFile[]> {
  const chosen: ChosenInventoryFile[] = [];
  for (const file of files) {
    const parts = file.webkitRelativePath.split('/').slice(1);
    if (parts.length === 1 && /\.(ya?ml|ini)$/i.test(parts[0]!) && inventoryNames.test(parts[0]!)) {
      chosen.push({ name: parts[0]!, content: await readText(file, intl), group: null });
    } else if (parts[0] === 'group_vars' && /\.ya?ml$/i.test(file.name) && (parts.length === 2 || parts.length === 3)) {
      const group = parts.length === 2 ? file.name.replace(/\.ya?ml$/i, '') : parts[1]!;
      chosen.push({ name: file.name, content: await readText(file, intl), group, folderPath: parts.join('/') });
    }
  }
  return chosen;
}

/** The contract's upload: the inventory at the top, variables as group_vars/<group>/<name>. */
export function toUpload(files: readonly ChosenInventoryFile[]): InventoryUpload {
  return files.map((file) => ({
    path: file.group === null ? file.name : (file.folderPath ?? `group_vars/${file.group}/${file.name}`),
    content: file.content,
  }));
}
