import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { TitledSection } from '../../ui/titled-section';

/** The one page for change control: read from the cluster and the project, saved as a printable HTML file. */
export function HealthReportPanel() {
  const { busy, error, saved } = useAirspray(
    useShallow((state) => ({
      busy: state.healthReportBusy,
      error: state.healthReportError,
      saved: state.healthReportSaved,
    })),
  );
  const downloadHealthReport = useAirspray((state) => state.downloadHealthReport);
  return (
    <TitledSection titleId="operate.health.title">
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
    </TitledSection>
  );
}
