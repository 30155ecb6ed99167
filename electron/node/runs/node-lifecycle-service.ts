import {
  LifecycleRecordSchema,
  lifecycleProcedure,
  runOptionsText,
  type LifecycleProcedure,
  type LifecycleRecord,
  type LifecycleRequest,
} from '../../common/node-lifecycle';
import type { ClusterHost } from '../../common/cluster-plan';
import { recoverLoss } from '../../common/recover-control-plane';
import type { ProjectStore } from '../projects/project-store';
import { finishProcedure, ProcedureRecords, resumeProcedure, stopProcedure } from './procedure-record';
import type { RunLogin, RunService } from './run-service';
import { runStep, type StepRuns } from './run-step';
import { joinValues } from '../../common/core-messages';
import { coreError, inEnglish } from '../i18n/format-core-message';

/** The project's folder keeps its last node procedure here. */
export const lifecycleFileName = 'node-lifecycle.json';

export interface LifecycleWork extends StepRuns {
  save(record: LifecycleRecord): Promise<void>;
}

/** Runs the procedure's runs in order from the first not yet succeeded; the first that does not succeed stops it. */
export async function advanceLifecycle(record: LifecycleRecord, work: LifecycleWork): Promise<LifecycleRecord> {
  await resumeProcedure(record, work);
  const { runs } = record.procedure;
  for (const [index, step] of runs.entries()) {
    if (step.state === 'succeeded') continue;
    const where = { step: index + 1, count: runs.length, command: runOptionsText(step.options) };
    try {
      const ended = await runStep(step, work, () => work.save(record));
      if (ended.state !== 'succeeded')
        return stopProcedure(record, work, {
          id: 'nodes.stopped-at',
          params: { ...where, runId: ended.id, state: ended.state },
        });
    } catch (error) {
      const detail = (error as Error).message;
      return stopProcedure(record, work, { id: 'nodes.step-not-started', params: { ...where, detail } });
    }
  }
  return finishProcedure(record, work);
}

export interface NodeLifecycleOptions {
  projects: ProjectStore;
  runs: RunService;
  /** Each saved change (the API's nodes.updated). */
  onUpdated?: (record: LifecycleRecord) => void;
}

const requestKey = (request: LifecycleRequest) =>
  JSON.stringify([
    request.action,
    request.hosts,
    request.replacing ?? [],
    request.offline ?? false,
    request.newHosts ?? [],
  ]);
const sameRequest = (a: LifecycleRequest, b: LifecycleRequest) => requestKey(a) === requestKey(b);

/** Recovery deletes what is left on the broken members: it starts only once the operator read what may be lost. */
export function requireConfirmation(procedure: LifecycleProcedure): void {
  const groups = procedure.runs[0]?.options.recoverGroups;
  if (procedure.request.action !== 'recover' || procedure.request.confirm || !groups) return;
  const { id, params } = recoverLoss(groups, true);
  throw coreError('conflict', id, params, 'confirm');
}

/** The procedure of `request` on the plan's `hosts`, or its refusal in English beside its id. */
export const nodeProcedure = (hosts: readonly ClusterHost[], request: LifecycleRequest) =>
  inEnglish(() => lifecycleProcedure(hosts, request));

/**
 * Adds, removes and replaces nodes by kubespray's procedure, and keeps where it stands in the project's folder: the
 * same request after a stop goes on from the step that stopped (the plan may have changed since: a removed node left
 * it, so the stored procedure is followed, not a new one).
 */
export class NodeLifecycleService {
  private readonly records: ProcedureRecords<LifecycleRecord>;

  constructor(private readonly options: NodeLifecycleOptions) {
    this.records = new ProcedureRecords(options, lifecycleFileName, LifecycleRecordSchema);
  }

  async last(projectId: string): Promise<LifecycleRecord | null> {
    return this.records.last(projectId);
  }

  async procedure(projectId: string, request: LifecycleRequest) {
    return nodeProcedure((await this.options.projects.open(projectId)).cluster.hosts, request);
  }

  /** Answers with the record at once; `advancing` takes it to its end or a stop. `kubesprayDir` as runs.start's. */
  async begin(
    projectId: string,
    request: LifecycleRequest,
    login: RunLogin,
    kubesprayDir?: string,
  ): Promise<{ record: LifecycleRecord; advancing: Promise<LifecycleRecord> }> {
    this.records.refuseIfAdvancing(projectId, 'run.node-procedure-running');
    const last = await this.last(projectId);
    const unfinished = last !== null && last.state !== 'succeeded' ? last : null;
    if (
      unfinished &&
      !sameRequest(unfinished.procedure.request, request) &&
      unfinished.procedure.runs.some((run) => run.state === 'succeeded')
    )
      throw coreError(
        'conflict',
        'run.node-procedure-half-done',
        {
          action: unfinished.procedure.request.action,
          hosts: joinValues(unfinished.procedure.request.hosts),
          detail: unfinished.message ?? '',
        },
        'hosts',
      );
    const record =
      unfinished && sameRequest(unfinished.procedure.request, request)
        ? unfinished
        : {
            id: `n-${Date.now().toString(36)}`,
            projectId,
            startedAt: new Date().toISOString(),
            procedure: await this.procedure(projectId, request),
            state: 'running' as const,
          };
    requireConfirmation({ ...record.procedure, request });
    const work = this.workFor(projectId, login, kubesprayDir);
    return this.records.advance(projectId, record, (record) => advanceLifecycle(record, work));
  }

  private workFor(projectId: string, login: RunLogin, kubesprayDir: string | undefined): LifecycleWork {
    const { runs } = this.options;
    return {
      start: (options) => runs.start({ projectId, ...login, options, ...(kubesprayDir ? { kubesprayDir } : {}) }),
      ended: async (runId) => {
        await runs.attach(projectId, runId, login);
        return runs.whenEnded(projectId, runId);
      },
      save: (record) => this.records.save(projectId, record),
    };
  }
}
