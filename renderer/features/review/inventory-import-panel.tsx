import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectPlan } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, InfoIcon } from '../../ui/icons';
import { describeImportChanges, roleGroups, type HostChange } from './import-changes';
import { chooseFolderFiles, chooseLooseFiles, groupChoices, toUpload, type ChosenInventoryFile } from './upload-files';
import './review.css';

const changeText: Record<HostChange, string> = {
  added: 'new',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

function ImportPreviewView() {
  const { preview, plan } = useAirspray(
    useShallow((state) => ({ preview: state.importPreview, plan: selectPlan(state) })),
  );
  if (!preview || !plan) return null;
  const changes = describeImportChanges(plan, preview.plan);
  return (
    <section className="import-preview" aria-label="What the import changes">
      <table className="host-table" aria-label="Hosts after the import">
        <thead>
          <tr>
            <th>Host</th>
            <th>Address</th>
            <th>Groups</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {changes.hosts.map((host) => (
            <tr key={`${host.change}-${host.name}`} className={`import-row--${host.change}`}>
              <td className="mono">{host.name}</td>
              <td className="mono">{host.address}</td>
              <td>
                {(Object.keys(roleGroups) as (keyof typeof roleGroups)[])
                  .filter((role) => host.roles[role])
                  .map((role) => roleGroups[role])
                  .join(', ') || '—'}
              </td>
              <td>
                <span className={`badge${host.change === 'same' ? '' : ' badge--attention'}`}>
                  {changeText[host.change]}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="import-preview__groups" aria-label="Groups after the import">
        {changes.groups.map((group) => (
          <li key={group.role}>
            <span className="mono">{roleGroups[group.role]}</span>{' '}
            {group.before === group.after ? group.after : `${group.before} → ${group.after}`}
          </li>
        ))}
        <li>
          deploy node{' '}
          {changes.deployNode.before === changes.deployNode.after
            ? (changes.deployNode.after ?? 'none')
            : `${changes.deployNode.before ?? 'none'} → ${changes.deployNode.after ?? 'none'}`}
        </li>
      </ul>
      {changes.settings.length > 0 ? (
        <table className="host-table" aria-label="Settings the import changes">
          <thead>
            <tr>
              <th>Setting</th>
              <th>Now</th>
              <th>After the import</th>
            </tr>
          </thead>
          <tbody>
            {changes.settings.map((setting) => (
              <tr key={setting.label}>
                <td>{setting.label}</td>
                <td className="mono import-preview__value">{setting.before}</td>
                <td className="mono import-preview__value">{setting.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">No setting changes.</p>
      )}
      {preview.notes.length > 0 && (
        <ul className="import-preview__notes" aria-label="Not imported">
          {preview.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Import an existing kubespray inventory from files on the operator's machine: preview first, then replace the plan.
 */
export function InventoryImportPanel() {
  const { status, error, preview } = useAirspray(
    useShallow((state) => ({ status: state.importStatus, error: state.importError, preview: state.importPreview })),
  );
  const previewImport = useAirspray((state) => state.previewImport);
  const confirmImport = useAirspray((state) => state.confirmImport);
  const cancelImport = useAirspray((state) => state.cancelImport);
  const [chosen, setChosen] = useState<ChosenInventoryFile[]>([]);
  const [readError, setReadError] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // React has no prop for it: lets the picker return a whole inventory folder with its group_vars/.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const choose = async (files: FileList | null, read: (files: readonly File[]) => Promise<ChosenInventoryFile[]>) => {
    if (!files || files.length === 0) return;
    try {
      const next = await read([...files]);
      setReadError(null);
      setChosen(next);
      await previewImport(toUpload(next));
    } catch (failure) {
      setReadError((failure as Error).message);
    }
  };
  const regroup = (index: number, group: string) => {
    const next = chosen.map((file, at) => (at === index ? { ...file, group } : file));
    setChosen(next);
    void previewImport(toUpload(next));
  };
  const reset = () => {
    setChosen([]);
    cancelImport();
  };

  return (
    <section className="import-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import an existing inventory</h2>
      <p className="muted small">
        A kubespray <code>hosts.yaml</code> or <code>.ini</code> (legacy group names too) and its{' '}
        <code>group_vars</code> files. You see what changes before anything is replaced; the chosen bundle stays.
      </p>
      <div className="plan-toolbar">
        <label className="btn">
          Choose files…
          <input
            className="visually-hidden"
            type="file"
            multiple
            accept=".yaml,.yml,.ini"
            aria-label="Inventory files"
            onChange={(event) =>
              void choose(event.target.files, chooseLooseFiles).finally(() => (event.target.value = ''))
            }
          />
        </label>
        <label className="btn">
          Choose a folder…
          <input
            ref={folderInput}
            className="visually-hidden"
            type="file"
            aria-label="Inventory folder"
            onChange={(event) =>
              void choose(event.target.files, chooseFolderFiles).finally(() => (event.target.value = ''))
            }
          />
        </label>
      </div>

      {chosen.length === 0 && preview && (
        // Back on the step with a preview still open: the files it came from, as they were sent.
        <ul className="import-panel__files" aria-label="Chosen files">
          {preview.files.map((file) => (
            <li key={file.path}>
              <span className="mono">{file.path}</span>
            </li>
          ))}
        </ul>
      )}
      {chosen.length > 0 && (
        <ul className="import-panel__files" aria-label="Chosen files">
          {chosen.map((file, index) => (
            <li key={`${file.folderPath ?? file.name}-${index}`}>
              <span className="mono">{file.folderPath ?? file.name}</span>
              {file.group === null ? (
                <span className="badge">inventory</span>
              ) : file.folderPath ? null : (
                <label>
                  <span className="muted small">group_vars of </span>
                  <select
                    aria-label={`Group of ${file.name}`}
                    value={file.group}
                    onChange={(event) => regroup(index, event.target.value)}
                  >
                    {groupChoices.map((group) => (
                      <option key={group} value={group}>
                        {group}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </li>
          ))}
        </ul>
      )}

      {(readError ?? error) && (
        <div className="callout callout--danger" role="alert">
          <AlertIcon />
          <div className="callout__body callout__body--lines">{readError ?? error}</div>
        </div>
      )}

      {preview && (
        <>
          <div className="callout callout--info">
            <InfoIcon />
            <div className="callout__body">
              Importing replaces every host, role, the deploy node and the settings of this plan with the ones below.
            </div>
          </div>
          <ImportPreviewView />
          <div className="plan-toolbar">
            <button
              type="button"
              className="btn btn--primary"
              disabled={status === 'loading'}
              onClick={() => void confirmImport().then((done) => done && setChosen([]))}
            >
              Replace the plan
            </button>
            <button type="button" className="btn btn--ghost" onClick={reset}>
              Cancel
            </button>
          </div>
        </>
      )}
    </section>
  );
}
