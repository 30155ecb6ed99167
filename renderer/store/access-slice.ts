import type { AccessProgress } from '../../electron/common/access-api';
import type { Api } from '../../electron/common/api';
import type { ClusterHost, HostFactsSummary, HostInput } from '../../electron/common/cluster-plan';
import type { CredentialInput, CredentialSummary } from '../../electron/common/credentials';
import type { FactsOutcome } from '../../electron/common/host-facts';
import type { ProjectDocument } from '../../electron/common/project';
import { ApiCallError } from '../api/api-call-error';
import { describeError } from '../api/describe-error';
import type { AirsprayState, SliceCreator } from './airspray-state';
import { selectPlan } from './plan-slice';
import type { FieldError } from './projects-slice';

export interface AccessTarget {
  address: string;
  port: number;
}

/** One host on the Access step: where it is reached and, once it answered, what came back. */
export interface HostAccess extends AccessTarget {
  /** null while its facts are being collected. */
  outcome: FactsOutcome | null;
  /** When this window received the outcome (ISO time). */
  receivedAt?: string;
}

export interface FactsRun {
  id: string | null;
  phase: 'starting' | 'running' | 'finished';
  done: number;
  total: number;
}

export interface AccessSlice {
  /** The hosts field: addresses, optionally "address:port", one per line or separated by spaces or commas. */
  accessHostsText: string;
  accessHostsError: string | null;
  credentials: CredentialSummary[];
  credentialsError: string | null;
  addingCredential: boolean;
  /** A refused profile; `field` is the form's input ("label", "user", "password", "privateKey", "persist"…). */
  credentialError: FieldError | null;
  selectedCredentialId: string | null;
  factsRun: FactsRun | null;
  factsError: string | null;
  hostAccess: HostAccess[];
  /** Addresses whose presented key the operator refused in this session. */
  refusedKeys: string[];
  acceptingKeys: boolean;
  hostKeyError: string | null;
  /** The operator's choice per address; without one, a host goes into the plan when no check failed. */
  planChoices: Record<string, boolean>;
  usingHosts: boolean;
  useHostsResult: { kind: 'ok' | 'error'; text: string } | null;
  setAccessHostsText(text: string): void;
  /** What Discover hands over: replaces the hosts field. */
  setAccessHosts(targets: AccessTarget[]): void;
  loadCredentials(): Promise<void>;
  /** Secrets go straight to the core and never into this store. Resolves true when the profile was added. */
  addCredential(credential: CredentialInput, persist: boolean): Promise<boolean>;
  removeCredential(id: string): Promise<void>;
  selectCredential(id: string | null): void;
  clearCredentialError(): void;
  /** Collects facts for the hosts field, or for the given hosts (merged into what is shown). */
  collectFacts(only?: AccessTarget[]): Promise<void>;
  /** Follows `access.progress` until the returned function is called. */
  watchAccess(): () => void;
  /** Records the keys these hosts presented, then collects again for them. */
  acceptHostKeys(addresses: string[]): Promise<void>;
  refuseHostKeys(addresses: string[]): void;
  setUseInPlan(address: string, use: boolean): void;
  /** Puts the chosen hosts, with their facts summary, into the open project's plan. */
  addHostsToPlan(): Promise<void>;
}

const ipv4Pattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(text: string): boolean {
  const match = ipv4Pattern.exec(text);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

const formatTarget = (target: AccessTarget) => (target.port === 22 ? target.address : `${target.address}:${target.port}`);

/** "10.0.0.11 10.0.0.12:2222" to targets; the first bad token is named. IPv6 is left for the API to judge. */
export function parseAccessHosts(text: string): AccessTarget[] | string {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return 'No hosts: sweep on the Discover step, or type addresses such as 10.0.0.11.';
  const targets: AccessTarget[] = [];
  for (const token of tokens) {
    const withPort = /^(.+\.\d{1,3}):(\d{1,5})$/.exec(token);
    const address = withPort ? (withPort[1] ?? '') : token;
    const port = withPort ? Number(withPort[2]) : 22;
    const ipv6 = !withPort && token.includes(':') && /^[0-9a-f:.]+$/i.test(token);
    if ((!isIpv4(address) && !ipv6) || port < 1 || port > 65535) {
      return `"${token}" is not a host address: type an IPv4 address such as 10.0.0.11, optionally with a port (10.0.0.11:2222).`;
    }
    if (!targets.some((target) => target.address === address)) targets.push({ address, port });
  }
  return targets;
}

/** Maps the API's field path ("credential.auth.password") to the form input it belongs to. */
function credentialFieldError(error: unknown): FieldError {
  if (!(error instanceof ApiCallError) || error.field === undefined) return { message: describeError(error) };
  const last = error.field.split('.').at(-1) ?? error.field;
  return { message: error.message, field: last };
}

export const selectUnknownKeys = (state: AirsprayState): HostAccess[] =>
  state.hostAccess.filter(
    (host) => host.outcome?.state === 'failed' && host.outcome.kind === 'host-key-unknown' && !state.refusedKeys.includes(host.address),
  );

export const selectChangedKeys = (state: AirsprayState): HostAccess[] =>
  state.hostAccess.filter((host) => host.outcome?.state === 'failed' && host.outcome.kind === 'host-key-changed');

export const selectFactsRunning = (state: AirsprayState): boolean => state.factsRun !== null && state.factsRun.phase !== 'finished';

/**
 * Whether a host goes into the plan: the operator's choice, else only when it answered and no check failed that a
 * cluster setting could not answer instead (a kernel without ip_vs still suits kube-proxy in iptables mode).
 */
export function isUsedInPlan(state: AirsprayState, host: HostAccess): boolean {
  if (host.outcome?.state !== 'ok') return false;
  return state.planChoices[host.address] ?? !host.outcome.checks.some((check) => check.status === 'fail' && !check.answeredBySetting);
}

export const selectHostsForPlan = (state: AirsprayState): HostAccess[] => state.hostAccess.filter((host) => isUsedInPlan(state, host));

/** What planning keeps of the facts: the short host name, OS, size and every IPv4 address with its prefix. */
export function toHostInput(host: HostAccess): HostInput | null {
  if (host.outcome?.state !== 'ok' || !isIpv4(host.address)) return null;
  const { facts } = host.outcome;
  const addresses = facts.interfaces
    .filter((iface) => iface.name !== 'lo')
    .flatMap((iface) => iface.addresses)
    .map((cidr) => cidr.split('/'))
    .filter(([address = '', prefix]) => isIpv4(address) && !address.startsWith('127.') && prefix !== undefined)
    .map(([address = '', prefix]) => ({ address, prefixLength: Number(prefix) }));
  const summary: HostFactsSummary = {
    os: { id: facts.os.id, version: facts.os.versionId },
    arch: facts.arch,
    cpus: facts.cpus,
    memoryMiB: facts.memoryMiB,
    addresses,
    ...(host.receivedAt ? { collectedAt: host.receivedAt } : {}),
  };
  const name = (facts.hostname.split('.')[0] ?? facts.hostname).toLowerCase();
  // A host whose probe could not count its CPUs keeps no summary rather than a made-up one.
  return { name, address: host.address, ...(facts.cpus > 0 && facts.os.id ? { facts: summary } : {}) };
}

/** The plan's hosts with the new ones in: a new host replaces one of the same name or address and keeps its roles. */
export function mergeHosts(existing: readonly ClusterHost[], incoming: readonly HostInput[]): HostInput[] {
  const kept: HostInput[] = existing.filter((host) => !incoming.some((input) => input.name === host.name || input.address === host.address));
  const added = incoming.map((input) => {
    const previous = existing.find((host) => host.name === input.name) ?? existing.find((host) => host.address === input.address);
    return previous ? { ...input, roles: previous.roles } : input;
  });
  return [...kept, ...added];
}

export function createAccessSlice(api: Api): SliceCreator<AccessSlice> {
  return (set, get) => {
    // Events that arrive before `access.collectFacts` has answered with their run id.
    let earlyEvents: AccessProgress[] = [];

    function recordOutcome(hosts: HostAccess[], outcome: FactsOutcome, receivedAt: string): HostAccess[] {
      return hosts.map((host) => (host.address === outcome.address ? { ...host, outcome, receivedAt: host.outcome?.state === 'ok' && host.receivedAt ? host.receivedAt : receivedAt } : host));
    }

    function applyProgress(progress: AccessProgress): void {
      const run = get().factsRun;
      if (!run || progress.runId !== run.id) return;
      const now = new Date().toISOString();
      let hosts = get().hostAccess;
      if (progress.outcome) hosts = recordOutcome(hosts, progress.outcome, now);
      // The final event carries every outcome again, now with the pre-flight checks across all hosts of the run.
      for (const outcome of progress.outcomes ?? []) hosts = recordOutcome(hosts, outcome, now);
      const phase = progress.finished ? 'finished' : 'running';
      set({ hostAccess: hosts, factsRun: { ...run, phase, done: progress.done, total: progress.total } }, false, `access/${phase === 'finished' ? 'finished' : 'progress'}`);
    }

    async function saveHosts(project: ProjectDocument, plan: readonly ClusterHost[], incoming: HostInput[]): Promise<ProjectDocument> {
      try {
        return await api.call('projects.setHosts', { id: project.id, revision: project.revision, hosts: mergeHosts(plan, incoming) });
      } catch (error) {
        if (!(error instanceof ApiCallError) || error.code !== 'stale_revision') throw error;
        // Another window (or a step save) went first: merge into what is on disk now.
        const fresh = await api.call('projects.open', { id: project.id });
        return await api.call('projects.setHosts', { id: project.id, revision: fresh.revision, hosts: mergeHosts(fresh.cluster.hosts, incoming) });
      }
    }

    return {
      accessHostsText: '',
      accessHostsError: null,
      credentials: [],
      credentialsError: null,
      addingCredential: false,
      credentialError: null,
      selectedCredentialId: null,
      factsRun: null,
      factsError: null,
      hostAccess: [],
      refusedKeys: [],
      acceptingKeys: false,
      hostKeyError: null,
      planChoices: {},
      usingHosts: false,
      useHostsResult: null,

      setAccessHostsText: (accessHostsText) => set({ accessHostsText, accessHostsError: null }, false, 'access/hostsText'),

      setAccessHosts: (targets) => set({ accessHostsText: targets.map(formatTarget).join('\n'), accessHostsError: null }, false, 'access/hostsCarried'),

      loadCredentials: async () => {
        try {
          const credentials = await api.call('credentials.list', {});
          const selected = get().selectedCredentialId;
          const selectedCredentialId = credentials.some((profile) => profile.id === selected) ? selected : (credentials[0]?.id ?? null);
          set({ credentials, credentialsError: null, selectedCredentialId }, false, 'access/credentials');
        } catch (error) {
          set({ credentialsError: describeError(error) }, false, 'access/credentialsFailed');
        }
      },

      addCredential: async (credential, persist) => {
        set({ addingCredential: true, credentialError: null }, false, 'access/addCredential');
        try {
          const summary = await api.call('credentials.add', { credential, persist });
          set(
            { addingCredential: false, credentials: [...get().credentials, summary], selectedCredentialId: summary.id, factsError: null },
            false,
            'access/credentialAdded',
          );
          return true;
        } catch (error) {
          set({ addingCredential: false, credentialError: credentialFieldError(error) }, false, 'access/credentialRefused');
          return false;
        }
      },

      removeCredential: async (id) => {
        try {
          await api.call('credentials.remove', { id });
          const credentials = get().credentials.filter((profile) => profile.id !== id);
          const selected = get().selectedCredentialId;
          set({ credentials, selectedCredentialId: selected === id ? (credentials[0]?.id ?? null) : selected }, false, 'access/credentialRemoved');
        } catch (error) {
          set({ credentialsError: describeError(error) }, false, 'access/removeFailed');
        }
      },

      selectCredential: (selectedCredentialId) => set({ selectedCredentialId, factsError: null }, false, 'access/selectCredential'),

      clearCredentialError: () => set({ credentialError: null }, false, 'access/clearCredentialError'),

      collectFacts: async (only) => {
        if (selectFactsRunning(get())) return;
        const credentialId = get().selectedCredentialId;
        if (!credentialId) {
          set({ factsError: 'Pick a credential profile first, or add one above.' }, false, 'access/refused');
          return;
        }
        let targets = only;
        if (!targets) {
          const parsed = parseAccessHosts(get().accessHostsText);
          if (typeof parsed === 'string') {
            set({ accessHostsError: parsed }, false, 'access/refused');
            return;
          }
          targets = parsed;
        }
        const pending = (target: AccessTarget): HostAccess => ({ ...target, outcome: null });
        // A full run starts over; a partial one (after accepting keys) keeps the other hosts on screen.
        const hostAccess = only
          ? [...get().hostAccess.map((host) => (targets.some((target) => target.address === host.address) ? pending(host) : host))]
          : targets.map(pending);
        earlyEvents = [];
        set(
          {
            hostAccess,
            factsRun: { id: null, phase: 'starting', done: 0, total: targets.length },
            factsError: null,
            accessHostsError: null,
            useHostsResult: null,
            ...(only ? {} : { refusedKeys: [], hostKeyError: null, planChoices: {} }),
          },
          false,
          'access/collect',
        );
        try {
          const projectId = get().currentProject?.id;
          const { runId, total } = await api.call('access.collectFacts', {
            ...(projectId ? { projectId } : {}),
            credentialId,
            hosts: targets.map((target) => ({ address: target.address, port: target.port })),
          });
          set({ factsRun: { id: runId, phase: 'running', done: 0, total } }, false, 'access/started');
          const early = earlyEvents;
          earlyEvents = [];
          for (const progress of early) applyProgress(progress);
        } catch (error) {
          const stillShown = get().hostAccess.filter((host) => host.outcome !== null);
          set({ factsRun: null, factsError: describeError(error), hostAccess: stillShown }, false, 'access/refused');
        }
      },

      watchAccess: () =>
        api.subscribe('access.progress', (progress) => {
          if (get().factsRun?.phase === 'starting') earlyEvents.push(progress);
          else applyProgress(progress);
        }),

      acceptHostKeys: async (addresses) => {
        const hosts = selectUnknownKeys(get()).filter((host) => addresses.includes(host.address));
        if (hosts.length === 0 || get().acceptingKeys || selectFactsRunning(get())) return;
        set({ acceptingKeys: true, hostKeyError: null }, false, 'access/acceptKeys');
        try {
          const projectId = get().currentProject?.id;
          const keys = hosts.map((host) => ({
            address: host.address,
            port: host.port,
            fingerprint: host.outcome?.state === 'failed' ? (host.outcome.presentedKey?.fingerprint ?? '') : '',
          }));
          await api.call('access.acceptHostKeys', { ...(projectId ? { projectId } : {}), keys });
          set({ acceptingKeys: false }, false, 'access/keysAccepted');
        } catch (error) {
          set({ acceptingKeys: false, hostKeyError: describeError(error) }, false, 'access/acceptFailed');
          return;
        }
        // Hosts that already answered go again too: duplicate checks (hostname, machine-id) compare within one run.
        const answered = get().hostAccess.filter((host) => host.outcome?.state === 'ok');
        const again = [...answered, ...hosts].map(({ address, port }) => ({ address, port }));
        await get().collectFacts(again);
      },

      refuseHostKeys: (addresses) =>
        set({ refusedKeys: [...new Set([...get().refusedKeys, ...addresses])] }, false, 'access/refuseKeys'),

      setUseInPlan: (address, use) => set({ planChoices: { ...get().planChoices, [address]: use } }, false, 'access/useInPlan'),

      addHostsToPlan: async () => {
        const state = get();
        const project = state.currentProject;
        const plan = selectPlan(state);
        if (!project || !plan) {
          set({ useHostsResult: { kind: 'error', text: 'Open or create a project first: the hosts go into its plan.' } }, false, 'access/useRefused');
          return;
        }
        const incoming = selectHostsForPlan(state)
          .map(toHostInput)
          .filter((input): input is HostInput => input !== null);
        if (incoming.length === 0) {
          set({ useHostsResult: { kind: 'error', text: 'No host is ticked for the plan: tick the hosts to use.' } }, false, 'access/useRefused');
          return;
        }
        set({ usingHosts: true, useHostsResult: null }, false, 'access/useHosts');
        try {
          const saved = await saveHosts(project, plan.hosts, incoming);
          const draft = get().planDraft;
          const names = incoming.map((input) => input.name).join(', ');
          set(
            {
              usingHosts: false,
              currentProject: saved,
              // The Roles step shows its draft over the saved plan: give the draft the hosts just saved.
              ...(draft?.projectId === saved.id
                ? { planDraft: { projectId: saved.id, plan: { ...draft.plan, hosts: saved.cluster.hosts, deployNode: saved.cluster.deployNode } } }
                : {}),
              useHostsResult: { kind: 'ok', text: `${names} ${incoming.length === 1 ? 'is' : 'are'} in the plan of ${saved.name}; the Roles step shows them.` },
            },
            false,
            'access/hostsUsed',
          );
        } catch (error) {
          set({ usingHosts: false, useHostsResult: { kind: 'error', text: `The hosts were not saved: ${describeError(error)}` } }, false, 'access/useFailed');
        }
      },
    };
  };
}
