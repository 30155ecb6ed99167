import type { upgradeApiMethods } from '../../common/upgrade';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { CoreLog } from '../core-log';
import { answerUnderWay } from '../runs/procedure-record';
import type { UpgradeService } from './upgrade-service';

/** Upgrades and presets: the call answers once the upgrade is under way; upgrade.updated follows it. */
export function createUpgradeHandlers(deps: {
  upgrades: UpgradeService;
  vault: CredentialVault;
  log: CoreLog;
}): Pick<ApiHandlers, keyof typeof upgradeApiMethods> {
  return {
    'upgrade.options': ({ projectId }) => deps.upgrades.upgradeOptions(projectId),
    'upgrade.start': async ({ credentialId, ...request }) => {
      const begun = deps.upgrades.begin({ ...request, credential: await deps.vault.get(credentialId) });
      return answerUnderWay(begun, deps.log, `Upgrading project ${request.projectId}`);
    },
  };
}
