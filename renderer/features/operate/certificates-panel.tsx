import { useState } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import {
  certificatesBySoonest,
  defaultFailDays,
  defaultWarnDays,
  expiryTone,
  type CertificateRenewal,
  type CertificateReport,
  type ExpiryTone,
} from '../../../electron/common/certs-api';
import type { MessageId } from '../../i18n/catalogs';
import { joinItems } from '../../i18n/join-items';
import { useAirspray } from '../../store/store-context';
import { formatDateTime } from '../../ui/format-date-time';
import { TableHead } from '../../ui/table-head';
import { TitledSection } from '../../ui/titled-section';
import './certificates.css';
import { ConfirmRow } from '../../ui/confirm-row';

const columns: MessageId[] = [
  'operate.certs.col.host',
  'operate.certs.col.certificate',
  'operate.certs.col.expires',
  'operate.certs.col.daysLeft',
  'operate.certs.col.status',
];

function toneText(intl: IntlShape, tone: ExpiryTone): string {
  if (tone === 'ok') return intl.formatMessage({ id: 'operate.certs.tone.ok' });
  const days = tone === 'warn' ? defaultWarnDays : defaultFailDays;
  return intl.formatMessage({ id: 'operate.certs.tone.under' }, { days });
}

const daysText = (intl: IntlShape, daysLeft: number): string =>
  daysLeft < 0
    ? intl.formatMessage({ id: 'operate.certs.expiredAgo' }, { days: -daysLeft })
    : intl.formatMessage({ id: 'operate.certs.days' }, { days: daysLeft });

function CertificatesTable({ report }: { report: CertificateReport }) {
  const intl = useIntl();
  const rows = certificatesBySoonest(report);
  return (
    <table className="table certificates" aria-label={intl.formatMessage({ id: 'operate.certs.title' })}>
      <TableHead columns={columns.map((id) => intl.formatMessage({ id }))} />
      <tbody>
        {rows.map(({ host, file, certificate }) => {
          const tone = expiryTone(certificate.daysLeft);
          return (
            <tr key={`${host} ${file.path} ${certificate.subject}`} className={`certificates__row--${tone}`}>
              <td>{host}</td>
              <td>
                {file.label}
                {certificate.isCa && (
                  <span className="badge certificates__ca">
                    <FormattedMessage id="operate.certs.ca" />
                  </span>
                )}
                <div className="muted certificates__path">{file.path}</div>
              </td>
              <td>{intl.formatDate(certificate.notAfter)}</td>
              <td>{daysText(intl, certificate.daysLeft)}</td>
              <td>
                <span className={`status certificates__status--${tone}`}>{toneText(intl, tone)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What the table leaves out: files not there or not readable, and hosts that could not be read. */
function Gaps({ report }: { report: CertificateReport }) {
  const failed = report.hosts.filter((host) => !host.ok);
  const gaps = report.hosts.flatMap((host) =>
    host.files.filter((file) => file.state !== 'found').map((file) => ({ host: host.name, file })),
  );
  if (failed.length === 0 && gaps.length === 0) return null;
  return (
    <ul className="certificates__gaps">
      {failed.map((host) => (
        <li key={host.name} className="field-error" role="alert">
          {host.name}: {host.message}
        </li>
      ))}
      {gaps.map(({ host, file }) => (
        <li key={`${host} ${file.path}`} className="muted">
          {host}: {file.label}{' '}
          {file.state === 'missing' ? (
            <FormattedMessage id="operate.certs.fileMissing" />
          ) : (
            <FormattedMessage id="operate.certs.fileUnreadable" values={{ message: file.message ?? '' }} />
          )}
          : <code>{file.path}</code>
        </li>
      ))}
    </ul>
  );
}

/** The renewal button, and its confirmation: each control plane's API server restarts in turn. */
function RenewControl() {
  const [confirming, setConfirming] = useState(false);
  const { renewing, controlPlanes } = useAirspray(
    useShallow((state) => ({
      renewing: state.certificatesRenewing,
      controlPlanes: (state.currentProject?.cluster.hosts ?? []).filter((host) => host.roles.controlPlane).length,
    })),
  );
  const renewCertificates = useAirspray((state) => state.renewCertificates);
  if (renewing)
    return (
      <span className="muted" role="status">
        <FormattedMessage id="operate.certs.renewing" />
      </span>
    );
  if (!confirming)
    return (
      <button type="button" className="btn" disabled={controlPlanes === 0} onClick={() => setConfirming(true)}>
        <FormattedMessage id="operate.certs.renew" />
      </button>
    );
  return (
    <ConfirmRow
      labelId="operate.certs.renew.label"
      question={<FormattedMessage id="operate.certs.renew.question" values={{ count: controlPlanes }} />}
      confirmId="operate.certs.renew.confirm"
      keepId="operate.certs.renew.keep"
      tone="primary"
      onConfirm={() => {
        setConfirming(false);
        void renewCertificates();
      }}
      onKeep={() => setConfirming(false)}
    />
  );
}

/** What the last renewal did: the nodes renewed, and where it stopped with the button that finishes it. */
function RenewalOutcome({ renewal }: { renewal: CertificateRenewal }) {
  const intl = useIntl();
  const renewCertificates = useAirspray((state) => state.renewCertificates);
  const renewing = useAirspray((state) => state.certificatesRenewing);
  return (
    <div className="certificates__renewal">
      {renewal.renewed.length > 0 && (
        <p role="status">
          <FormattedMessage
            id="operate.certs.renewed"
            values={{
              nodes: joinItems(
                intl,
                renewal.renewed.map((node) => node.name),
              ),
            }}
          />
        </p>
      )}
      {renewal.stopped && (
        <>
          <p className="field-error" role="alert">
            <FormattedMessage
              id="operate.certs.stopped"
              values={{ node: renewal.stopped.name, reason: renewal.stopped.reason }}
            />
          </p>
          <button
            type="button"
            className="btn"
            disabled={renewing}
            onClick={() => void renewCertificates(renewal.remaining)}
          >
            <FormattedMessage id="operate.certs.finish" values={{ nodes: joinItems(intl, renewal.remaining) }} />
          </button>
        </>
      )}
    </div>
  );
}

/** The expiry of every certificate kubespray and kubeadm made, read from the hosts on request, and their renewal. */
export function CertificatesPanel() {
  const intl = useIntl();
  const { report, renewal, checking, renewing, error } = useAirspray(
    useShallow((state) => ({
      renewing: state.certificatesRenewing,
      report: state.certificatesProjectId === state.currentProject?.id ? state.certificates : null,
      renewal: state.certificatesProjectId === state.currentProject?.id ? state.certificatesRenewal : null,
      checking: state.certificatesChecking,
      error: state.certificatesError,
    })),
  );
  const checkCertificates = useAirspray((state) => state.checkCertificates);

  return (
    <TitledSection titleId="operate.certs.title" className="certificates-panel">
      <p className="muted">
        <FormattedMessage id="operate.certs.help" values={{ warnDays: defaultWarnDays, failDays: defaultFailDays }} />
      </p>
      <div className="certificates__actions">
        <button type="button" className="btn" disabled={checking || renewing} onClick={() => void checkCertificates()}>
          <FormattedMessage
            id={checking ? 'operate.certs.checking' : report ? 'operate.certs.checkAgain' : 'operate.certs.check'}
          />
        </button>
        <RenewControl />
        {report && (
          <span className="muted">
            <FormattedMessage
              id="operate.certs.checkedAt"
              values={{ time: formatDateTime(report.checkedAt, intl.locale) }}
            />
          </span>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {renewal && <RenewalOutcome renewal={renewal} />}
      {report && <CertificatesTable report={report} />}
      {report && <Gaps report={report} />}
    </TitledSection>
  );
}
