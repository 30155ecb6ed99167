import { useShallow } from 'zustand/react/shallow';
import {
  certificatesBySoonest,
  defaultFailDays,
  defaultWarnDays,
  expiryTone,
  type CertificateReport,
  type ExpiryTone,
} from '../../../electron/common/certs-api';
import { useAirspray } from '../../store/store-context';
import { TableHead } from '../../ui/table-head';
import './certificates.css';

const toneText: Record<ExpiryTone, string> = {
  ok: 'OK',
  warn: `Under ${defaultWarnDays} days`,
  fail: `Under ${defaultFailDays} days`,
};

function daysText(daysLeft: number): string {
  if (daysLeft < 0) return `expired ${-daysLeft} d ago`;
  return `${daysLeft} d`;
}

function CertificatesTable({ report }: { report: CertificateReport }) {
  const rows = certificatesBySoonest(report);
  return (
    <table className="table certificates" aria-label="Certificates">
      <TableHead columns={['Host', 'Certificate', 'Expires', 'Days left', 'Status']} />
      <tbody>
        {rows.map(({ host, file, certificate }) => {
          const tone = expiryTone(certificate.daysLeft);
          return (
            <tr key={`${host} ${file.path} ${certificate.subject}`} className={`certificates__row--${tone}`}>
              <td>{host}</td>
              <td>
                {file.label}
                {certificate.isCa && <span className="badge certificates__ca">CA</span>}
                <div className="muted certificates__path">{file.path}</div>
              </td>
              <td>{new Date(certificate.notAfter).toLocaleDateString()}</td>
              <td>{daysText(certificate.daysLeft)}</td>
              <td>
                <span className={`status certificates__status--${tone}`}>{toneText[tone]}</span>
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
          {host}: {file.label} {file.state === 'missing' ? 'not there' : `unreadable (${file.message})`}:{' '}
          <code>{file.path}</code>
        </li>
      ))}
    </ul>
  );
}

/** The expiry of every certificate kubespray and kubeadm made, read from the hosts on request. */
export function CertificatesPanel() {
  const { report, checking, error } = useAirspray(
    useShallow((state) => ({
      report: state.certificatesProjectId === state.currentProject?.id ? state.certificates : null,
      checking: state.certificatesChecking,
      error: state.certificatesError,
    })),
  );
  const checkCertificates = useAirspray((state) => state.checkCertificates);

  return (
    <section aria-label="Certificates" className="certificates-panel">
      <h2 className="section-title">Certificates</h2>
      <p className="muted">
        Every certificate kubespray and kubeadm made, the CAs too, read from each host with the deploy key. Amber under{' '}
        {defaultWarnDays} days, red under {defaultFailDays}.
      </p>
      <div className="certificates__actions">
        <button type="button" className="btn" disabled={checking} onClick={() => void checkCertificates()}>
          {checking ? 'Checking…' : report ? 'Check again' : 'Check certificates'}
        </button>
        {report && <span className="muted">Checked {new Date(report.checkedAt).toLocaleString()}.</span>}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {report && <CertificatesTable report={report} />}
      {report && <Gaps report={report} />}
    </section>
  );
}
