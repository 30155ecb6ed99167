import type { BundleFolder } from '../../../electron/common/bundle';

/** How each place the app looks for bundles is named on screen. */
export const bundleSourceLabels: Record<BundleFolder['source'], string> = {
  stick: 'Beside the app',
  'data-dir': 'Data folder',
  option: 'Command-line option',
};
