import { FormattedMessage, useIntl } from 'react-intl';
import type { PlanFinding } from '../../electron/common/plan-validation';
import { formatPlanFinding } from '../i18n/core-message';
import { AlertIcon, CheckIcon, InfoIcon } from './icons';

/** The plan's findings, errors first; each message names the host or field and the fix. */
export function FindingsList({
  findings,
  title,
  emptyText,
}: {
  findings: readonly PlanFinding[];
  title?: string;
  emptyText?: string;
}) {
  const intl = useIntl();
  const heading = title ?? intl.formatMessage({ id: 'ui.findings.title' });
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  return (
    <section className="findings" aria-label={heading}>
      <h2 className="section-title">
        {heading}{' '}
        <span className="findings__count" role="status">
          <FormattedMessage id="ui.findings.count" values={{ errors: errors.length, warnings: warnings.length }} />
        </span>
      </h2>
      {findings.length === 0 ? (
        <p className="findings__ok">
          <CheckIcon /> {emptyText ?? <FormattedMessage id="ui.findings.none" />}
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
                <span className="visually-hidden">
                  <FormattedMessage id={finding.severity === 'error' ? 'ui.findings.error' : 'ui.findings.warning'} />
                </span>
                {formatPlanFinding(intl, finding)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
