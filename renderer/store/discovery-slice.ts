import type { Api } from '../../electron/common/api';
import type { SweepProgress, SweepResult } from '../../electron/common/discovery';
import { ipv4ToNumber } from '../../electron/common/ipv4';
import { describeError } from '../api/describe-error';
import type { AppLocale } from '../i18n/locales';
import type { AirsprayState, SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { formatIn } from '../i18n/english-intl';

export type SweepPhase = 'idle' | 'starting' | 'running' | 'finished' | 'cancelled';

export interface SweepState {
  id: string | null;
  phase: SweepPhase;
  scanned: number;
  total: number;
  /** Addresses that answered SSH. */
  found: number;
  /** In address order, each batch merged in as it arrives (mergeByAddress). */
  results: SweepResult[];
  /** Addresses a second lately, and the seconds left at that pace, as the core last reported them. */
  ratePerSecond?: number;
  etaSeconds?: number | null;
}

export interface TargetSuggestion {
  cidr: string;
  interfaceName: string;
}

export interface DiscoverySlice {
  /** What the operator typed: CIDR blocks, ranges, addresses, host names. */
  discoveryTargets: string;
  /** The ports field as typed, e.g. "22" or "22, 2222". */
  discoveryPorts: string;
  targetSuggestions: TargetSuggestion[];
  sweep: SweepState;
  /** A refused sweep; `field` is "targets" or "ports" when the API named one. */
  sweepError: FieldError | null;
  /** SSH hosts the operator unticked: every other SSH host is selected, including ones still streaming in. */
  unselectedHosts: string[];
  setDiscoveryTargets(text: string): void;
  /** Appends a proposed subnet to the targets; never starts a sweep. */
  addDiscoveryTarget(cidr: string): void;
  setDiscoveryPorts(text: string): void;
  loadTargetSuggestions(): Promise<void>;
  startSweep(): Promise<void>;
  cancelSweep(): Promise<void>;
  /** Follows `discovery.progress` until the returned function is called. */
  watchDiscovery(): () => void;
  setHostSelected(address: string, selected: boolean): void;
  setAllHostsSelected(selected: boolean): void;
  /** Ticks exactly these addresses' SSH hosts (those a filter shows) and unticks every other. */
  selectOnlyHosts(addresses: readonly string[]): void;
  /** Hands the selected SSH hosts to the Access step and goes there. */
  continueToAccess(): void;
}

const idleSweep: SweepState = { id: null, phase: 'idle', scanned: 0, total: 0, found: 0, results: [] };

/** Addresses by number (10.0.0.9 before 10.0.0.10); names after addresses, by their text. */
function compareResults(a: SweepResult, b: SweepResult): number {
  const [left, right] = [ipv4ToNumber(a.address), ipv4ToNumber(b.address)];
  if (left !== null && right !== null) return left - right;
  if (left !== null || right !== null) return left === null ? 1 : -1;
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/**
 * `sorted` with a batch of new results merged in, in address order. A /16 sweep streams tens of thousands of results
 * in batches every 100 ms: each new result finds its place by binary search and the list is copied once, where
 * sorting every result again on each batch (about 400 ms at 65,000) froze the window.
 */
export function mergeByAddress(sorted: readonly SweepResult[], batch: readonly SweepResult[]): SweepResult[] {
  const pieces: (readonly SweepResult[])[] = [];
  let from = 0;
  for (const result of [...batch].sort(compareResults)) {
    let low = from;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareResults(sorted[middle]!, result) <= 0) low = middle + 1;
      else high = middle;
    }
    pieces.push(sorted.slice(from, low), [result]);
    from = low;
  }
  pieces.push(sorted.slice(from));
  return ([] as SweepResult[]).concat(...pieces);
}

export const selectSshHosts = (state: AirsprayState): SweepResult[] =>
  state.sweep.results.filter((result) => result.class === 'ssh');

export function selectSelectedHosts(state: AirsprayState): SweepResult[] {
  const unselected = new Set(state.unselectedHosts);
  return selectSshHosts(state).filter((result) => !unselected.has(result.address));
}

export const selectSweepRunning = (state: AirsprayState): boolean =>
  state.sweep.phase === 'starting' || state.sweep.phase === 'running';

/** "22, 2222" to [22, 2222]; a bad token is named, as the API would. */
export function parsePorts(text: string, locale: AppLocale = 'en'): number[] | FieldError {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return { field: 'ports', message: formatIn(locale, 'discover.ports.empty') };
  const ports: number[] = [];
  for (const token of tokens) {
    const port = /^\d{1,5}$/.test(token) ? Number(token) : NaN;
    if (!(port >= 1 && port <= 65535))
      return { field: 'ports', message: formatIn(locale, 'discover.ports.invalid', { token }) };
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** The API names nested fields ("ports.0"); the form only knows its two inputs. */
function sweepFieldError(error: unknown, locale: AppLocale): FieldError {
  const { message, field } = fieldErrorOf(error, locale);
  return field === undefined ? { message } : { message, field: field.split('.')[0] ?? field };
}

export function createDiscoverySlice(api: Api): SliceCreator<DiscoverySlice> {
  return (set, get) => {
    // Events that arrive before `discovery.start` has answered with their sweep id.
    let earlyEvents: SweepProgress[] = [];

    function applyProgress(progress: SweepProgress): void {
      const sweep = get().sweep;
      if (progress.sweepId !== sweep.id) return;
      const results = progress.results.length > 0 ? mergeByAddress(sweep.results, progress.results) : sweep.results;
      const phase: SweepPhase = progress.state === 'running' ? 'running' : progress.state;
      set(
        {
          sweep: {
            ...sweep,
            phase,
            scanned: progress.scanned,
            total: progress.total,
            found: progress.found,
            results,
            ratePerSecond: progress.ratePerSecond,
            etaSeconds: progress.etaSeconds,
          },
        },
        false,
        `discovery/${progress.state === 'running' ? 'progress' : progress.state}`,
      );
    }

    return {
      discoveryTargets: '',
      discoveryPorts: '22',
      targetSuggestions: [],
      sweep: idleSweep,
      sweepError: null,
      unselectedHosts: [],

      setDiscoveryTargets: (discoveryTargets) => {
        const error = get().sweepError;
        set({ discoveryTargets, sweepError: error?.field === 'targets' ? null : error }, false, 'discovery/targets');
      },

      addDiscoveryTarget: (cidr) => {
        const current = get().discoveryTargets;
        if (current.split(/[\s,]+/).includes(cidr)) return;
        get().setDiscoveryTargets(current.trim() ? `${current.trim()} ${cidr}` : cidr);
      },

      setDiscoveryPorts: (discoveryPorts) => {
        const error = get().sweepError;
        set({ discoveryPorts, sweepError: error?.field === 'ports' ? null : error }, false, 'discovery/ports');
      },

      loadTargetSuggestions: async () => {
        try {
          set({ targetSuggestions: await api.call('discovery.suggestTargets', {}) }, false, 'discovery/suggestions');
        } catch {
          // Suggestions are a shortcut: the operator can always type the subnet.
        }
      },

      startSweep: async () => {
        if (selectSweepRunning(get())) return;
        const ports = parsePorts(get().discoveryPorts, get().locale);
        if (!Array.isArray(ports)) {
          set({ sweepError: ports }, false, 'discovery/refused');
          return;
        }
        earlyEvents = [];
        set(
          { sweep: { ...idleSweep, phase: 'starting' }, sweepError: null, unselectedHosts: [] },
          false,
          'discovery/start',
        );
        try {
          const { sweepId, total } = await api.call('discovery.start', { targets: get().discoveryTargets, ports });
          set({ sweep: { ...get().sweep, id: sweepId, phase: 'running', total } }, false, 'discovery/started');
          const early = earlyEvents;
          earlyEvents = [];
          for (const progress of early) applyProgress(progress);
        } catch (error) {
          set({ sweep: idleSweep, sweepError: sweepFieldError(error, get().locale) }, false, 'discovery/refused');
        }
      },

      cancelSweep: async () => {
        const { id } = get().sweep;
        if (!id || !selectSweepRunning(get())) return;
        try {
          await api.call('discovery.cancel', { sweepId: id });
        } catch (error) {
          set(
            {
              sweepError: {
                message: formatIn(get().locale, 'discover.sweep.cancelFailed', {
                  reason: describeError(error, get().locale),
                }),
              },
            },
            false,
            'discovery/cancelFailed',
          );
        }
      },

      watchDiscovery: () =>
        api.subscribe('discovery.progress', (progress) => {
          if (get().sweep.phase === 'starting') earlyEvents.push(progress);
          else applyProgress(progress);
        }),

      setHostSelected: (address, selected) => {
        const others = get().unselectedHosts.filter((entry) => entry !== address);
        set({ unselectedHosts: selected ? others : [...others, address] }, false, 'discovery/select');
      },

      setAllHostsSelected: (selected) =>
        set(
          { unselectedHosts: selected ? [] : selectSshHosts(get()).map((host) => host.address) },
          false,
          'discovery/selectAll',
        ),

      selectOnlyHosts: (addresses) => {
        const chosen = new Set(addresses);
        const others = selectSshHosts(get()).filter((host) => !chosen.has(host.address));
        set({ unselectedHosts: others.map((host) => host.address) }, false, 'discovery/selectOnly');
      },

      continueToAccess: () => {
        get().setAccessHosts(
          selectSelectedHosts(get()).map((host) => ({ address: host.address, port: host.port ?? 22 })),
        );
        get().goToStep('access');
      },
    };
  };
}
