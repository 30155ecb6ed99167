import type { AccessProgress } from '../../electron/common/access-api';
import type { ApiClient } from './api-client';

/** Collects the facts of the hosts at `addresses`, as the Access step does, and returns the finished progress. */
export async function collectFacts(
  api: ApiClient,
  projectId: string,
  credentialId: string,
  addresses: string[],
): Promise<AccessProgress> {
  const { runId } = await api.call('access.collectFacts', {
    projectId,
    credentialId,
    hosts: addresses.map((address) => ({ address })),
  });
  return (await api.waitForEvent(
    (event, payload) =>
      event === 'access.progress' &&
      (payload as AccessProgress).runId === runId &&
      (payload as AccessProgress).finished,
  )) as AccessProgress;
}

/** Accepts hosts' keys the way the Access step does: collect facts, see each unknown key, accept it by fingerprint. */
export async function trustHosts(
  api: ApiClient,
  projectId: string,
  credentialId: string,
  addresses: string[],
): Promise<void> {
  const done = await collectFacts(api, projectId, credentialId, addresses);
  const keys = (done.outcomes ?? []).map((outcome) => {
    if (outcome.state !== 'failed' || !outcome.presentedKey)
      throw new Error(`expected an unknown host key, got ${JSON.stringify(outcome)}`);
    return { address: outcome.address, port: 22, fingerprint: outcome.presentedKey.fingerprint };
  });
  await api.call('access.acceptHostKeys', { projectId, keys });
}
