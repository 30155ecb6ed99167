import { FormattedMessage } from 'react-intl';
import type { BundleSearchResult } from '../../../electron/common/bundle';
import { PackageIcon } from '../../ui/icons';

/** Says where a bundle goes, naming the real folder beside the app when the app reported one. */
export function NoBundlesFound({ folders }: { folders: BundleSearchResult['searchedFolders'] }) {
  const stickFolder = folders.find((folder) => folder.source === 'stick');
  return (
    <div className="empty-state">
      <PackageIcon className="empty-state__icon" width="24" height="24" />
      <h3 className="empty-state__title">
        <FormattedMessage id="bundle.none.title" />
      </h3>
      <p>
        <FormattedMessage
          id="bundle.none.body"
          values={{
            bundles: <code>bundles/</code>,
            folder: stickFolder ? (
              <>
                {' '}
                (<code className="path">{stickFolder.path}</code>)
              </>
            ) : null,
            example: <code>bundles/kubespray-2.23.3-k8s-1.27.10/</code>,
            manifest: <code>manifest.json</code>,
          }}
        />
      </p>
    </div>
  );
}
