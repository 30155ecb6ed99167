import { joinValues } from '../../common/core-messages';
import type { InventoryUpload } from '../../common/inventory-api';
import { mergeGroupVars, type GroupVarsText } from './inventory-files';
import type { InventorySource } from './parse-inventory';
import { coreError } from '../i18n/format-core-message';

/**
 * Uploaded files as the same source a folder on disk gives: the one inventory file at the top and its
 * group_vars. Paths are already checked by the contract's schema.
 */
export function inventorySourceFromUpload(files: InventoryUpload): InventorySource {
  const inventories = files.filter((file) => !file.path.startsWith('group_vars/'));
  if (inventories.length !== 1) {
    const found = inventories.map((file) => file.path);
    throw coreError(
      'bad_request',
      'inventory.upload-not-one',
      { foundCount: found.length, found: joinValues(found) },
      'files',
    );
  }
  const inventory = inventories[0]!;
  const groupVars: GroupVarsText[] = files
    .filter((file) => file.path.startsWith('group_vars/'))
    .map((file) => {
      const [group, name] = file.path.slice('group_vars/'.length).split('/') as [string, string | undefined];
      return name === undefined
        ? { group: group.replace(/\.ya?ml$/, ''), name: null, text: file.content, origin: file.path }
        : { group, name, text: file.content, origin: file.path };
    });
  const kind = /\.ya?ml$/i.test(inventory.path) ? 'yaml' : 'ini';
  return { kind, text: inventory.content, origin: inventory.path, groupVars: mergeGroupVars(groupVars) };
}
