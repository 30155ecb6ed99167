import type { nodeLifecycleApiMethods } from '../../common/node-lifecycle';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { CoreLog } from '../core-log';
import type { NodeLifecycleService } from './node-lifecycle-service';

/** Node procedures: the call answers once the procedure is under way; nodes.updated follows it. */
export function createNodeLifecycleHandlers(deps: {
  lifecycle: NodeLifecycleService;
  vault: CredentialVault;
  log: CoreLog;
}): Pick<ApiHandlers, keyof typeof nodeLifecycleApiMethods> {
  return {
    'nodes.procedure': ({ projectId, ...request }) => deps.lifecycle.procedure(projectId, request),
    'nodes.change': async ({ projectId, credentialId, keyPassphrase, kubesprayDir, ...request }) => {
      const login = { credential: await deps.vault.get(credentialId), ...(keyPassphrase ? { keyPassphrase } : {}) };
      const { record, advancing } = await deps.lifecycle.begin(projectId, request, login, kubesprayDir);
      // Its stops are in the record (nodes.updated); what escapes is a bug, logged.
      void advancing.catch((error: unknown) => deps.log.failed(`Changing the nodes of project ${projectId}`, error));
      return record;
    },
  };
}
