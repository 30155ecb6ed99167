import { setTimeout as sleep } from 'node:timers/promises';
import type { ProjectDocument } from '../../common/project';
import type { RunRecord } from '../../common/run';
import { inventoryDigestOf, renderProjectInventory } from '../inventory/inventory-service';
import { failureReason } from '../runs/ansible-output-parser';
import type { RunLogin } from '../runs/run-service';
import type { UpSession } from './up-session';
import type { UpStage } from './up-stages';

/** What the run stage does, from the run history: nothing (a success for this very plan), follow one, or start one. */
export type RunChoice = { kind: 'skip'; run: RunRecord } | { kind: 'attach'; run: RunRecord } | { kind: 'start' };

/**
 * A cluster.yml that is running (started by an earlier `up`, the window or `airspray run`) is followed, never doubled;
 * else one that succeeded with the inventory and bundle the plan has now means the cluster is deployed as planned.
 */
export function chooseClusterRun(runs: readonly RunRecord[], inventoryDigest: string, bundleDigest: string | undefined): RunChoice {
  const ours = runs.filter((run) => run.playbook === 'cluster.yml');
  const running = ours.find((run) => run.state === 'running');
  if (running) return { kind: 'attach', run: running };
  const done = ours.find((run) => run.state === 'succeeded' && run.inventoryDigest === inventoryDigest && run.bundleDigest === bundleDigest);
  return done ? { kind: 'skip', run: done } : { kind: 'start' };
}

/** How often a followed run's follow is checked (and taken up again after a dropped link). */
const checkEveryMs = 5000;
/** A deploy node unreachable this long ends the wait: the run goes on there and the next `up` re-attaches. */
const giveUpAfterMs = 120_000;

/** Settles (with nothing) on abort, so a race with it never leaves a rejection behind. */
const abortOf = (signal: AbortSignal) => new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));

/** Waits for the run's end, re-attaching when the follow dropped; on abort this process stops following, the run goes on. */
async function waitForEnd(session: UpSession, run: RunRecord, login: RunLogin, signal: AbortSignal): Promise<RunRecord> {
  const ended = session.runEnded(run.id);
  const stop = abortOf(signal);
  let unreachableSince: number | undefined;
  try {
    for (;;) {
      const result = await Promise.race([ended, sleep(checkEveryMs).then(() => undefined), stop]);
      if (signal.aborted) throw new Error(`interrupted: run ${run.id} goes on on the deploy node`);
      if (result) return result;
      try {
        const record = await session.runs.attach(run.projectId, run.id, login);
        if (record.state !== 'running') return record;
        unreachableSince = undefined;
      } catch (error) {
        unreachableSince ??= Date.now();
        session.options.note(`cluster.yml: the deploy node does not answer (${(error as Error).message}); trying again`);
        if (Date.now() - unreachableSince > giveUpAfterMs) throw new Error(`lost the deploy node for ${giveUpAfterMs / 1000} s: run ${run.id} goes on there; airspray up again re-attaches to it`, { cause: error });
      }
    }
  } finally {
    session.runs.detachAll();
  }
}

function describeEnd(run: RunRecord): string {
  const failures = run.digest.failures.map((failure) => `${failure.host} failed "${failure.task}": ${failureReason(failure.message)}`);
  return `run ${run.id} ${run.state}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}${failures.length > 0 ? `: ${failures.join('; ')}` : ''}`;
}

const choiceFor = async (session: UpSession, project: ProjectDocument) =>
  chooseClusterRun(await session.runs.list(project.id), inventoryDigestOf(renderProjectInventory(project, session.options.version)), project.cluster.bundle?.manifestSha256);

/** kubespray's cluster.yml from the pushed bundle: done when it succeeded for the plan as it is now. */
export function clusterRunStage(session: UpSession): UpStage {
  return {
    name: 'cluster.yml',
    done: async () => {
      const choice = await choiceFor(session, await session.project());
      return choice.kind === 'skip' ? `run ${choice.run.id} succeeded for this plan at ${choice.run.finishedAt ?? choice.run.startedAt}` : null;
    },
    run: async (signal) => {
      const project = await session.project();
      const choice = await choiceFor(session, project);
      const login: RunLogin = { credential: await session.credential(), keyPassphrase: session.options.deployKeyPassphrase() };
      let run: RunRecord;
      if (choice.kind === 'attach') {
        run = await session.runs.attach(project.id, choice.run.id, login);
        session.options.note(`cluster.yml: run ${run.id} is running on ${run.deployNode}: following it again`);
      } else {
        run = await session.runs.start({ projectId: project.id, ...login, options: session.options.run });
        session.options.note(`cluster.yml: run ${run.id} started on ${run.deployNode}; Ctrl+C stops following, the run goes on`);
      }
      const ended = run.state === 'running' ? await waitForEnd(session, run, login, signal) : run;
      if (ended.state !== 'succeeded') throw new Error(describeEnd(ended));
      return describeEnd(ended);
    },
  };
}

/** The cluster-admin kubeconfig, stored with the project: done when one was fetched after the last successful cluster.yml. */
export function kubeconfigStage(session: UpSession): UpStage {
  return {
    name: 'kubeconfig',
    done: async () => {
      const project = await session.project();
      const { kubeconfig, clusterReset } = await session.cluster.access(project.id);
      const lastRun = (await session.runs.list(project.id)).find((run) => run.playbook === 'cluster.yml' && run.state === 'succeeded');
      if (!kubeconfig || clusterReset || (lastRun?.finishedAt && kubeconfig.fetchedAt < lastRun.finishedAt)) return null;
      return `fetched from ${kubeconfig.fromHost.name} at ${kubeconfig.fetchedAt}`;
    },
    run: async () => {
      const project = await session.project();
      const access = await session.cluster.fetchKubeconfig(project.id, await session.keySession(project));
      return `fetched from ${access.kubeconfig?.fromHost.name}; airspray kubeconfig --project ${project.name} --out FILE writes it`;
    },
  };
}
