import { join } from 'node:path';
import type { Client } from 'ssh2';
import { DeployKeyStore } from '../../electron/node/deploy/deploy-key-store';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../electron/node/ssh/ssh-connection';
import { hostAddress, labAccounts } from '../lab/lab-network';
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

/** lab1, the deploy node of the tests that push without a project. */
export const labDeployNode = { name: 'lab1', address: hostAddress(1) };

/**
 * A new deploy key kept in `workDir`, installed on lab1 as ops with lab1's key accepted into `workDir`/known_hosts,
 * as a key bootstrap leaves it; `connect` logs in to lab1 with it.
 */
export async function deployKeyOnLab1(workDir: string, name: string): Promise<{ connect: () => Promise<Client> }> {
  const hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  const { key } = await new DeployKeyStore((id) => join(workDir, id)).getOrCreate(name, name);
  const ops = {
    label: 'ops',
    user: labAccounts.ops.user,
    auth: { kind: 'password' as const, password: labAccounts.ops.password },
  };
  const [outcome] = await bootstrapDeployKey([labDeployNode], {
    credential: ops,
    key,
    hostKeys,
    acceptNewHostKeys: true,
  });
  if (!outcome?.ok) throw new Error(`deploy key bootstrap on lab1 failed: ${JSON.stringify(outcome)}`);
  const connect = () =>
    connectSsh(
      { host: labDeployNode.address, port: 22 },
      { credential: { user: 'ops', auth: key.credential }, hostKeys, readyTimeoutMs: 3000 },
    ).then((session) => session.client);
  return { connect };
}
