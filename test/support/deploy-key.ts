import type { ApiClient } from './api-client';

/**
 * Installs the project's deploy key on every host of its plan, as the Deploy step does; runs log in with it. With a
 * passphrase the key is kept encrypted on disk (it outlives the server), without one only in the server's memory.
 */
export async function installDeployKey(
  api: ApiClient,
  projectId: string,
  credentialId: string,
  keyPassphrase?: string,
): Promise<void> {
  const result = await api.call('deploy.bootstrapKeys', {
    projectId,
    credentialId,
    ...(keyPassphrase ? { keyPassphrase } : {}),
  });
  const failed = result.hosts.filter((host) => !host.ok);
  if (failed.length > 0) throw new Error(`deploy key bootstrap failed: ${JSON.stringify(failed)}`);
}
