import { randomUUID } from 'node:crypto';
import { homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { ApiEventName, ApiEventPayload, ApiParams, ApiResult } from '../../common/api';
import type { SweepResult } from '../../common/discovery';
import { formatIpv4Network, ipv4ToNumber, networkOf } from '../../common/ipv4';
import { coreError } from '../i18n/format-core-message';
import type { ApiHandlers } from '../api/dispatch-api-call';
import type { ProjectStore } from '../projects/project-store';
import { eachTarget, planTargets, type TargetPlan } from '../discovery/parse-targets';
import { SweepMeter } from '../discovery/sweep-meter';
import { sweep } from '../discovery/sweep';
import { HostKeyStore, projectKnownHostsFile } from '../ssh/host-key-store';
import { HostKeyList } from '../ssh/host-key-list';
import { fingerprintOf, hostKeyInfo } from '../ssh/known-hosts';
import { collectFacts } from './collect-facts';
import type { CredentialVault } from './credential-vault';
import { planViewOf } from './kubespray-checks';
import { platformsFor } from './preflight';

type AccessMethod =
  | 'discovery.suggestTargets'
  | 'discovery.start'
  | 'discovery.cancel'
  | 'credentials.list'
  | 'credentials.add'
  | 'credentials.remove'
  | 'access.collectFacts'
  | 'access.acceptHostKeys'
  | 'access.acceptListedHostKeys';

export interface AccessDependencies {
  dataDir: string;
  projects: ProjectStore;
  vault: CredentialVault;
  emit: <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => void;
}

/** Sweep results reach the UI in batches, not one event per address. */
const progressIntervalMs = 100;

/** Host keys live with the project (or the data folder without one); the operator's own known_hosts is honoured. */
export function hostKeyStoreFor(dataDir: string, projectId: string | undefined): HostKeyStore {
  const own = projectId ? projectKnownHostsFile(dataDir, projectId) : join(dataDir, 'known_hosts');
  return new HostKeyStore(own, [join(homedir(), '.ssh', 'known_hosts')]);
}

/** The subnets of this machine's own IPv4 interfaces, proposed as sweep targets. */
export function localSubnets(): { cidr: string; interfaceName: string }[] {
  const subnets: { cidr: string; interfaceName: string }[] = [];
  for (const [interfaceName, addresses] of Object.entries(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family !== 'IPv4' || address.internal || !address.cidr) continue;
      const [ip = '', bits = '32'] = address.cidr.split('/');
      // A wider network is narrowed to the /16 around this machine: sweeping millions of addresses is never meant.
      const prefix = Math.max(Number(bits), 16);
      const value = ipv4ToNumber(ip);
      if (value !== null) subnets.push({ cidr: formatIpv4Network(networkOf(value, prefix)), interfaceName });
    }
  }
  return subnets;
}

/** A sweep in the background: results go out in batches every progressIntervalMs, and once more when it ends. */
function startSweep(
  deps: AccessDependencies,
  sweeps: Map<string, AbortController>,
  plan: TargetPlan,
  options: { ports: number[]; connectsPerSecond?: number },
): { sweepId: string; total: number } {
  const sweepId = randomUUID();
  const controller = new AbortController();
  sweeps.set(sweepId, controller);
  const meter = new SweepMeter(plan.total);
  let pending: SweepResult[] = [];
  const flush = (state: 'running' | 'finished' | 'cancelled') => {
    deps.emit('discovery.progress', { sweepId, ...meter.now(), results: pending, state });
    pending = [];
  };
  const timer = setInterval(() => pending.length > 0 && flush('running'), progressIntervalMs);
  void sweep(eachTarget(plan), {
    ...options,
    signal: controller.signal,
    onResult: (result) => {
      meter.record(result);
      pending.push(result);
    },
  }).finally(() => {
    clearInterval(timer);
    sweeps.delete(sweepId);
    flush(controller.signal.aborted ? 'cancelled' : 'finished');
  });
  return { sweepId, total: plan.total };
}

export function createAccessHandlers(deps: AccessDependencies): Pick<ApiHandlers, AccessMethod> {
  const sweeps = new Map<string, AbortController>();
  /** Keys hosts presented this session, by address, port and fingerprint: what "accept" may record. */
  const presentedKeys = new Map<string, { address: string; port: number; blob: Buffer }>();
  const keyId = (address: string, port: number, fingerprint: string) => `${address}|${port}|${fingerprint}`;

  return {
    'discovery.suggestTargets': async () => localSubnets(),

    'discovery.start': async ({ targets, ports, connectsPerSecond }) =>
      startSweep(deps, sweeps, planTargets(targets), {
        ports: ports ?? [22],
        ...(connectsPerSecond ? { connectsPerSecond } : {}),
      }),

    'discovery.cancel': async ({ sweepId }) => {
      const controller = sweeps.get(sweepId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    'credentials.list': () => deps.vault.list(),
    'credentials.add': ({ credential, persist }) => deps.vault.add(credential, persist),
    'credentials.remove': async ({ id }) => ({ removed: await deps.vault.remove(id) }),

    'access.collectFacts': async ({ projectId, credentialId, hosts }) => {
      const credential = await deps.vault.get(credentialId);
      const cluster = projectId ? (await deps.projects.open(projectId)).cluster : undefined;
      const platforms = platformsFor(cluster?.bundle);
      const runId = randomUUID();
      const targets = hosts.map((host) => ({ host: host.address, port: host.port ?? 22 }));
      void collectFacts(targets, {
        credential,
        hostKeys: hostKeyStoreFor(deps.dataDir, projectId),
        platforms,
        ...(cluster ? { plan: planViewOf(cluster) } : {}),
        onPresentedKey: (target, blob) =>
          presentedKeys.set(keyId(target.host, target.port, fingerprintOf(blob)), {
            address: target.host,
            port: target.port,
            blob,
          }),
        onOutcome: (outcome, done, total) =>
          deps.emit('access.progress', { runId, done, total, outcome, finished: false }),
      }).then((outcomes) =>
        deps.emit('access.progress', {
          runId,
          done: outcomes.length,
          total: outcomes.length,
          finished: true,
          outcomes,
        }),
      );
      return { runId, total: targets.length };
    },

    'access.acceptHostKeys': async ({ projectId, keys }) => ({
      accepted: await acceptPresentedKeys(
        hostKeyStoreFor(deps.dataDir, projectId),
        keys,
        (key) => presentedKeys.get(keyId(key.address, key.port, key.fingerprint))?.blob,
      ),
    }),

    'access.acceptListedHostKeys': async ({ projectId, list }) =>
      acceptListedKeys(hostKeyStoreFor(deps.dataDir, projectId), HostKeyList.parse(list), presentedKeys.values()),
  };
}

type KeyToAccept = ApiParams<'access.acceptHostKeys'>['keys'][number];

/** Records each key the operator accepted by the fingerprint they saw, if the host presented it this session. */
async function acceptPresentedKeys(
  store: HostKeyStore,
  keys: readonly KeyToAccept[],
  presented: (key: KeyToAccept) => Buffer | undefined,
): Promise<ApiResult<'access.acceptHostKeys'>['accepted']> {
  const accepted = [];
  for (const key of keys) {
    const blob = presented(key);
    if (!blob) {
      throw coreError(
        'not_found',
        'access.key-not-presented',
        { address: key.address, fingerprint: key.fingerprint },
        'keys',
      );
    }
    const verdict = await store.judge(key.address, key.port, blob);
    if (verdict.verdict === 'changed' || verdict.verdict === 'revoked') {
      throw coreError('conflict', 'access.key-changed', { address: key.address }, 'keys');
    }
    await store.accept(key.address, key.port, blob);
    accepted.push({ address: key.address, ...hostKeyInfo(blob) });
  }
  return accepted;
}

type ListedOutcome = ApiResult<'access.acceptListedHostKeys'>;

/** Each new key presented this session, against the list: recorded when listed, else reported. */
export async function acceptListedKeys(
  store: HostKeyStore,
  list: HostKeyList,
  presented: Iterable<{ address: string; port: number; blob: Buffer }>,
): Promise<ListedOutcome> {
  const outcome: ListedOutcome = { accepted: [], differing: [], unlisted: [] };
  for (const { address, port, blob } of presented) {
    if ((await store.judge(address, port, blob)).verdict !== 'unknown') continue;
    const verdict = list.judge(address, port, blob);
    if (verdict === 'listed') {
      await store.accept(address, port, blob);
      outcome.accepted.push({ address, ...hostKeyInfo(blob) });
    } else if (verdict === 'differs')
      outcome.differing.push({ address, presented: fingerprintOf(blob), listed: list.fingerprintsFor(address, port) });
    else outcome.unlisted.push({ address, ...hostKeyInfo(blob) });
  }
  return outcome;
}
