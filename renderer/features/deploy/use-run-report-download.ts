import { useAirspray } from '../../store/store-context';
import { downloadFile } from '../../ui/download-file';

/** Downloads a run's self-contained HTML report (record, recap and the whole log). */
export function useRunReportDownload(): (runId: string) => Promise<void> {
  const getRunReport = useAirspray((state) => state.getRunReport);
  return async (runId) => {
    const report = await getRunReport(runId);
    if (report) downloadFile(report.fileName, report.html, 'text/html');
  };
}
