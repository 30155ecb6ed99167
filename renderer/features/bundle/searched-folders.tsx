import { FormattedMessage, useIntl } from 'react-intl';
import type { BundleSearchResult } from '../../../electron/common/bundle';
import { bundleSourceLabels } from './bundle-source-label';
import { TableHead } from '../../ui/table-head';
import { Note } from '../../ui/note';

/** Every place the app looked, so a missing bundle can be traced to a missing or mistyped folder. */
export function SearchedFolders({ folders }: { folders: BundleSearchResult['searchedFolders'] }) {
  const intl = useIntl();
  return (
    <section className="panel" aria-labelledby="searched-folders-title">
      <h2 id="searched-folders-title" className="section-title">
        <FormattedMessage id="bundle.searched.title" />
      </h2>
      {folders.length === 0 ? (
        <Note id="bundle.searched.none" />
      ) : (
        <table className="table">
          <TableHead
            columns={(['bundle.card.folder', 'bundle.searched.where', 'bundle.searched.status'] as const).map((id) =>
              intl.formatMessage({ id }),
            )}
          />
          <tbody>
            {folders.map((folder) => (
              <tr key={folder.path}>
                <td>
                  <code className="path">{folder.path}</code>
                </td>
                <td>{intl.formatMessage({ id: bundleSourceLabels[folder.source] })}</td>
                <td>
                  <span className={folder.exists ? 'status status--ok' : 'status status--muted'}>
                    <FormattedMessage id={folder.exists ? 'bundle.searched.exists' : 'bundle.searched.missing'} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
