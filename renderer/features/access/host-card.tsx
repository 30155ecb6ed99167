import type { HostFacts, PreflightCheck } from '../../../electron/common/host-facts';
import type { HostAccess } from '../../store/access-hosts';
import { isUsedInPlan } from '../../store/access-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon } from '../../ui/icons';
import { describeFreeSpace, failureLabels, formatMiB, visibleAddresses } from './format-facts';

const checkLabels: Record<PreflightCheck['status'], string> = { pass: 'pass', warn: 'warn', fail: 'fail' };
const checkTones: Record<PreflightCheck['status'], string> = { pass: 'success', warn: 'attention', fail: 'danger' };
const checkOrder: Record<PreflightCheck['status'], number> = { fail: 0, warn: 1, pass: 2 };

/** What needs fixing first; the order of the core's list is kept within each status. */
const sortChecks = (checks: PreflightCheck[]) =>
  [...checks].sort((a, b) => checkOrder[a.status] - checkOrder[b.status]);

/** One host on the Access step: waiting, why it failed, or its facts and pre-flight checks. */
export function HostCard({ host }: { host: HostAccess }) {
  const { outcome } = host;
  const refused = useAirspray((state) => state.refusedKeys.includes(host.address));
  const usedInPlan = useAirspray((state) => isUsedInPlan(state, host));
  const setUseInPlan = useAirspray((state) => state.setUseInPlan);
  const failed = outcome?.state === 'failed';
  const failedChecks = outcome?.state === 'ok' ? outcome.checks.filter((check) => check.status === 'fail').length : 0;

  return (
    <li className={`card host-card${failed ? ' card--failed' : ''}`}>
      <section aria-label={host.address}>
        <div className="card__head host-card__head">
          <h3 className="host-card__name">{outcome?.state === 'ok' ? outcome.facts.hostname : host.address}</h3>
          {outcome?.state === 'ok' && <span className="mono muted">{host.address}</span>}
          {outcome === null && <span className="badge">collecting facts…</span>}
          {outcome?.state === 'failed' && (
            <span className="badge badge--small badge--danger">{failureLabels[outcome.kind]}</span>
          )}
          {outcome?.state === 'ok' && (
            <label className="check-label host-card__use">
              <input
                type="checkbox"
                checked={usedInPlan}
                onChange={(event) => setUseInPlan(host.address, event.target.checked)}
              />
              Use in the plan
            </label>
          )}
        </div>

        {outcome?.state === 'failed' && (
          <p className="host-card__reason">
            {outcome.kind === 'host-key-unknown'
              ? refused
                ? 'You refused its host key: Airspray closed the connection before sending any credential.'
                : 'Its host key is not trusted yet: accept or refuse it above. No credential was sent.'
              : outcome.message}
          </p>
        )}

        {outcome?.state === 'ok' && (
          <>
            <FactsList facts={outcome.facts} />
            {outcome.checks.length === 0 ? (
              <p className="small muted">Pre-flight checks run once every host of this run has answered.</p>
            ) : (
              <>
                <h4 className="host-card__checks-title">
                  Pre-flight checks
                  {failedChecks > 0 && (
                    <span className="host-card__failed-count">
                      <AlertIcon width="14" height="14" /> {failedChecks} failed
                    </span>
                  )}
                </h4>
                <ul className="checks" aria-label={`Pre-flight checks of ${host.address}`}>
                  {sortChecks(outcome.checks).map((check) => (
                    <li key={check.id} className="check">
                      <span className={`badge badge--small badge--${checkTones[check.status]}`}>
                        {checkLabels[check.status]}
                      </span>
                      <span>
                        <span className="check__title">{check.title}:</span>{' '}
                        <span className="check__message">{check.message}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </section>
    </li>
  );
}

function FactsList({ facts }: { facts: HostFacts }) {
  const addresses = visibleAddresses(facts);
  return (
    <dl className="facts host-facts">
      <dt>OS</dt>
      <dd>{facts.os.prettyName || `${facts.os.id} ${facts.os.versionId}`}</dd>
      <dt>Kernel</dt>
      <dd className="mono">{facts.kernel}</dd>
      <dt>Architecture</dt>
      <dd>{facts.arch}</dd>
      <dt>CPUs</dt>
      <dd>{facts.cpus}</dd>
      <dt>Memory</dt>
      <dd>
        {formatMiB(facts.memoryMiB)}
        {facts.swapMiB > 0 ? `, swap ${formatMiB(facts.swapMiB)}` : ', no swap'}
      </dd>
      <dt>Disks</dt>
      <dd>
        {facts.disks.length > 0
          ? facts.disks.map((disk) => `${disk.name} ${formatMiB(disk.sizeMiB)}`).join(', ')
          : 'none reported'}
      </dd>
      <dt>Free space</dt>
      <dd>{describeFreeSpace(facts)}</dd>
      <dt>Addresses</dt>
      <dd className="mono">
        {addresses.length > 0 ? addresses.map((entry) => `${entry.address} (${entry.name})`).join(', ') : 'none'}
      </dd>
    </dl>
  );
}
