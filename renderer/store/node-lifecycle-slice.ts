import type { Api } from '../../electron/common/api';
import type { LifecycleProcedure, LifecycleRecord, LifecycleRequest } from '../../electron/common/node-lifecycle';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { callOpenProjectHosts } from './host-call';
import { kubesprayDirParam } from './runs-slice';
import { isStillOpen, openProjectId } from './session-slice';
import { formatIn } from '../i18n/english-intl';

export interface NodeLifecycleSlice {
  /** The open project's node procedure as started here and followed by nodes.updated; null before one. */
  nodeChange: LifecycleRecord | null;
  nodeChangeError: FieldError | null;
  /** kubespray's procedure for `request` (no login), or why it is refused. */
  previewNodeProcedure(request: LifecycleRequest): Promise<LifecycleProcedure | FieldError>;
  /** Starts (or goes on with) the procedure with the selected profile (and the Advanced kubespray folder, if typed). */
  changeNodes(request: LifecycleRequest): Promise<void>;
  /** Keeps `nodeChange` current from `nodes.updated` until called. */
  watchNodeChanges(): () => void;
}

/** The run of `next` that started since `before` (the same procedure, or a new one), if one did. */
function startedRunId(before: LifecycleRecord | null, next: LifecycleRecord): string | undefined {
  const known = new Set(before?.id === next.id ? before.procedure.runs.map((run) => run.runId) : []);
  return next.procedure.runs.find((run) => run.state === 'running' && run.runId && !known.has(run.runId))?.runId;
}

export function createNodeLifecycleSlice(api: Api): SliceCreator<NodeLifecycleSlice> {
  return (set, get) => {
    const record = (changed: LifecycleRecord) => {
      if (!isStillOpen(get(), changed.projectId)) return;
      const runId = startedRunId(get().nodeChange, changed);
      // The terminal follows the procedure: each run shows there as it starts, as a run started here does.
      set({ nodeChange: changed, ...(runId ? { shownRunId: runId } : {}) }, false, 'nodes/updated');
    };
    return {
      nodeChange: null,
      nodeChangeError: null,

      previewNodeProcedure: async (request) => {
        const projectId = openProjectId(get());
        if (!projectId) return { message: formatIn(get().locale, 'session.noProject') };
        return api
          .call('nodes.procedure', { projectId, ...request })
          .catch((error: unknown) => fieldErrorOf(error, get().locale));
      },

      changeNodes: (request) =>
        callOpenProjectHosts(
          get,
          (params) => api.call('nodes.change', { ...params, ...request, ...kubesprayDirParam(get()) }),
          {
            refused: (error) => set({ nodeChangeError: error }, false, 'nodes/refused'),
            busy: () => set({ nodeChangeError: null }, false, 'nodes/starting'),
            done: record,
            failed: (error) => set({ nodeChangeError: error }, false, 'nodes/failed'),
          },
        ),

      watchNodeChanges: () => api.subscribe('nodes.updated', record),
    };
  };
}
