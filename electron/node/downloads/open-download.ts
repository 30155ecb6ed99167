import type { DownloadRequest } from '../../common/downloads-api';
import type { ReportLanguage } from '../reports/report-strings';
import { runReportFileName, writeRunReport } from '../runs/run-report';
import type { RunService } from '../runs/run-service';
import type { DownloadFile } from './downloads';

/** What each kind of download is made of; a report is written in `language`. */
export function openDownload(
  runs: RunService,
  request: DownloadRequest,
  language: ReportLanguage,
): Promise<DownloadFile> {
  return openRunReport(runs, request, language);
}

async function openRunReport(
  runs: RunService,
  { projectId, runId }: DownloadRequest,
  language: ReportLanguage,
): Promise<DownloadFile> {
  const run = await runs.read(projectId, runId);
  return {
    fileName: runReportFileName(run),
    contentType: 'text/html; charset=utf-8',
    write: async (sink) => writeRunReport(run, await runs.logStream(projectId, runId), sink, language),
  };
}
