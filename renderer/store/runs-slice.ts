import type { AppLocale } from '../i18n/locales';
import type { Api } from '../../electron/common/api';
import type { RunOptions, RunRecord } from '../../electron/common/run';
import { describeError } from '../api/describe-error';
import type { AirsprayState, AsyncStatus, SliceCreator } from './airspray-state';
import { requestDownload, type DownloadLink } from './download-request';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, keyPassphraseParam, openProjectId, sshCallParams } from './session-slice';
import { formatIn } from '../i18n/english-intl';

/**
 * A chunk of a run's log: its byte offset in the log, and the bytes; with `skip`, the log up to `skip.at`, then from
 * `skip.to` on (the lines between scroll out of the terminal unseen).
 */
export interface RunLogChunk {
  offset: number;
  data: Uint8Array;
  logBytes: number;
  skip?: { at: number; to: number };
}

export interface RunsSlice {
  /** The open project's run history, newest first. */
  runs: RunRecord[];
  /** The project `runs` belongs to. */
  runsProjectId: string | null;
  runsStatus: AsyncStatus;
  runsError: string | null;
  /** The run the terminal view shows; null shows the newest. */
  shownRunId: string | null;
  runStarting: boolean;
  /** A refused start; `field` as the API named it ("options.extraVars", "kubesprayDir", "credential.sudoPassword"…). */
  runStartError: FieldError | null;
  /** Runs this window asked the core to follow (started here, or attached after a reload or restart). */
  attachedRunIds: string[];
  attachError: string | null;
  cancellingRunId: string | null;
  cancelError: string | null;
  /** Advanced: where kubespray lies on the deploy node; empty means the pushed bundle's copy. */
  kubesprayDir: string;
  setKubesprayDir(dir: string): void;
  loadRuns(): Promise<void>;
  /** Starts a playbook with the selected profile; resolves with the run, shown in the terminal view. */
  startRun(options: RunOptions): Promise<RunRecord | null>;
  showRun(runId: string): void;
  /** Has the core follow a running run again, with the selected profile; the view replays the log. */
  attachRun(runId: string): Promise<void>;
  cancelRun(runId: string): Promise<void>;
  /**
   * The run's HTML report: the desktop shell saves it through its dialog; in a browser it resolves with a one-use
   * link for the page to follow (the core streams the file; null when there is nothing to follow).
   */
  downloadRunReport(runId: string): Promise<DownloadLink | null>;
  /**
   * The stored log of a run from a byte offset; `keepLines`: what the terminal keeps, to leave out what scrolls out
   * unseen.
   */
  readRunLog(runId: string, from: number, keepLines?: number): Promise<RunLogChunk>;
  /**
   * Flow control: view `viewId` has written the run's log up to `shownBytes` and reads it up to `toldBytes` from the
   * core's copy (the core pauses a stream far ahead of both).
   */
  acknowledgeRunOutput(runId: string, viewId: string, shownBytes: number, toldBytes: number): Promise<void>;
  /**
   * Live output of one run of the open project, with byte offsets, until the returned function is called. Without
   * `data` the log grew by `length` bytes that this view is to read itself (it was far behind).
   */
  watchRunOutput(
    runId: string,
    listener: (offset: number, length: number, data: Uint8Array | undefined, complete: boolean) => void,
  ): () => void;
  /** Keeps `runs` current from `runs.updated` until the returned function is called. */
  watchRuns(): () => void;
}

/** Native where the browser has it (Chromium 140+, Electron 45): run output is tens of MiB of base64. */
const nativeFromBase64 = (Uint8Array as { fromBase64?: (base64: string) => Uint8Array }).fromBase64?.bind(Uint8Array);

/** Base64 to bytes; else a plain loop, as Uint8Array.from with a map function is 30 times slower on a run's output. */
export function decodeBase64(base64: string): Uint8Array {
  if (nativeFromBase64) return nativeFromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The Advanced kubespray folder as runs.start and nodes.change take it: left out when empty (the pushed bundle's). */
export function kubesprayDirParam(state: AirsprayState): { kubesprayDir?: string } {
  const kubesprayDir = state.kubesprayDir.trim();
  return kubesprayDir ? { kubesprayDir } : {};
}

/** The run the terminal view shows: the chosen one, else the newest. */
export const selectShownRun = (state: AirsprayState): RunRecord | undefined =>
  state.runs.find((run) => run.id === state.shownRunId) ?? state.runs[0];

export const selectRunningRun = (state: AirsprayState): RunRecord | undefined =>
  state.runs.find((run) => run.state === 'running');

const newestFirst = (runs: RunRecord[]) => [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

/** Of two records of one run, the later one: an ended run beats a running one, else the longer log. */
function fresher(a: RunRecord, b: RunRecord | undefined): RunRecord {
  if (!b) return a;
  if ((a.state === 'running') !== (b.state === 'running')) return a.state === 'running' ? b : a;
  return a.logBytes >= b.logBytes ? a : b;
}

const initialRuns = {
  runs: [],
  runsProjectId: null,
  runsStatus: 'idle',
  runsError: null,
  shownRunId: null,
  runStarting: false,
  runStartError: null,
  attachedRunIds: [],
  attachError: null,
  cancellingRunId: null,
  cancelError: null,
  kubesprayDir: '',
} satisfies Partial<RunsSlice>;

/** A run's log as the terminal reads it: chunks on request, live output, and what the terminal has shown. */
function runLogActions(
  api: Api,
  projectId: () => string | null,
  locale: () => AppLocale,
): Pick<RunsSlice, 'readRunLog' | 'acknowledgeRunOutput' | 'watchRunOutput'> {
  return {
    readRunLog: async (runId, from, keepLines) => {
      const id = projectId();
      if (!id) throw new Error(formatIn(locale(), 'session.noProject'));
      const { offset, data, logBytes, skip } = await api.call('runs.log', {
        projectId: id,
        runId,
        from,
        ...(keepLines ? { keepLines } : {}),
      });
      return { offset, data: decodeBase64(data), logBytes, ...(skip ? { skip } : {}) };
    },

    acknowledgeRunOutput: async (runId, viewId, shownBytes, toldBytes) => {
      const id = projectId();
      if (id)
        await api.call('runs.ack', {
          projectId: id,
          runId,
          viewId,
          shownBytes,
          ...(toldBytes > 0 ? { toldBytes } : {}),
        });
    },

    watchRunOutput: (runId, listener) =>
      api.subscribe('runs.output', (output) => {
        if (output.runId === runId && output.projectId === projectId())
          listener(
            output.offset,
            output.length,
            output.data === undefined ? undefined : decodeBase64(output.data),
            output.complete === true,
          );
      }),
  };
}

export function createRunsSlice(api: Api): SliceCreator<RunsSlice> {
  return (set, get) => {
    const projectId = () => openProjectId(get());
    /** Runs log in with the project's deploy key: the passphrase typed on the Deploy step unlocks it. */
    const keyPassphrase = () => keyPassphraseParam(get());

    function record(run: RunRecord, action: string): void {
      if (run.projectId !== projectId() || get().runsProjectId !== run.projectId) return;
      const before = get().runs.find((entry) => entry.id === run.id);
      const others = get().runs.filter((entry) => entry.id !== run.id);
      set({ runs: newestFirst([fresher(run, before), ...others]) }, false, action);
      // A successful remove-node.yml took its node out of the plan: show the plan as the core now has it.
      if (run.playbook === 'remove-node.yml' && run.state === 'succeeded' && before?.state === 'running')
        void reloadPlan(run.projectId);
    }

    async function reloadPlan(id: string): Promise<void> {
      const project = await api.call('projects.open', { id }).catch(() => null);
      if (project && isStillOpen(get(), id)) set({ currentProject: project }, false, 'runs/planChanged');
    }

    return {
      ...initialRuns,

      setKubesprayDir: (kubesprayDir) => set({ kubesprayDir, runStartError: null }, false, 'runs/kubesprayDir'),

      loadRuns: async () => {
        const id = projectId();
        if (!id) return;
        const switched = get().runsProjectId !== id;
        set(
          {
            runsStatus: 'loading',
            runsError: null,
            ...(switched
              ? {
                  runs: [],
                  runsProjectId: id,
                  shownRunId: null,
                  attachedRunIds: [],
                  attachError: null,
                  cancelError: null,
                }
              : {}),
          },
          false,
          'runs/load',
        );
        try {
          const runs = await api.call('runs.list', { projectId: id });
          if (projectId() !== id) return;
          // Records that arrived by event while the list was read are newer than the listed ones.
          const byId = new Map(runs.map((run) => [run.id, run]));
          for (const run of get().runs) byId.set(run.id, fresher(run, byId.get(run.id)));
          set({ runs: newestFirst([...byId.values()]), runsStatus: 'loaded' }, false, 'runs/loaded');
        } catch (error) {
          set({ runsStatus: 'error', runsError: describeError(error, get().locale) }, false, 'runs/loadFailed');
        }
      },

      startRun: async (options) => {
        const params = sshCallParams(get()) ?? { message: formatIn(get().locale, 'session.openProjectFirst') };
        if (isRefusal(params)) {
          set({ runStartError: params }, false, 'runs/startRefused');
          return null;
        }
        const id = params.projectId;
        set({ runStarting: true, runStartError: null }, false, 'runs/start');
        try {
          const run = await api.call('runs.start', { ...params, options, ...kubesprayDirParam(get()) });
          if (get().runsProjectId !== id) set({ runsProjectId: id, runs: [] }, false, 'runs/project');
          record(run, 'runs/started');
          set(
            { runStarting: false, shownRunId: run.id, attachedRunIds: [...get().attachedRunIds, run.id] },
            false,
            'runs/startedShown',
          );
          return run;
        } catch (error) {
          set({ runStarting: false, runStartError: fieldErrorOf(error, get().locale) }, false, 'runs/startFailed');
          return null;
        }
      },

      showRun: (shownRunId) => set({ shownRunId, cancelError: null }, false, 'runs/show'),

      attachRun: async (runId) => {
        const id = projectId();
        if (!id || get().attachedRunIds.includes(runId)) return;
        const credentialId = get().selectedCredentialId;
        if (!credentialId) {
          set(
            {
              attachError: formatIn(get().locale, 'run.attach.noProfile'),
            },
            false,
            'runs/attachRefused',
          );
          return;
        }
        set({ attachedRunIds: [...get().attachedRunIds, runId], attachError: null }, false, 'runs/attach');
        try {
          record(
            await api.call('runs.attach', { projectId: id, runId, credentialId, ...keyPassphrase() }),
            'runs/attached',
          );
        } catch (error) {
          set(
            {
              attachedRunIds: get().attachedRunIds.filter((entry) => entry !== runId),
              attachError: formatIn(get().locale, 'run.attach.failed', { reason: describeError(error, get().locale) }),
            },
            false,
            'runs/attachFailed',
          );
        }
      },

      cancelRun: async (runId) => {
        const id = projectId();
        const credentialId = get().selectedCredentialId;
        if (!id) return;
        if (!credentialId) {
          set({ cancelError: formatIn(get().locale, 'run.cancel.noProfile') }, false, 'runs/cancelRefused');
          return;
        }
        set({ cancellingRunId: runId, cancelError: null }, false, 'runs/cancel');
        try {
          const { cancelled } = await api.call('runs.cancel', {
            projectId: id,
            runId,
            credentialId,
            ...keyPassphrase(),
          });
          set(
            {
              cancellingRunId: null,
              ...(cancelled ? {} : { cancelError: formatIn(get().locale, 'run.cancel.alreadyEnded') }),
            },
            false,
            'runs/cancelled',
          );
        } catch (error) {
          set(
            {
              cancellingRunId: null,
              cancelError: formatIn(get().locale, 'run.cancel.failed', { reason: describeError(error, get().locale) }),
            },
            false,
            'runs/cancelFailed',
          );
        }
      },

      downloadRunReport: async (runId) => {
        const id = projectId();
        if (!id) return null;
        try {
          return await requestDownload(api, get().appInfo?.shell, { kind: 'run-report', projectId: id, runId });
        } catch (error) {
          set(
            { runsError: formatIn(get().locale, 'run.report.failed', { reason: describeError(error, get().locale) }) },
            false,
            'runs/reportFailed',
          );
          return null;
        }
      },

      ...runLogActions(
        api,
        () => projectId(),
        () => get().locale,
      ),

      watchRuns: () => api.subscribe('runs.updated', (run) => record(run, 'runs/updated')),
    };
  };
}
