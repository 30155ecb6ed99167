import type { healthApiMethods } from '../../common/health-api';
import type { ApiParams } from '../../common/api';
import type { ApiHandlers } from '../api/dispatch-api-call';
import { VerificationCache } from '../bundles/verification-cache';
import type { CertsDependencies } from '../certs/certs-handlers';
import type { ClusterAccessService } from '../cluster/cluster-access';
import { openVaultKeySession } from '../deploy/key-session';
import type { ReportLanguage } from '../reports/report-strings';
import type { RunService } from '../runs/run-service';
import { healthPage, healthPageFileName } from './health-page';
import { readHealthReport } from './health-report';

/**
 * The cluster health report, read over the deploy key's sessions and from the project's folder; its page in the
 * window's `language`.
 */
export function createHealthHandlers(
  deps: CertsDependencies & {
    runs: RunService;
    cluster: ClusterAccessService;
    language: () => Promise<ReportLanguage>;
  },
): Pick<ApiHandlers, keyof typeof healthApiMethods> {
  const read = async (call: ApiParams<'health.report'>) =>
    readHealthReport({
      project: await deps.projects.open(call.projectId),
      projectFolder: deps.projects.projectFolder(call.projectId),
      session: await openVaultKeySession(deps, call),
      runs: deps.runs,
      cluster: deps.cluster,
      verifications: new VerificationCache(deps.dataDir),
    });
  return {
    'health.report': read,
    'health.page': async (call) => {
      const report = await read(call);
      return { fileName: healthPageFileName(report), html: healthPage(report, await deps.language()) };
    },
  };
}
