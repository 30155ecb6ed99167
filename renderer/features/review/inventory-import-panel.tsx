import { useEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import { joinItems } from '../../i18n/join-items';
import { useShallow } from 'zustand/react/shallow';
import { selectPlan } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { ConfirmButtons } from '../../ui/confirm-buttons';
import { describeImportChanges, roleGroups, type HostChange } from './import-changes';
import { chooseFolderFiles, chooseLooseFiles, groupChoices, toUpload, type ChosenInventoryFile } from './upload-files';
import { TableHead } from '../../ui/table-head';
import './review.css';
import { Note } from '../../ui/note';
import { Callout } from '../../ui/callout';

const changeText: Record<HostChange, MessageId> = {
  added: 'review.status.new',
  removed: 'review.status.removed',
  changed: 'review.status.changed',
  same: 'review.status.unchanged',
};

function ImportPreviewView() {
  const intl = useIntl();
  const { preview, plan } = useAirspray(
    useShallow((state) => ({ preview: state.importPreview, plan: selectPlan(state) })),
  );
  if (!preview || !plan) return null;
  const changes = describeImportChanges(plan, preview.plan, intl);
  const none = intl.formatMessage({ id: 'review.import.none' });
  return (
    <section className="import-preview" aria-label={intl.formatMessage({ id: 'review.import.changes' })}>
      <table className="host-table" aria-label={intl.formatMessage({ id: 'review.import.hosts' })}>
        <TableHead
          columns={(
            ['review.import.host', 'review.import.address', 'review.import.groups', 'review.import.change'] as const
          ).map((id) => intl.formatMessage({ id }))}
        />
        <tbody>
          {changes.hosts.map((host) => (
            <tr key={`${host.change}-${host.name}`} className={`import-row--${host.change}`}>
              <td className="mono">{host.name}</td>
              <td className="mono">{host.address}</td>
              <td>
                {joinItems(
                  intl,
                  (Object.keys(roleGroups) as (keyof typeof roleGroups)[])
                    .filter((role) => host.roles[role])
                    .map((role) => roleGroups[role]),
                ) || '—'}
              </td>
              <td>
                <span className={`badge${host.change === 'same' ? '' : ' badge--attention'}`}>
                  {intl.formatMessage({ id: changeText[host.change] })}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="import-preview__groups" aria-label={intl.formatMessage({ id: 'review.import.groupsAfter' })}>
        {changes.groups.map((group) => (
          <li key={group.role}>
            <span className="mono">{roleGroups[group.role]}</span>{' '}
            {group.before === group.after ? group.after : `${group.before} → ${group.after}`}
          </li>
        ))}
        <li>
          <FormattedMessage id="review.import.deployNode" />{' '}
          {changes.deployNode.before === changes.deployNode.after
            ? (changes.deployNode.after ?? none)
            : `${changes.deployNode.before ?? none} → ${changes.deployNode.after ?? none}`}
        </li>
      </ul>
      {changes.settings.length > 0 ? (
        <table className="host-table" aria-label={intl.formatMessage({ id: 'review.import.settings' })}>
          <TableHead
            columns={(['review.import.setting', 'review.import.now', 'review.import.after'] as const).map((id) =>
              intl.formatMessage({ id }),
            )}
          />
          <tbody>
            {changes.settings.map((setting) => (
              <tr key={setting.label}>
                <td>{intl.formatMessage({ id: setting.label })}</td>
                <td className="mono import-preview__value">{setting.before}</td>
                <td className="mono import-preview__value">{setting.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Note id="review.import.noSettings" small />
      )}
      {preview.notes.length > 0 && (
        <ul className="import-preview__notes" aria-label={intl.formatMessage({ id: 'review.import.notImported' })}>
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
  const intl = useIntl();
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

  const choose = async (
    files: FileList | null,
    read: (files: readonly File[], intl: IntlShape) => Promise<ChosenInventoryFile[]>,
  ) => {
    if (!files || files.length === 0) return;
    try {
      const next = await read([...files], intl);
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
      <h2 id="import-heading">
        <FormattedMessage id="review.import.title" />
      </h2>
      <p className="muted small">
        <FormattedMessage
          id="review.import.lead"
          values={{ hosts: <code>hosts.yaml</code>, ini: <code>.ini</code>, groupVars: <code>group_vars</code> }}
        />
      </p>
      <div className="plan-toolbar">
        <label className="btn">
          <FormattedMessage id="review.import.chooseFiles" />
          <input
            className="visually-hidden"
            type="file"
            multiple
            accept=".yaml,.yml,.ini"
            aria-label={intl.formatMessage({ id: 'review.import.files' })}
            onChange={(event) =>
              void choose(event.target.files, chooseLooseFiles).finally(() => (event.target.value = ''))
            }
          />
        </label>
        <label className="btn">
          <FormattedMessage id="review.import.chooseFolder" />
          <input
            ref={folderInput}
            className="visually-hidden"
            type="file"
            aria-label={intl.formatMessage({ id: 'review.import.folder' })}
            onChange={(event) =>
              void choose(event.target.files, chooseFolderFiles).finally(() => (event.target.value = ''))
            }
          />
        </label>
      </div>

      {chosen.length === 0 && preview && (
        // Back on the step with a preview still open: the files it came from, as they were sent.
        <ul className="import-panel__files" aria-label={intl.formatMessage({ id: 'review.import.chosen' })}>
          {preview.files.map((file) => (
            <li key={file.path}>
              <span className="mono">{file.path}</span>
            </li>
          ))}
        </ul>
      )}
      {chosen.length > 0 && (
        <ul className="import-panel__files" aria-label={intl.formatMessage({ id: 'review.import.chosen' })}>
          {chosen.map((file, index) => (
            <li key={`${file.folderPath ?? file.name}-${index}`}>
              <span className="mono">{file.folderPath ?? file.name}</span>
              {file.group === null ? (
                <span className="badge">
                  <FormattedMessage id="review.import.inventoryBadge" />
                </span>
              ) : file.folderPath ? null : (
                <label>
                  <span className="muted small">
                    <FormattedMessage id="review.import.groupVarsOf" />{' '}
                  </span>
                  <select
                    aria-label={intl.formatMessage({ id: 'review.import.groupOf' }, { file: file.name })}
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
        <Callout tone="danger" role="alert" lines>
          {readError ?? error}
        </Callout>
      )}

      {preview && (
        <>
          <Callout tone="info">
            <FormattedMessage id="review.import.replaces" />
          </Callout>
          <ImportPreviewView />
          <div className="plan-toolbar">
            <ConfirmButtons
              confirm={<FormattedMessage id="review.import.replace" />}
              keep={<FormattedMessage id="bundle.cancel" />}
              disabled={status === 'loading'}
              onConfirm={() => void confirmImport().then((done) => done && setChosen([]))}
              onKeep={reset}
            />
          </div>
        </>
      )}
    </section>
  );
}
