import type { Client } from 'ssh2';
import type { CredentialInput } from '../../common/credentials';
import type { HostKeyStore } from '../ssh/host-key-store';
import { connectSsh } from '../ssh/ssh-connection';
import type { DeployContext } from './deploy-context';
import type { DeployKey } from './deploy-key-store';
import type { DeployHost } from './key-bootstrap';
import type { HealthReport, PushResult } from '../../common/deploy-api';
import { checkFromHost, healthChecks, startOfflineServices, waitHealthyFromLaptop } from './offline-services';
import { pushBundle, type PushOptions } from './push-bundle';
import { sudoPasswordOf } from './remote-shell';

/** Beside project.json: the ranges of a push that stopped half-way, resumed by the next push. */
export const pushJournalFileName = 'push-journal.json';

/** The operator's login with the project's deploy key: what every step after the bootstrap uses. */
export interface KeySession {
  credential: CredentialInput;
  key: DeployKey;
  hostKeys: HostKeyStore;
}

export function connectWithKey(host: DeployHost, session: KeySession, readyTimeoutMs = 10_000): Promise<Client> {
  return connectSsh(
    { host: host.address, port: host.port ?? 22 },
    {
      credential: { user: session.credential.user, auth: session.key.credential },
      hostKeys: session.hostKeys,
      readyTimeoutMs,
    },
  ).then((connection) => connection.client);
}

/**
 * Runs `work` on every host in parallel, each over its own deploy-key login closed afterwards. A host that cannot be
 * reached, or whose work throws, gets `failed`'s outcome with the reason: one host never sinks the others.
 */
export function onEachHost<H extends DeployHost, T>(
  hosts: readonly H[],
  session: KeySession,
  work: (client: Client, host: H) => Promise<T>,
  failed: (host: H, reason: string) => T,
): Promise<T[]> {
  return Promise.all(
    hosts.map(async (host) => {
      try {
        const client = await connectWithKey(host, session);
        try {
          return await work(client, host);
        } finally {
          client.end();
        }
      } catch (error) {
        return failed(host, (error as Error).message);
      }
    }),
  );
}

export function pushProjectBundle(
  context: DeployContext,
  session: KeySession,
  options: Pick<PushOptions, 'signal' | 'onProgress' | 'reserveBytes' | 'journalPath' | 'log'> = {},
): Promise<PushResult> {
  return pushBundle({
    bundleDir: context.bundleDir,
    manifest: context.manifest,
    destination: context.remoteBundleDir,
    connect: () => connectWithKey(context.deployNode, session, 5000),
    sudoPassword: sudoPasswordOf(session.credential),
    ...options,
  });
}

/** The services as the laptop and every host see them; the laptop's report first. */
export async function checkProjectServices(
  context: DeployContext,
  session: KeySession,
  waitMs = 0,
): Promise<{ ok: boolean; reports: HealthReport[] }> {
  const checks = healthChecks(context.manifest, context.endpoints);
  const reports = [await waitHealthyFromLaptop(checks, waitMs)];
  reports.push(
    ...(await onEachHost(
      context.hosts,
      session,
      (client, host) => checkFromHost(client, host.name, checks),
      (host, reason): HealthReport => ({
        from: host.name,
        ok: false,
        checks: checks.map((check) => ({
          name: check.name,
          url: check.url,
          ok: false,
          detail: `no SSH session: ${reason}`,
        })),
      }),
    )),
  );
  return { ok: reports.every((report) => report.ok), reports };
}

export async function startProjectServices(
  context: DeployContext,
  session: KeySession,
): Promise<{ ok: boolean; reports: HealthReport[] }> {
  const client = await connectWithKey(context.deployNode, session);
  try {
    await startOfflineServices(client, {
      bundleDir: context.remoteBundleDir,
      manifest: context.manifest,
      endpoints: context.endpoints,
      sudoPassword: sudoPasswordOf(session.credential),
    });
  } finally {
    client.end();
  }
  return checkProjectServices(context, session, 15_000);
}
