import type { AccessProgress } from '../../electron/common/access-api';
import type { ApiClient } from './api-client';

/** Accepts hosts' keys the way the Access step does: collect facts, see each unknown key, accept it by fingerprint. */
export async function trustHosts(
  api: ApiClient,
  projectId: string,
  credentialId: string,
  addresses: string[],
): Promise<void> {
  const { runId } = await api.call('access.collectFacts', {
    projectId,
    credentialId,
    hosts: addresses.map((address) => ({ address })),
  });
  const done = (await api.waitForEvent(
    (event, payload) =>
      event === 'access.progress' &&
      (payload as AccessProgress).runId === runId &&
      (payload as AccessProgress).finished,
  )) as AccessProgress;
  const keys = (done.outcomes ?? []).map((outcome) => {
    if (outcome.state !== 'failed' || !outcome.presentedKey)
      throw new Error(`expected an unknown host key, got ${JSON.stringify(outcome)}`);
    return { address: outcome.address, port: 22, fingerprint: outcome.presentedKey.fingerprint };
  });
  await api.call('access.acceptHostKeys', { projectId, keys });
}
