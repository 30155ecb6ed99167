import type { RunOptions, RunRecord } from '../../common/run';
import type { upgradeStepStates } from '../../common/upgrade';

/** One run of a sequence (an upgrade's, a node procedure's): what it runs, its run once started, how it stands. */
export interface RunStep {
  options: RunOptions;
  runId?: string | undefined;
  state: (typeof upgradeStepStates)[number];
}

/** Starting a run, and following it (again, after a restart) to its end. */
export interface StepRuns {
  start(options: RunOptions): Promise<RunRecord>;
  ended(runId: string): Promise<RunRecord>;
}

/** Runs the step to its end; `save` keeps its state as it goes. */
export async function runStep(step: RunStep, work: StepRuns, save: () => Promise<void>): Promise<RunRecord> {
  // A step whose run was under way when the last attempt stopped is followed to its end, not started twice.
  if (step.runId === undefined || step.state !== 'running') {
    const started = await work.start(step.options);
    step.runId = started.id;
    step.state = 'running';
    await save();
  }
  const ended = await work.ended(step.runId!);
  // A run no longer followed may still go on: the next attempt follows it instead of starting another.
  step.state = ended.state === 'lost' ? 'running' : ended.state;
  await save();
  return ended;
}
