import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../../i18n/catalogs';
import {
  ArchiveFormatSchema,
  type ArchiveFormat,
  type InventoryFilePreview,
} from '../../../electron/common/inventory-api';
import { hasBlockingFindings } from '../../../electron/common/plan-validation';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { FindingsList } from '../../ui/findings-list';
import { AlertIcon, CheckIcon, RefreshIcon } from '../../ui/icons';
import { DownloadCheckPanel } from './download-check-panel';
import { InventoryImportPanel } from './inventory-import-panel';
import { diffLines } from './line-diff';
import '../plan/plan.css';
import { ErrorText } from '../../ui/error-text';
import { formatDateTime } from '../../ui/format-date-time';

const statusText: Record<InventoryFilePreview['status'], MessageId> = {
  new: 'review.status.new',
  changed: 'review.status.changed',
  unchanged: 'review.status.unchanged',
  removed: 'review.status.removed',
};

/** Hands an archive to the browser as a download (browser mode). */
function download(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function FileView({ file }: { file: InventoryFilePreview }) {
  const intl = useIntl();
  if (file.previous === null || file.status === 'unchanged') {
    return (
      <pre className="file-view" aria-label={intl.formatMessage({ id: 'review.file.contents' }, { path: file.path })}>
        {file.content}
      </pre>
    );
  }
  return (
    <pre className="file-view" aria-label={intl.formatMessage({ id: 'review.file.changes' }, { path: file.path })}>
      {diffLines(file.previous, file.content).map((line, index) =>
        line.kind === 'same' ? (
          `${line.text}\n`
        ) : (
          <span key={index} className={`line--${line.kind}`}>
            {line.kind === 'added' ? '+ ' : '- '}
            {line.text}
          </span>
        ),
      )}
    </pre>
  );
}

/** The export buttons, one per archive format, the refresh, and what the last export said. */
function ExportBar({ blocked }: { blocked: boolean }) {
  const {
    exportMessage: message,
    exporting,
    previewStatus: status,
    loadPreview,
    exportInventory,
  } = useAirsprayPick('exportMessage', 'exporting', 'previewStatus', 'loadPreview', 'exportInventory');
  const shell = useAirspray((state) => state.appInfo?.shell);
  const runExport = async (format: ArchiveFormat) => {
    const archive = await exportInventory(format);
    if (archive) download(archive.fileName, archive.base64);
  };
  return (
    <>
      <div className="plan-toolbar">
        {ArchiveFormatSchema.options.map((format, index) => (
          // The first, .zip, is drawn as the main choice.
          <button
            key={format}
            type="button"
            className={index === 0 ? 'btn btn--primary' : 'btn'}
            disabled={blocked || exporting}
            onClick={() => void runExport(format)}
          >
            <FormattedMessage id="review.export" values={{ format: `.${format}` }} />
          </button>
        ))}
        <button type="button" className="btn btn--ghost" onClick={() => void loadPreview()}>
          <RefreshIcon className={status === 'loading' ? 'spin' : undefined} />
          <FormattedMessage id="bundle.refresh" />
        </button>
        <span className="plan-toolbar__spacer" />
        <span className="muted small">
          <FormattedMessage id={shell === 'desktop' ? 'review.saveDesktop' : 'review.saveBrowser'} />
        </span>
      </div>

      {message && (
        <div
          className={`callout ${message.kind === 'ok' ? 'callout--info' : 'callout--danger'}`}
          role={message.kind === 'ok' ? 'status' : 'alert'}
        >
          {message.kind === 'ok' ? <CheckIcon /> : <AlertIcon />}
          <div className="callout__body callout__body--lines">{message.text}</div>
        </div>
      )}
    </>
  );
}

/** The files the export writes, one shown at a time with what changed since the last export. */
function FileList({ files }: { files: InventoryFilePreview[] }) {
  const intl = useIntl();
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const selected = files.find((file) => file.path === selectedPath) ?? files[0];
  if (!selected) return null;
  return (
    <section className="file-list" aria-label={intl.formatMessage({ id: 'review.files' })}>
      <ul className="file-list__files">
        {files.map((file) => (
          <li key={file.path}>
            <button type="button" aria-current={file.path === selected.path} onClick={() => setSelectedPath(file.path)}>
              <span>{file.path}</span>
              <span
                className={`badge${file.status === 'changed' || file.status === 'removed' ? ' badge--attention' : ''}`}
              >
                {intl.formatMessage({ id: statusText[file.status] })}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <FileView file={selected} />
    </section>
  );
}

/** The files an export writes, with what changed since the last one, the findings, and the export itself. */
export function ReviewStep() {
  const intl = useIntl();
  const {
    inventoryPreview: preview,
    previewError: error,
    planSaving,
    loadPreview,
  } = useAirsprayPick('inventoryPreview', 'previewError', 'planSaving', 'loadPreview');
  const revision = useAirspray((state) => state.currentProject?.revision);

  useEffect(() => {
    if (!planSaving) void loadPreview();
  }, [revision, planSaving, loadPreview]);

  return (
    <div className="review-step">
      <p className="lead">
        <FormattedMessage id="review.lead" />{' '}
        {preview?.lastExportAt ? (
          <FormattedMessage
            id="review.comparedWith"
            values={{ time: formatDateTime(preview.lastExportAt, intl.locale) }}
          />
        ) : (
          <FormattedMessage id="review.nothingExported" />
        )}
      </p>

      <ExportBar blocked={preview ? hasBlockingFindings(preview.findings) : true} />
      <ErrorText message={error} />

      {preview && (
        <FindingsList
          findings={preview.findings}
          title={intl.formatMessage({ id: 'review.findings' })}
          emptyText={intl.formatMessage({ id: 'review.findings.none' })}
        />
      )}

      <DownloadCheckPanel />

      <FileList files={preview?.files ?? []} />

      <InventoryImportPanel />
    </div>
  );
}
