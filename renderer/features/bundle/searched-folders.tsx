import type { BundleSearchResult } from '../../../electron/common/bundle';
import { bundleSourceLabels } from './bundle-source-label';
import { TableHead } from '../../ui/table-head';

/** Every place the app looked, so a missing bundle can be traced to a missing or mistyped folder. */
export function SearchedFolders({ folders }: { folders: BundleSearchResult['searchedFolders'] }) {
  return (
    <section className="panel" aria-labelledby="searched-folders-title">
      <h2 id="searched-folders-title" className="section-title">
        Folders searched
      </h2>
      {folders.length === 0 ? (
        <p className="muted">The app did not name any folder to search.</p>
      ) : (
        <table className="table">
          <TableHead columns={['Folder', 'Where', 'Status']} />
          <tbody>
            {folders.map((folder) => (
              <tr key={folder.path}>
                <td>
                  <code className="path">{folder.path}</code>
                </td>
                <td>{bundleSourceLabels[folder.source]}</td>
                <td>
                  {folder.exists ? (
                    <span className="status status--ok">Exists</span>
                  ) : (
                    <span className="status status--muted">Does not exist</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
