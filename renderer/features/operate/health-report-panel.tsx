import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';

/** The one page for change control: read from the cluster and the project, saved as a printable HTML file. */
export function HealthReportPanel() {
  const intl = useIntl();
  const { busy, error, saved } = useAirspray(
    useShallow((state) => ({
      busy: state.healthReportBusy,
      error: state.healthReportError,
      saved: state.healthReportSaved,
    })),
  );
  const downloadHealthReport = useAirspray((state) => state.downloadHealthReport);
  return (
    <section aria-label={intl.formatMessage({ id: 'operate.health.title' })}>
      <h2 className="section-title">
        <FormattedMessage id="operate.health.title" />
      </h2>
      <p className="muted">
        <FormattedMessage id="operate.health.intro" />
      </p>
      <button type="button" className="btn" disabled={busy} onClick={() => void downloadHealthReport()}>
        <FormattedMessage id={busy ? 'operate.health.reading' : 'operate.health.download'} />
      </button>
      {saved && (
        <p role="status">
          <FormattedMessage id="operate.health.saved" values={{ file: saved }} />
        </p>
      )}
      <ErrorText message={error?.message} />
    </section>
  );
}
