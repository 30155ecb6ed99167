import {
  LifecycleRecordSchema,
  lifecycleProcedure,
  runOptionsText,
  type LifecycleProcedure,
  type LifecycleRecord,
  type LifecycleRequest,
} from '../../common/node-lifecycle';
import { recoverLoss, type RecoverSnapshot } from '../../common/recover-control-plane';
import {
  checkRecoverSnapshot,
  findRecoverSnapshot,
  pushRecoverSnapshot,
  storedSnapshotPath,
} from '../etcd/recover-snapshot';
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
    request.snapshot ?? null,
  ]);
const sameRequest = (a: LifecycleRequest, b: LifecycleRequest) => requestKey(a) === requestKey(b);

/**
 * Recovery deletes what is left on the broken members: it starts only once the operator read what may be lost (with
 * a stored backup to restore from, what restoring from it loses too).
 */
export function requireConfirmation(procedure: LifecycleProcedure): void {
  const groups = procedure.runs[0]?.options.recoverGroups;
  if (procedure.request.action !== 'recover' || procedure.request.confirm || !groups) return;
  const { id, params } = recoverLoss(groups, true, procedure.snapshot?.backup);
  throw coreError('conflict', id, params, 'confirm');
}

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

  /** The procedure, its snapshot looked up in the project's backups (refused on `snapshot`: unknown, another's). */
  async procedure(projectId: string, request: LifecycleRequest): Promise<LifecycleProcedure> {
    const { projects } = this.options;
    const project = await projects.open(projectId);
    const snapshot =
      request.action === 'recover' && request.snapshot !== undefined
        ? await findRecoverSnapshot(projects, project, request.snapshot)
        : undefined;
    // Its refusal in English beside its id.
    return inEnglish(() => lifecycleProcedure(project.cluster.hosts, request, snapshot));
  }

  /**
   * The procedure, refused before anything reaches a host: a recovery the operator did not confirm, a snapshot whose
   * file on the stick no longer has its recorded sha256.
   */
  async checkedProcedure(projectId: string, request: LifecycleRequest): Promise<LifecycleProcedure> {
    const procedure = await this.procedure(projectId, request);
    await this.refuseUnready(projectId, procedure);
    return procedure;
  }

  private async refuseUnready(projectId: string, procedure: LifecycleProcedure): Promise<void> {
    requireConfirmation(procedure);
    if (procedure.snapshot) await checkRecoverSnapshot(this.options.projects, projectId, procedure.snapshot);
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
    await this.refuseUnready(projectId, { ...record.procedure, request });
    const work = this.workFor(projectId, login, kubesprayDir, record.procedure.snapshot);
    return this.records.advance(projectId, record, (record) => advanceLifecycle(record, work));
  }

  /** A run given the snapshot's path (-e etcd_snapshot) finds the snapshot there: pushed, checked, just before. */
  private async placeSnapshot(projectId: string, login: RunLogin, snapshot: RecoverSnapshot): Promise<void> {
    const { projects, runs } = this.options;
    const local = storedSnapshotPath(projects, projectId, snapshot);
    await runs.onDeployNode(projectId, login, (client, place) => pushRecoverSnapshot(client, place, local, snapshot));
  }

  private workFor(
    projectId: string,
    login: RunLogin,
    kubesprayDir: string | undefined,
    snapshot: RecoverSnapshot | undefined,
  ): LifecycleWork {
    const { runs } = this.options;
    return {
      start: async (options) => {
        if (snapshot && options.extraVars?.etcd_snapshot === snapshot.path)
          await this.placeSnapshot(projectId, login, snapshot);
        return runs.start({ projectId, ...login, options, ...(kubesprayDir ? { kubesprayDir } : {}) });
      },
      ended: async (runId) => {
        await runs.attach(projectId, runId, login);
        return runs.whenEnded(projectId, runId);
      },
      save: (record) => this.records.save(projectId, record),
    };
  }
}
