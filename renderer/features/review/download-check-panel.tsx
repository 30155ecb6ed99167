import { FormattedMessage, useIntl } from 'react-intl';
import { formatSentText } from '../../i18n/core-message';
import { useAirsprayPick } from '../../store/store-context';
import { AlertIcon, CheckIcon, RefreshIcon } from '../../ui/icons';
import { ErrorText } from '../../ui/error-text';
import { TitledSection } from '../../ui/titled-section';
import { Callout } from '../../ui/callout';

/**
 * What kubespray would download for this plan, rendered from the bundle's own kubespray release and checked against
 * the bundle: each missing file or image with the variable that asks for it. A run of cluster.yml, scale.yml or
 * upgrade-cluster.yml is refused while anything is missing.
 */
export function DownloadCheckPanel() {
  const intl = useIntl();
  const {
    downloadCheck: check,
    downloadCheckStatus: status,
    downloadCheckError: error,
    currentProject: project,
    checkDownloads,
  } = useAirsprayPick('downloadCheck', 'downloadCheckStatus', 'downloadCheckError', 'currentProject', 'checkDownloads');
  const current = check && project && check.projectId === project.id ? check : null;
  const result = current?.result;
  const stale = current !== null && project !== null && current.revision !== project.revision;
  return (
    <TitledSection titleId="review.downloads.title" className="download-check">
      <div className="plan-toolbar">
        <button type="button" className="btn" disabled={status === 'loading'} onClick={() => void checkDownloads()}>
          <RefreshIcon className={status === 'loading' ? 'spin' : undefined} />
          <FormattedMessage id="review.downloads.check" />
        </button>
        {result?.checked && (
          <span className="muted small" role="status">
            <FormattedMessage
              id="review.downloads.summary"
              values={{ items: result.items.length, missing: result.findings.length, stale }}
            />
          </span>
        )}
      </div>
      <ErrorText message={error} />
      {result && !result.checked && (
        <Callout tone="info" role="status">
          {formatSentText(intl, { message: result.reason, i18n: result.reasonMessage })}{' '}
          <FormattedMessage id="review.downloads.notChecked" />
        </Callout>
      )}
      {result?.checked && result.findings.length === 0 && (
        <p className="findings__ok">
          <CheckIcon /> <FormattedMessage id="review.downloads.allThere" />
        </p>
      )}
      {result?.checked && result.findings.length > 0 && (
        <ul className="findings__list">
          {result.findings.map((finding) => (
            <li
              key={`${finding.kind}-${finding.reference}`}
              className="finding finding--error"
              data-variable={finding.variables[0]}
            >
              <AlertIcon />
              <span className="finding__text">{formatSentText(intl, finding)}</span>
            </li>
          ))}
        </ul>
      )}
    </TitledSection>
  );
}
