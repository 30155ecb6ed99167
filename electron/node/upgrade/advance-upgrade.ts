import type { RunOptions, RunRecord } from '../../common/run';
import type { UpgradeRecord, UpgradeStep, upgradeStages } from '../../common/upgrade';

/** What an upgrade does to the world, one method each, so the order and the stops are tested apart from SSH. */
export interface UpgradeWork {
  /** An etcd snapshot kept in the project's folder. */
  snapshot(): Promise<{ file: string; sha256: string }>;
  /** The new bundle pushed beside the old one on the deploy node. */
  push(bundleId: string): Promise<void>;
  /** The deploy node's registry and file server serving the new bundle. */
  serve(bundleId: string): Promise<void>;
  /** The plan switched to the new bundle and Kubernetes version, so every later run uses them. */
  switchBundle(to: UpgradeRecord['to']): Promise<void>;
  /** Starts a run. */
  start(options: RunOptions): Promise<RunRecord>;
  /** The run's record once it ended, following it from here (again, after a restart) until then. */
  ended(runId: string): Promise<RunRecord>;
  save(record: UpgradeRecord): Promise<void>;
}

type Stage = (typeof upgradeStages)[number];

const goOn = 'The same upgrade command goes on from there.';

/** Marks the upgrade stopped with why, saved; what is done stays done. */
async function stop(record: UpgradeRecord, work: UpgradeWork, message: string): Promise<UpgradeRecord> {
  record.state = 'stopped';
  record.message = message;
  await work.save(record);
  return record;
}

/** The stages before any run, in order: a bundle switch pushes, serves and switches; a preset alone does not. */
function stagesOf(record: UpgradeRecord, work: UpgradeWork): [Stage, () => Promise<void>][] {
  const stages: [Stage, () => Promise<void>][] = [
    [
      'snapshot',
      async () => {
        record.snapshot = await work.snapshot();
      },
    ],
  ];
  if (record.to.bundleId === record.from.bundleId) return stages;
  return [
    ...stages,
    ['push', () => work.push(record.to.bundleId)],
    ['services', () => work.serve(record.to.bundleId)],
    ['bundle', () => work.switchBundle(record.to)],
  ];
}

const stageFailure: Record<Stage, string> = {
  snapshot: 'The etcd snapshot failed, so nothing was changed',
  push: 'Pushing the new bundle failed; the cluster is unchanged',
  services: "The deploy node's services did not start with the new bundle; the cluster is unchanged",
  bundle: 'Switching the plan to the new bundle failed; the cluster is unchanged',
};

/** A run that ended: its step's state, and whether the upgrade goes on. */
async function runStep(step: UpgradeStep, record: UpgradeRecord, work: UpgradeWork): Promise<RunRecord> {
  // A step whose run was under way when the last attempt stopped is followed to its end, not started twice.
  if (step.runId === undefined || step.state !== 'running') {
    const started = await work.start(step.options);
    step.runId = started.id;
    step.state = 'running';
    await work.save(record);
  }
  const ended = await work.ended(step.runId!);
  // A run no longer followed may still go on: the next attempt follows it instead of starting another.
  step.state = ended.state === 'lost' ? 'running' : ended.state;
  await work.save(record);
  return ended;
}

/**
 * Takes the upgrade from where it stands to its end, a pause or a stop: the etcd snapshot first (a failed one stops
 * it before any change), then the new bundle beside the old one, its services and the plan's switch, then each step's
 * run. With `pauseBetweenNodes` it pauses after each step but the last; calling it again goes on.
 */
export async function advanceUpgrade(record: UpgradeRecord, work: UpgradeWork): Promise<UpgradeRecord> {
  record.state = 'running';
  delete record.message;
  await work.save(record);
  for (const [stage, act] of stagesOf(record, work)) {
    if (record.done.includes(stage)) continue;
    try {
      await act();
    } catch (error) {
      return stop(record, work, `${stageFailure[stage]}: ${(error as Error).message} ${goOn}`);
    }
    record.done.push(stage);
    await work.save(record);
  }
  for (const [index, step] of record.steps.entries()) {
    if (step.state === 'succeeded') continue;
    let ended: RunRecord;
    try {
      ended = await runStep(step, record, work);
    } catch (error) {
      return stop(record, work, `${step.label} did not start: ${(error as Error).message} ${goOn}`);
    }
    if (ended.state !== 'succeeded')
      return stop(record, work, `Stopped at ${step.label}: run ${ended.id} ${ended.state}. ${goOn}`);
    const next = record.steps[index + 1];
    if (record.pauseBetweenNodes && next) {
      record.state = 'paused';
      record.message = `Paused after ${step.label}; next: ${next.label}. ${goOn}`;
      await work.save(record);
      return record;
    }
  }
  record.state = 'succeeded';
  await work.save(record);
  return record;
}
