import type { AccessProgress } from '../../electron/common/access-api';
import type { Api, ApiResult } from '../../electron/common/api';
import type { ClusterHost, HostInput } from '../../electron/common/cluster-plan';
import type { CredentialInput, CredentialSummary } from '../../electron/common/credentials';
import { fitsPlanByDefault, mergeHosts } from '../../electron/common/facts-to-plan';
import type { ProjectDocument } from '../../electron/common/project';
import { ApiCallError } from '../api/api-call-error';
import { describeError } from '../api/describe-error';
import {
  formatTarget,
  parseAccessHosts,
  recordOutcome,
  toHostInput,
  type AccessTarget,
  type HostAccess,
} from './access-hosts';
import type { AirsprayState, SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import type { AppLocale } from '../i18n/locales';
import { selectPlan } from './plan-slice';
import { writeOnTop } from './project-writes';
import { formatIn, intlFor } from '../i18n/english-intl';
import { joinItems } from '../i18n/join-items';
import { succeeded } from './succeeded';

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
  factsRun: FactsRun | null;
  factsError: string | null;
  hostAccess: HostAccess[];
  /** Addresses whose presented key the operator refused in this session. */
  refusedKeys: string[];
  acceptingKeys: boolean;
  hostKeyError: string | null;
  /** What the last data center's list confirmed, and which keys differed from it. */
  keyListOutcome: ApiResult<'access.acceptListedHostKeys'> | null;
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
  /** Confirms the new keys a data center's list (known_hosts or fingerprints) names, then collects again for them. */
  acceptListedHostKeys(list: string): Promise<void>;
  refuseHostKeys(addresses: string[]): void;
  setUseInPlan(address: string, use: boolean): void;
  /** Puts exactly these addresses (those a filter shows) in the plan, of the hosts that answered; one update. */
  chooseOnlyForPlan(addresses: readonly string[]): void;
  /** Puts the chosen hosts, with their facts summary, into the open project's plan. */
  addHostsToPlan(): Promise<void>;
}

/** Maps the API's field path ("credential.auth.password") to the form input it belongs to. */
function credentialFieldError(error: unknown, locale: AppLocale): FieldError {
  if (!(error instanceof ApiCallError) || error.field === undefined) return { message: describeError(error, locale) };
  const last = error.field.split('.').at(-1) ?? error.field;
  return { message: describeError(error, locale), field: last };
}

export const selectUnknownKeys = (state: AirsprayState): HostAccess[] =>
  state.hostAccess.filter(
    (host) =>
      host.outcome?.state === 'failed' &&
      host.outcome.kind === 'host-key-unknown' &&
      !state.refusedKeys.includes(host.address),
  );

export const selectChangedKeys = (state: AirsprayState): HostAccess[] =>
  state.hostAccess.filter((host) => host.outcome?.state === 'failed' && host.outcome.kind === 'host-key-changed');

export const selectFactsRunning = (state: AirsprayState): boolean =>
  state.factsRun !== null && state.factsRun.phase !== 'finished';

/**
 * Whether a host goes into the plan: the operator's choice, else only when it answered and no check failed that a
 * cluster setting could not answer instead (a kernel without ip_vs still suits kube-proxy in iptables mode).
 */
export function isUsedInPlan(state: AirsprayState, host: HostAccess): boolean {
  if (host.outcome?.state !== 'ok') return false;
  return state.planChoices[host.address] ?? fitsPlanByDefault(host.outcome);
}

export const selectHostsForPlan = (state: AirsprayState): HostAccess[] =>
  state.hostAccess.filter((host) => isUsedInPlan(state, host));

type SetAccess = Parameters<SliceCreator<AccessSlice>>[0];
type GetAccess = () => AirsprayState;

const initialAccess = {
  accessHostsText: '',
  accessHostsError: null,
  credentials: [],
  credentialsError: null,
  addingCredential: false,
  credentialError: null,
  factsRun: null,
  factsError: null,
  hostAccess: [],
  refusedKeys: [],
  acceptingKeys: false,
  hostKeyError: null,
  keyListOutcome: null,
  planChoices: {},
  usingHosts: false,
  useHostsResult: null,
} satisfies Partial<AccessSlice>;

/** The credential profiles: listed, added, removed and chosen. Secrets go to the core, never into the store. */
function credentialActions(api: Api, set: SetAccess, get: GetAccess) {
  return {
    loadCredentials: async () => {
      try {
        const credentials = await api.call('credentials.list', {});
        const selected = get().selectedCredentialId;
        const selectedCredentialId = credentials.some((profile) => profile.id === selected)
          ? selected
          : (credentials[0]?.id ?? null);
        set({ credentials, credentialsError: null, selectedCredentialId }, false, 'access/credentials');
      } catch (error) {
        set({ credentialsError: describeError(error, get().locale) }, false, 'access/credentialsFailed');
      }
    },

    addCredential: async (credential: CredentialInput, persist: boolean) => {
      set({ addingCredential: true, credentialError: null }, false, 'access/addCredential');
      return succeeded(
        async () => {
          const summary = await api.call('credentials.add', { credential, persist });
          set(
            {
              addingCredential: false,
              credentials: [...get().credentials, summary],
              selectedCredentialId: summary.id,
              factsError: null,
            },
            false,
            'access/credentialAdded',
          );
        },
        (error) =>
          set(
            { addingCredential: false, credentialError: credentialFieldError(error, get().locale) },
            false,
            'access/credentialRefused',
          ),
      );
    },

    removeCredential: async (id: string) => {
      try {
        await api.call('credentials.remove', { id });
        const credentials = get().credentials.filter((profile) => profile.id !== id);
        const selected = get().selectedCredentialId;
        set(
          { credentials, selectedCredentialId: selected === id ? (credentials[0]?.id ?? null) : selected },
          false,
          'access/credentialRemoved',
        );
      } catch (error) {
        set({ credentialsError: describeError(error, get().locale) }, false, 'access/removeFailed');
      }
    },

    selectCredential: (selectedCredentialId: string | null) =>
      set({ selectedCredentialId, factsError: null }, false, 'access/selectCredential'),

    clearCredentialError: () => set({ credentialError: null }, false, 'access/clearCredentialError'),
  };
}

/** The hosts a run collects facts for, or the reason it cannot start (already set on the store). */
function factsTargets(
  set: SetAccess,
  get: GetAccess,
  only?: AccessTarget[],
): { credentialId: string; targets: AccessTarget[] } | null {
  const credentialId = get().selectedCredentialId;
  if (!credentialId) {
    set({ factsError: formatIn(get().locale, 'access.facts.noProfile') }, false, 'access/refused');
    return null;
  }
  if (only) return { credentialId, targets: only };
  const parsed = parseAccessHosts(get().accessHostsText, get().locale);
  if (typeof parsed === 'string') {
    set({ accessHostsError: parsed }, false, 'access/refused');
    return null;
  }
  return { credentialId, targets: parsed };
}

/** A facts run: started for the hosts field (or some hosts), followed by its progress events. */
function factsActions(api: Api, set: SetAccess, get: GetAccess) {
  // Events that arrive before `access.collectFacts` has answered with their run id.
  let earlyEvents: AccessProgress[] = [];

  function applyProgress(progress: AccessProgress): void {
    const run = get().factsRun;
    if (!run || progress.runId !== run.id) return;
    const now = new Date().toISOString();
    let hosts = get().hostAccess;
    if (progress.outcome) hosts = recordOutcome(hosts, progress.outcome, now);
    // The final event carries every outcome again, now with the pre-flight checks across all hosts of the run.
    for (const outcome of progress.outcomes ?? []) hosts = recordOutcome(hosts, outcome, now);
    const phase = progress.finished ? 'finished' : 'running';
    set(
      { hostAccess: hosts, factsRun: { ...run, phase, done: progress.done, total: progress.total } },
      false,
      `access/${phase === 'finished' ? 'finished' : 'progress'}`,
    );
  }

  /** Shows the hosts as pending: a full run starts over, a partial one (after accepting keys) keeps the others. */
  function showPending(targets: AccessTarget[], partial: boolean): void {
    const pending = (target: AccessTarget): HostAccess => ({ ...target, outcome: null });
    const hostAccess = partial
      ? get().hostAccess.map((host) =>
          targets.some((target) => target.address === host.address) ? pending(host) : host,
        )
      : targets.map(pending);
    earlyEvents = [];
    set(
      {
        hostAccess,
        factsRun: { id: null, phase: 'starting', done: 0, total: targets.length },
        factsError: null,
        accessHostsError: null,
        useHostsResult: null,
        ...(partial ? {} : { keyListOutcome: null }),
        ...(partial ? {} : { refusedKeys: [], hostKeyError: null, planChoices: {} }),
      },
      false,
      'access/collect',
    );
  }

  return {
    collectFacts: async (only?: AccessTarget[]) => {
      if (selectFactsRunning(get())) return;
      const request = factsTargets(set, get, only);
      if (!request) return;
      const { credentialId, targets } = request;
      showPending(targets, only !== undefined);
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
        set(
          { factsRun: null, factsError: describeError(error, get().locale), hostAccess: stillShown },
          false,
          'access/refused',
        );
      }
    },

    watchAccess: () =>
      api.subscribe('access.progress', (progress) => {
        if (get().factsRun?.phase === 'starting') earlyEvents.push(progress);
        else applyProgress(progress);
      }),
  };
}

/** Collects again for hosts whose keys were just accepted, and for every host that answered: duplicate checks
 * (hostname, machine-id) compare within one run. */
async function collectAgain(get: GetAccess, hosts: readonly AccessTarget[]): Promise<void> {
  const answered = get().hostAccess.filter((host) => host.outcome?.state === 'ok');
  await get().collectFacts([...answered, ...hosts].map(({ address, port }) => ({ address, port })));
}

/** Host keys the operator accepted (recorded, then the hosts collected again) or refused (for this session). */
function hostKeyActions(api: Api, set: SetAccess, get: GetAccess) {
  return {
    acceptHostKeys: async (addresses: string[]) => {
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
        set({ acceptingKeys: false, hostKeyError: describeError(error, get().locale) }, false, 'access/acceptFailed');
        return;
      }
      await collectAgain(get, hosts);
    },

    acceptListedHostKeys: async (list: string) => {
      if (get().acceptingKeys || selectFactsRunning(get())) return;
      set({ acceptingKeys: true, hostKeyError: null, keyListOutcome: null }, false, 'access/acceptListed');
      const projectId = get().currentProject?.id;
      try {
        const outcome = await api.call('access.acceptListedHostKeys', { ...(projectId ? { projectId } : {}), list });
        set({ acceptingKeys: false, keyListOutcome: outcome }, false, 'access/listedAccepted');
        const accepted = new Set(outcome.accepted.map((key) => key.address));
        const hosts = selectUnknownKeys(get()).filter((host) => accepted.has(host.address));
        if (hosts.length > 0) await collectAgain(get, hosts);
      } catch (error) {
        set({ acceptingKeys: false, hostKeyError: describeError(error, get().locale) }, false, 'access/listedFailed');
      }
    },

    refuseHostKeys: (addresses: string[]) =>
      set({ refusedKeys: [...new Set([...get().refusedKeys, ...addresses])] }, false, 'access/refuseKeys'),
  };
}

/** Another window (or a step save) may have gone first: the hosts are merged into what is on disk now. */
const saveHosts = (api: Api, project: ProjectDocument, plan: readonly ClusterHost[], incoming: HostInput[]) =>
  writeOnTop(api, project, (revision, fresh) =>
    api.call('projects.setHosts', {
      id: project.id,
      revision,
      hosts: mergeHosts(fresh?.cluster.hosts ?? plan, incoming),
    }),
  );

/** The chosen hosts, with their facts summary, into the open project's plan (and the Roles step's draft). */
async function addHostsToPlan(api: Api, set: SetAccess, get: GetAccess): Promise<void> {
  const state = get();
  const project = state.currentProject;
  const plan = selectPlan(state);
  if (!project || !plan) {
    set(
      { useHostsResult: { kind: 'error', text: formatIn(state.locale, 'access.useHosts.noProject') } },
      false,
      'access/useRefused',
    );
    return;
  }
  const incoming = selectHostsForPlan(state)
    .map(toHostInput)
    .filter((input): input is HostInput => input !== null);
  if (incoming.length === 0) {
    set(
      { useHostsResult: { kind: 'error', text: formatIn(state.locale, 'access.useHosts.noneTicked') } },
      false,
      'access/useRefused',
    );
    return;
  }
  set({ usingHosts: true, useHostsResult: null }, false, 'access/useHosts');
  try {
    const saved = await saveHosts(api, project, plan.hosts, incoming);
    const draft = get().planDraft;
    const names = joinItems(
      intlFor(get().locale),
      incoming.map((input) => input.name),
    );
    set(
      {
        usingHosts: false,
        currentProject: saved,
        // The Roles step shows its draft over the saved plan: give the draft the hosts just saved.
        ...(draft?.projectId === saved.id
          ? {
              planDraft: {
                projectId: saved.id,
                plan: { ...draft.plan, hosts: saved.cluster.hosts, deployNode: saved.cluster.deployNode },
              },
            }
          : {}),
        useHostsResult: {
          kind: 'ok',
          text: formatIn(get().locale, 'access.useHosts.saved', {
            hosts: names,
            count: incoming.length,
            project: saved.name,
          }),
        },
      },
      false,
      'access/hostsUsed',
    );
  } catch (error) {
    set(
      {
        usingHosts: false,
        useHostsResult: {
          kind: 'error',
          text: formatIn(get().locale, 'access.useHosts.failed', { reason: describeError(error, get().locale) }),
        },
      },
      false,
      'access/useFailed',
    );
  }
}

export function createAccessSlice(api: Api): SliceCreator<AccessSlice> {
  return (set, get) => ({
    ...initialAccess,
    setAccessHostsText: (accessHostsText) =>
      set({ accessHostsText, accessHostsError: null }, false, 'access/hostsText'),
    setAccessHosts: (targets) =>
      set(
        { accessHostsText: targets.map(formatTarget).join('\n'), accessHostsError: null },
        false,
        'access/hostsCarried',
      ),
    ...credentialActions(api, set, get),
    ...factsActions(api, set, get),
    ...hostKeyActions(api, set, get),
    setUseInPlan: (address, use) =>
      set({ planChoices: { ...get().planChoices, [address]: use } }, false, 'access/useInPlan'),
    chooseOnlyForPlan: (addresses) => {
      const chosen = new Set(addresses);
      const answered = get().hostAccess.filter((host) => host.outcome?.state === 'ok');
      const planChoices = Object.fromEntries(answered.map((host) => [host.address, chosen.has(host.address)]));
      set({ planChoices }, false, 'access/chooseOnlyForPlan');
    },
    addHostsToPlan: () => addHostsToPlan(api, set, get),
  });
}
