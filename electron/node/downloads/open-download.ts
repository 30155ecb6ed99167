import type { DownloadRequest } from '../../common/downloads-api';
import { runReportFileName, writeRunReport } from '../runs/run-report';
import type { RunService } from '../runs/run-service';
import type { DownloadFile } from './downloads';

/** What each kind of download is made of. */
export function openDownload(runs: RunService, request: DownloadRequest): Promise<DownloadFile> {
  return openRunReport(runs, request);
}

async function openRunReport(runs: RunService, { projectId, runId }: DownloadRequest): Promise<DownloadFile> {
  const run = await runs.read(projectId, runId);
  return {
    fileName: runReportFileName(run),
    contentType: 'text/html; charset=utf-8',
    write: async (sink) => writeRunReport(run, await runs.logStream(projectId, runId), sink),
  };
}
