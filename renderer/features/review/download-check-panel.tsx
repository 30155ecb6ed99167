import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { AlertIcon, CheckIcon, InfoIcon, RefreshIcon } from '../../ui/icons';
import { ErrorText } from '../../ui/error-text';

/**
 * What kubespray would download for this plan, rendered from the bundle's own kubespray release and checked against
 * the bundle: each missing file or image with the variable that asks for it. A run of cluster.yml, scale.yml or
 * upgrade-cluster.yml is refused while anything is missing.
 */
export function DownloadCheckPanel() {
  const { check, status, error, project } = useAirspray(
    useShallow((state) => ({
      check: state.downloadCheck,
      status: state.downloadCheckStatus,
      error: state.downloadCheckError,
      project: state.currentProject,
    })),
  );
  const checkDownloads = useAirspray((state) => state.checkDownloads);
  const current = check && project && check.projectId === project.id ? check : null;
  const result = current?.result;
  const stale = current !== null && project !== null && current.revision !== project.revision;
  return (
    <section className="download-check" aria-label="What kubespray will download">
      <h2 className="section-title">What kubespray will download</h2>
      <div className="plan-toolbar">
        <button type="button" className="btn" disabled={status === 'loading'} onClick={() => void checkDownloads()}>
          <RefreshIcon className={status === 'loading' ? 'spin' : undefined} />
          Check against the bundle
        </button>
        {result?.checked && (
          <span className="muted small" role="status">
            {result.items.length} file(s) and image(s), {result.findings.length} not in the bundle
            {stale ? ' (the plan changed since: check again)' : ''}
          </span>
        )}
      </div>
      <ErrorText message={error} />
      {result && !result.checked && (
        <div className="callout callout--info" role="status">
          <InfoIcon />
          <div className="callout__body">
            {result.reason} Each run that downloads checks it on the deploy node before it starts.
          </div>
        </div>
      )}
      {result?.checked && result.findings.length === 0 && (
        <p className="findings__ok">
          <CheckIcon /> The bundle holds every file and image kubespray will fetch for this plan: nothing reaches for
          the internet.
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
              <span className="finding__text">{finding.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
