import type { healthApiMethods } from '../../common/health-api';
import type { ApiHandlers } from '../api/dispatch-api-call';
import { VerificationCache } from '../bundles/verification-cache';
import type { CertsDependencies } from '../certs/certs-handlers';
import type { ClusterAccessService } from '../cluster/cluster-access';
import { openVaultKeySession } from '../deploy/key-session';
import type { RunService } from '../runs/run-service';
import { readHealthReport } from './health-report';

/** The cluster health report, read over the deploy key's sessions and from the project's folder. */
export function createHealthHandlers(
  deps: CertsDependencies & { runs: RunService; cluster: ClusterAccessService },
): Pick<ApiHandlers, keyof typeof healthApiMethods> {
  return {
    'health.report': async (call) =>
      readHealthReport({
        project: await deps.projects.open(call.projectId),
        projectFolder: deps.projects.projectFolder(call.projectId),
        session: await openVaultKeySession(deps, call),
        runs: deps.runs,
        cluster: deps.cluster,
        verifications: new VerificationCache(deps.dataDir),
      }),
  };
}
