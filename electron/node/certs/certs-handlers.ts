import type { certsApiMethods } from '../../common/certs-api';
import type { CredentialVault } from '../access/credential-vault';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { DeployKeyStore } from '../deploy/deploy-key-store';
import { openVaultKeySession } from '../deploy/key-session';
import type { ProjectStore } from '../projects/project-store';
import { checkCertificates } from './read-certificates';
import { renewCertificates } from './renew-certificates';

export interface CertsDependencies {
  dataDir: string;
  projects: ProjectStore;
  vault: CredentialVault;
  keys: DeployKeyStore;
}

/** The certificate expiry table, read over the deploy key's sessions, and kubeadm's renewal on the control planes. */
export function createCertsHandlers(deps: CertsDependencies): Pick<ApiHandlers, keyof typeof certsApiMethods> {
  return {
    'certs.check': async (call) => {
      const project = await deps.projects.open(call.projectId);
      return checkCertificates(project.cluster.hosts, await openVaultKeySession(deps, call));
    },
    'certs.renew': async (call) => {
      const project = await deps.projects.open(call.projectId);
      const session = await openVaultKeySession(deps, call);
      return renewCertificates(project.cluster.hosts, session, call.hosts ? { only: call.hosts } : {});
    },
  };
}
