import { join } from 'node:path';
import { AirsprayError } from '../../common/errors';
import {
  LifecycleRecordSchema,
  lifecycleProcedure,
  runOptionsText,
  type LifecycleProcedure,
  type LifecycleRecord,
  type LifecycleRequest,
} from '../../common/node-lifecycle';
import { recoverLossText } from '../../common/recover-control-plane';
import { readJsonIfPresent } from '../fs/read-json-if-present';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { ProjectStore } from '../projects/project-store';
import type { RunLogin, RunService } from './run-service';
import { runStep, type StepRuns } from './run-step';

/** The project's folder keeps its last node procedure here. */
export const lifecycleFileName = 'node-lifecycle.json';

const goOn = 'The same command goes on from there.';

export interface LifecycleWork extends StepRuns {
  save(record: LifecycleRecord): Promise<void>;
}

async function stop(record: LifecycleRecord, work: LifecycleWork, message: string): Promise<LifecycleRecord> {
  record.state = 'stopped';
  record.message = message;
  await work.save(record);
  return record;
}

/** Runs the procedure's runs in order from the first not yet succeeded; the first that does not succeed stops it. */
export async function advanceLifecycle(record: LifecycleRecord, work: LifecycleWork): Promise<LifecycleRecord> {
  record.state = 'running';
  delete record.message;
  await work.save(record);
  const { runs } = record.procedure;
  for (const [index, step] of runs.entries()) {
    if (step.state === 'succeeded') continue;
    const where = `step ${index + 1} of ${runs.length} (${step.label}: ${runOptionsText(step.options)})`;
    try {
      const ended = await runStep(step, work, () => work.save(record));
      if (ended.state !== 'succeeded')
        return stop(record, work, `Stopped at ${where}: run ${ended.id} ${ended.state}. ${goOn}`);
    } catch (error) {
      return stop(record, work, `${where} did not start: ${(error as Error).message} ${goOn}`);
    }
  }
  record.state = 'succeeded';
  await work.save(record);
  return record;
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
  throw new AirsprayError('conflict', `${recoverLossText(groups)} Confirm to go on (--confirm).`, 'confirm');
}

/**
 * Adds, removes and replaces nodes by kubespray's procedure, and keeps where it stands in the project's folder: the
 * same request after a stop goes on from the step that stopped (the plan may have changed since: a removed node left
 * it, so the stored procedure is followed, not a new one).
 */
export class NodeLifecycleService {
  private readonly advancing = new Set<string>();

  constructor(private readonly options: NodeLifecycleOptions) {}

  private file(projectId: string): string {
    return join(this.options.projects.projectFolder(projectId), lifecycleFileName);
  }

  async last(projectId: string): Promise<LifecycleRecord | null> {
    return readJsonIfPresent(this.file(projectId), LifecycleRecordSchema);
  }

  async procedure(projectId: string, request: LifecycleRequest) {
    return lifecycleProcedure((await this.options.projects.open(projectId)).cluster.hosts, request);
  }

  /** Answers with the record at once; `advancing` takes it to its end or a stop. `kubesprayDir` as runs.start's. */
  async begin(
    projectId: string,
    request: LifecycleRequest,
    login: RunLogin,
    kubesprayDir?: string,
  ): Promise<{ record: LifecycleRecord; advancing: Promise<LifecycleRecord> }> {
    if (this.advancing.has(projectId))
      throw new AirsprayError(
        'already_running',
        'A node procedure of this project is under way: follow it.',
        'projectId',
      );
    const last = await this.last(projectId);
    const unfinished = last !== null && last.state !== 'succeeded' ? last : null;
    if (
      unfinished &&
      !sameRequest(unfinished.procedure.request, request) &&
      unfinished.procedure.runs.some((run) => run.state === 'succeeded')
    )
      throw new AirsprayError(
        'conflict',
        `The ${unfinished.procedure.request.action} of ${unfinished.procedure.request.hosts.join(', ')} stopped half done: ${unfinished.message ?? ''} Finish it first (the same request goes on).`,
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
    this.advancing.add(projectId);
    const advancing = advanceLifecycle(record, this.workFor(projectId, login, kubesprayDir)).finally(() =>
      this.advancing.delete(projectId),
    );
    return { record: structuredClone(record), advancing };
  }

  private workFor(projectId: string, login: RunLogin, kubesprayDir: string | undefined): LifecycleWork {
    const { runs } = this.options;
    return {
      start: (options) => runs.start({ projectId, ...login, options, ...(kubesprayDir ? { kubesprayDir } : {}) }),
      ended: async (runId) => {
        await runs.attach(projectId, runId, login);
        return runs.whenEnded(projectId, runId);
      },
      save: async (record) => {
        await writeFileAtomic(this.file(projectId), `${JSON.stringify(record, null, 2)}\n`);
        this.options.onUpdated?.(structuredClone(record));
      },
    };
  }
}
