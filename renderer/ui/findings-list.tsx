import type { PlanFinding } from '../../electron/common/plan-validation';
import { AlertIcon, CheckIcon, InfoIcon } from './icons';

/** The plan's findings, errors first; each message names the host or field and the fix. */
export function FindingsList({
  findings,
  title = 'Checks',
  emptyText = 'No problems found.',
}: {
  findings: readonly PlanFinding[];
  title?: string;
  emptyText?: string;
}) {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  return (
    <section className="findings" aria-label={title}>
      <h2 className="section-title">
        {title}{' '}
        <span className="findings__count" role="status">
          {errors.length} error{errors.length === 1 ? '' : 's'}, {warnings.length} warning
          {warnings.length === 1 ? '' : 's'}
        </span>
      </h2>
      {findings.length === 0 ? (
        <p className="findings__ok">
          <CheckIcon /> {emptyText}
        </p>
      ) : (
        <ul className="findings__list">
          {[...errors, ...warnings].map((finding, index) => (
            <li
              key={`${finding.rule}-${finding.host ?? ''}-${index}`}
              className={`finding finding--${finding.severity}`}
              data-rule={finding.rule}
            >
              {finding.severity === 'error' ? <AlertIcon /> : <InfoIcon />}
              <span className="finding__text">
                <span className="visually-hidden">{finding.severity}: </span>
                {finding.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
