import { FormattedMessage, useIntl } from 'react-intl';
import type { PlanFinding } from '../../electron/common/plan-validation';
import { formatPlanFinding } from '../i18n/core-message';
import { AlertIcon, CheckIcon, InfoIcon } from './icons';

/** Past this many findings of one rule (a warning for each of 400 hosts) the rest are counted, not listed. */
const listedPerRule = 10;

/**
 * Errors first, at most `listedPerRule` of each rule, each with a key of its own that stays while findings before it
 * come and go (a host given a role drops its finding without the rest being drawn again).
 */
function listed(findings: readonly PlanFinding[]): { finding: PlanFinding; key: string }[] {
  const seen = new Map<string, number>();
  const shown: { finding: PlanFinding; key: string }[] = [];
  for (const finding of findings) {
    const ofRule = (seen.get(finding.rule) ?? 0) + 1;
    seen.set(finding.rule, ofRule);
    const key = `${finding.rule}|${finding.host ?? ''}|${finding.field ?? ''}`;
    const repeats = (seen.get(key) ?? 0) + 1;
    seen.set(key, repeats);
    if (ofRule <= listedPerRule) shown.push({ finding, key: `${key}|${repeats}` });
  }
  return shown;
}

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
  const shown = listed([...errors, ...warnings]);
  const unlisted = findings.length - shown.length;
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
          {shown.map(({ finding, key }) => (
            <li key={key} className={`finding finding--${finding.severity}`} data-rule={finding.rule}>
              {finding.severity === 'error' ? <AlertIcon /> : <InfoIcon />}
              <span className="finding__text">
                <span className="visually-hidden">
                  <FormattedMessage id={finding.severity === 'error' ? 'ui.findings.error' : 'ui.findings.warning'} />
                </span>
                {formatPlanFinding(intl, finding)}
              </span>
            </li>
          ))}
          {unlisted > 0 && (
            <li className="finding finding--more muted">
              <FormattedMessage id="ui.findings.more" values={{ count: unlisted }} />
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
