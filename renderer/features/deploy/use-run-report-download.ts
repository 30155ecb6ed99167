import { useAirspray } from '../../store/store-context';
import { followDownloadLink } from '../../ui/download-file';

/** Downloads a run's self-contained HTML report (record, recap and the whole log), streamed by the core. */
export function useRunReportDownload(): (runId: string) => Promise<void> {
  const downloadRunReport = useAirspray((state) => state.downloadRunReport);
  return async (runId) => {
    const link = await downloadRunReport(runId);
    if (link) followDownloadLink(link.path, link.fileName);
  };
}
