import type { nodeLifecycleApiMethods } from '../../common/node-lifecycle';
import type { upgradeApiMethods } from '../../common/upgrade';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { CoreLog } from '../core-log';
import type { UpgradeService } from '../upgrade/upgrade-service';
import type { NodeLifecycleService } from './node-lifecycle-service';
import { answerUnderWay } from './procedure-record';

type ProcedureMethod = keyof typeof nodeLifecycleApiMethods | keyof typeof upgradeApiMethods;

/**
 * Procedures of several runs, node changes and upgrades: a call that starts one answers once it is under way, and
 * nodes.updated or upgrade.updated follows it.
 */
export function createProcedureHandlers(deps: {
  lifecycle: NodeLifecycleService;
  upgrades: UpgradeService;
  vault: CredentialVault;
  log: CoreLog;
}): Pick<ApiHandlers, ProcedureMethod> {
  return {
    'nodes.procedure': ({ projectId, ...request }) => deps.lifecycle.procedure(projectId, request),
    'nodes.change': async ({ projectId, credentialId, keyPassphrase, kubesprayDir, ...request }) => {
      const login = { credential: await deps.vault.get(credentialId), ...(keyPassphrase ? { keyPassphrase } : {}) };
      const begun = deps.lifecycle.begin(projectId, request, login, kubesprayDir);
      return answerUnderWay(begun, deps.log, `Changing the nodes of project ${projectId}`);
    },
    'upgrade.options': ({ projectId }) => deps.upgrades.upgradeOptions(projectId),
    'upgrade.start': async ({ credentialId, ...request }) => {
      const begun = deps.upgrades.begin({ ...request, credential: await deps.vault.get(credentialId) });
      return answerUnderWay(begun, deps.log, `Upgrading project ${request.projectId}`);
    },
  };
}
