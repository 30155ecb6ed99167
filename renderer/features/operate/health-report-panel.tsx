import { FormattedMessage } from 'react-intl';
import { useAirsprayPick } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { TitledSection } from '../../ui/titled-section';
import { Note } from '../../ui/note';

/** The one page for change control: read from the cluster and the project, saved as a printable HTML file. */
export function HealthReportPanel() {
  const { healthReportBusy, healthReportError, healthReportSaved, downloadHealthReport } = useAirsprayPick(
    'healthReportBusy',
    'healthReportError',
    'healthReportSaved',
    'downloadHealthReport',
  );
  return (
    <TitledSection titleId="operate.health.title">
      <Note id="operate.health.intro" />
      <div className="toolbar">
        <button type="button" className="btn" disabled={healthReportBusy} onClick={() => void downloadHealthReport()}>
          <FormattedMessage id={healthReportBusy ? 'operate.health.reading' : 'operate.health.download'} />
        </button>
      </div>
      {healthReportSaved && (
        <p role="status">
          <FormattedMessage id="operate.health.saved" values={{ file: healthReportSaved }} />
        </p>
      )}
      <ErrorText message={healthReportError?.message} />
    </TitledSection>
  );
}
