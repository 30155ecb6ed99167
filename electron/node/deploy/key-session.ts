import type { CredentialInput } from '../../common/credentials';
import { coreError } from '../i18n/format-core-message';
import { hostKeyStoreFor } from '../access/access-handlers';
import type { CredentialVault } from '../access/credential-vault';
import type { KeySession } from './deploy-operations';
import type { DeployKeyStore } from './deploy-key-store';

/**
 * The operator's profile with the project's deploy key, unlocked; refused with the fix when the project has no key yet.
 */
export async function openKeySession(
  keys: DeployKeyStore,
  dataDir: string,
  projectId: string,
  credential: CredentialInput,
  keyPassphrase?: string,
): Promise<KeySession> {
  const key = await keys.get(projectId, keyPassphrase);
  if (!key) throw coreError('no_deploy_key', 'deploy.no-deploy-key', {}, 'projectId');
  // Host keys must already be accepted (Access step): nothing opened with this session records a new one.
  return { credential, key, hostKeys: hostKeyStoreFor(dataDir, projectId) };
}

/** The same for an API call, which names the profile by its id in the vault. */
export async function openVaultKeySession(
  deps: { keys: DeployKeyStore; dataDir: string; vault: CredentialVault },
  call: { projectId: string; credentialId: string; keyPassphrase?: string | undefined },
): Promise<KeySession> {
  const credential = await deps.vault.get(call.credentialId);
  return openKeySession(deps.keys, deps.dataDir, call.projectId, credential, call.keyPassphrase);
}
