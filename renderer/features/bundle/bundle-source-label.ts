import type { BundleFolder } from '../../../electron/common/bundle';
import type { MessageId } from '../../i18n/catalogs';

/** How each place the app looks for bundles is named on screen. */
export const bundleSourceLabels: Record<BundleFolder['source'], MessageId> = {
  stick: 'bundle.source.stick',
  'data-dir': 'bundle.source.dataDir',
  option: 'bundle.source.option',
};
