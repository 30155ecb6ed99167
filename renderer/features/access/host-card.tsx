import { Fragment } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { HostFacts, PreflightCheck } from '../../../electron/common/host-facts';
import type { HostAccess } from '../../store/access-hosts';
import { isUsedInPlan } from '../../store/access-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon } from '../../ui/icons';
import type { MessageId } from '../../i18n/catalogs';
import { formatCoreMessage } from '../../i18n/core-message';
import { joinItems } from '../../i18n/join-items';
import { failureLabels, formatMiB, visibleAddresses } from './format-facts';
import { Note } from '../../ui/note';

const checkLabels: Record<PreflightCheck['status'], MessageId> = {
  pass: 'access.check.pass',
  warn: 'access.check.warn',
  fail: 'access.check.fail',
};
const checkTones: Record<PreflightCheck['status'], string> = { pass: 'success', warn: 'attention', fail: 'danger' };
const checkOrder: Record<PreflightCheck['status'], number> = { fail: 0, warn: 1, pass: 2 };

/** What needs fixing first; the order of the core's list is kept within each status. */
const sortChecks = (checks: PreflightCheck[]) =>
  [...checks].sort((a, b) => checkOrder[a.status] - checkOrder[b.status]);

/** One host on the Access step: waiting, why it failed, or its facts and pre-flight checks. */
export function HostCard({ host }: { host: HostAccess }) {
  const intl = useIntl();
  const { outcome } = host;
  const refused = useAirspray((state) => state.refusedKeys.includes(host.address));
  const usedInPlan = useAirspray((state) => isUsedInPlan(state, host));
  const setUseInPlan = useAirspray((state) => state.setUseInPlan);
  const failed = outcome?.state === 'failed';
  const failedChecks = outcome?.state === 'ok' ? outcome.checks.filter((check) => check.status === 'fail').length : 0;

  return (
    <div role="listitem" className={`card host-card${failed ? ' card--failed' : ''}`}>
      <section aria-label={host.address}>
        <div className="card__head host-card__head">
          <h3 className="host-card__name">{outcome?.state === 'ok' ? outcome.facts.hostname : host.address}</h3>
          {outcome?.state === 'ok' && <span className="mono muted">{host.address}</span>}
          {outcome === null && (
            <span className="badge">
              <FormattedMessage id="access.host.collecting" />
            </span>
          )}
          {outcome?.state === 'failed' && (
            <span className="badge badge--small badge--danger">
              <FormattedMessage id={failureLabels[outcome.kind]} />
            </span>
          )}
          {outcome?.state === 'ok' && (
            <label className="check-label host-card__use">
              <input
                type="checkbox"
                checked={usedInPlan}
                onChange={(event) => setUseInPlan(host.address, event.target.checked)}
              />
              <FormattedMessage id="access.host.useInPlan" />
            </label>
          )}
        </div>

        {outcome?.state === 'failed' && (
          <p className="host-card__reason">
            {outcome.kind === 'host-key-unknown' ? (
              <FormattedMessage id={refused ? 'access.host.keyRefused' : 'access.host.keyNotTrusted'} />
            ) : outcome.i18n ? (
              formatCoreMessage(intl, outcome.i18n)
            ) : (
              outcome.message
            )}
          </p>
        )}

        {outcome?.state === 'ok' && (
          <>
            <FactsList facts={outcome.facts} />
            {outcome.checks.length === 0 ? (
              <Note id="access.checks.pending" small />
            ) : (
              <>
                <h4 className="host-card__checks-title">
                  <FormattedMessage id="access.checks.title" />
                  {failedChecks > 0 && (
                    <span className="host-card__failed-count">
                      <AlertIcon width="14" height="14" />{' '}
                      <FormattedMessage id="access.checks.failedCount" values={{ count: failedChecks }} />
                    </span>
                  )}
                </h4>
                <ul
                  className="checks"
                  aria-label={intl.formatMessage({ id: 'access.checks.of' }, { address: host.address })}
                >
                  {sortChecks(outcome.checks).map((check) => (
                    <li key={check.id} className="check">
                      <span className={`badge badge--small badge--${checkTones[check.status]}`}>
                        <FormattedMessage id={checkLabels[check.status]} />
                      </span>
                      <span>
                        <span className="check__title">{formatCoreMessage(intl, check.i18n.title)}:</span>{' '}
                        <span className="check__message">{formatCoreMessage(intl, check.i18n.message)}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function FactsList({ facts }: { facts: HostFacts }) {
  const intl = useIntl();
  const mib = (value: number) => formatMiB(value, intl.locale);
  const text = (id: MessageId, values?: Record<string, string>) => intl.formatMessage({ id }, values);
  const list = (items: string[], empty: MessageId) => (items.length > 0 ? joinItems(intl, items) : text(empty));
  const free = [
    ...(facts.freeMiB.root !== undefined ? [{ size: mib(facts.freeMiB.root), path: '/' }] : []),
    ...(facts.freeMiB.var !== undefined ? [{ size: mib(facts.freeMiB.var), path: '/var' }] : []),
  ];
  const swap = { memory: mib(facts.memoryMiB), swap: mib(facts.swapMiB), hasSwap: String(facts.swapMiB > 0) };
  const rows: [MessageId, string, string?][] = [
    ['access.facts.os', facts.os.prettyName || `${facts.os.id} ${facts.os.versionId}`],
    ['access.facts.kernel', facts.kernel, 'mono'],
    ['access.facts.arch', facts.arch],
    ['access.facts.cpus', facts.cpus.toLocaleString(intl.locale)],
    ['access.facts.memory', text('access.facts.memoryValue', swap)],
    [
      'access.facts.disks',
      list(
        facts.disks.map((disk) => `${disk.name} ${mib(disk.sizeMiB)}`),
        'access.facts.noneReported',
      ),
    ],
    [
      'access.facts.free',
      list(
        free.map((entry) => text('access.facts.freeOn', entry)),
        'access.facts.unknown',
      ),
    ],
    [
      'access.facts.addresses',
      list(
        visibleAddresses(facts).map((entry) => `${entry.address} (${entry.name})`),
        'access.facts.none',
      ),
      'mono',
    ],
  ];
  return (
    <dl className="facts host-facts">
      {rows.map(([label, value, className]) => (
        <Fragment key={label}>
          <dt>{text(label)}</dt>
          <dd className={className}>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
