import type { Api } from '../../electron/common/api';
import type { UpgradeOptions, UpgradePresetName, UpgradeRecord } from '../../electron/common/upgrade';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callOpenProjectHosts, readOpenProject } from './host-call';
import { isStillOpen } from './session-slice';

/** What an upgrade is asked for: a bundle on the stick, or a preset, and whether to pause between nodes. */
export interface UpgradeChoiceInput {
  bundleId?: string;
  preset?: UpgradePresetName;
  pauseBetweenNodes: boolean;
}

export interface UpgradeSlice {
  /** The open project's upgrade targets (allowed or refused) and its last upgrade; null until read. */
  upgradeOptions: UpgradeOptions | null;
  upgradeError: FieldError | null;
  /** Reads the targets the bundles found allow (no login). */
  loadUpgradeOptions(): Promise<void>;
  /** Starts or goes on with an upgrade with the selected profile; upgrade.updated follows it. */
  startUpgrade(choice: UpgradeChoiceInput): Promise<void>;
  /** Keeps the last upgrade current from `upgrade.updated` until called. */
  watchUpgrades(): () => void;
}

export function createUpgradeSlice(api: Api): SliceCreator<UpgradeSlice> {
  return (set, get) => {
    const recordUpgrade = (record: UpgradeRecord) => {
      const options = get().upgradeOptions;
      if (options && isStillOpen(get(), record.projectId))
        set({ upgradeOptions: { ...options, last: record } }, false, 'upgrade/updated');
    };
    return {
      upgradeOptions: null,
      upgradeError: null,

      loadUpgradeOptions: () =>
        readOpenProject(get, (projectId) => api.call('upgrade.options', { projectId }), {
          done: (options) => set({ upgradeOptions: options, upgradeError: null }, false, 'upgrade/options'),
          failed: (error) => set({ upgradeError: error }, false, 'upgrade/options-failed'),
        }),

      startUpgrade: (choice) =>
        callOpenProjectHosts(get, (params) => api.call('upgrade.start', { ...params, ...choice }), {
          refused: (error) => set({ upgradeError: error }, false, 'upgrade/refused'),
          busy: () => set({ upgradeError: null }, false, 'upgrade/starting'),
          done: (record) => recordUpgrade(record),
          failed: (error) => set({ upgradeError: error }, false, 'upgrade/failed'),
        }),

      watchUpgrades: () => api.subscribe('upgrade.updated', recordUpgrade),
    };
  };
}
