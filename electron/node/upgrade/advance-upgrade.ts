import type { RunRecord } from '../../common/run';
import type { UpgradeRecord, upgradeStages } from '../../common/upgrade';
import { finishProcedure, resumeProcedure, stopProcedure, tellRecord } from '../runs/procedure-record';
import { runStep, type StepRuns } from '../runs/run-step';

/** What an upgrade does to the world, one method each, so the order and the stops are tested apart from SSH. */
export interface UpgradeWork extends StepRuns {
  /** An etcd snapshot kept in the project's folder. */
  snapshot(): Promise<{ file: string; sha256: string }>;
  /** The new bundle pushed beside the old one on the deploy node. */
  push(bundleId: string): Promise<void>;
  /** The deploy node's registry and file server serving the new bundle. */
  serve(bundleId: string): Promise<void>;
  /** The plan switched to the new bundle and Kubernetes version, so every later run uses them. */
  switchBundle(to: UpgradeRecord['to']): Promise<void>;
  save(record: UpgradeRecord): Promise<void>;
}

type Stage = (typeof upgradeStages)[number];

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

/**
 * Takes the upgrade from where it stands to its end, a pause or a stop: the etcd snapshot first (a failed one stops
 * it before any change), then the new bundle beside the old one, its services and the plan's switch, then each step's
 * run. With `pauseBetweenNodes` it pauses after each step but the last; calling it again goes on.
 */
export async function advanceUpgrade(record: UpgradeRecord, work: UpgradeWork): Promise<UpgradeRecord> {
  await resumeProcedure(record, work);
  for (const [stage, act] of stagesOf(record, work)) {
    if (record.done.includes(stage)) continue;
    try {
      await act();
    } catch (error) {
      const detail = (error as Error).message;
      return stopProcedure(record, work, { id: 'upgrade.stage-failed', params: { stage, detail } });
    }
    record.done.push(stage);
    await work.save(record);
  }
  for (const [index, step] of record.steps.entries()) {
    if (step.state === 'succeeded') continue;
    let ended: RunRecord;
    try {
      ended = await runStep(step, work, () => work.save(record));
    } catch (error) {
      const detail = (error as Error).message;
      return stopProcedure(record, work, { id: 'upgrade.step-not-started', params: { step: step.label, detail } });
    }
    if (ended.state !== 'succeeded')
      return stopProcedure(record, work, {
        id: 'upgrade.stopped-at',
        params: { step: step.label, runId: ended.id, state: ended.state },
      });
    const next = record.steps[index + 1];
    if (record.pauseBetweenNodes && next) {
      record.state = 'paused';
      tellRecord(record, { id: 'upgrade.paused', params: { step: step.label, next: next.label } });
      await work.save(record);
      return record;
    }
  }
  return finishProcedure(record, work);
}
