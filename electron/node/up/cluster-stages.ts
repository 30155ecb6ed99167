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
export function chooseClusterRun(
  runs: readonly RunRecord[],
  inventoryDigest: string,
  bundleDigest: string | undefined,
): RunChoice {
  const ours = runs.filter((run) => run.playbook === 'cluster.yml');
  const running = ours.find((run) => run.state === 'running');
  if (running) return { kind: 'attach', run: running };
  const done = ours.find(
    (run) => run.state === 'succeeded' && run.inventoryDigest === inventoryDigest && run.bundleDigest === bundleDigest,
  );
  return done ? { kind: 'skip', run: done } : { kind: 'start' };
}

/** How often a followed run's follow is checked (and taken up again after a dropped link). */
const checkEveryMs = 5000;
/** A deploy node unreachable this long ends the wait: the run goes on there and the next `up` re-attaches. */
const unreachableLimitMs = 120_000;
/**
 * A run whose local log has not grown for this long while its follow is taken up again and again (its folder gone
 * from the node, say) ends the wait rather than waiting forever; kubespray's longest quiet tasks print retries sooner.
 */
const quietLimitMs = 15 * 60_000;

/** Time without news: started at the first `late()` after a `news()`, over once longer than the limit. */
class Silence {
  private since: number | undefined;
  constructor(private readonly limitMs: number) {}
  news(): void {
    this.since = undefined;
  }
  late(): boolean {
    this.since ??= Date.now();
    return Date.now() - this.since > this.limitMs;
  }
}

/** Settles (with nothing) on abort, so a race with it never leaves a rejection behind. */
const abortOf = (signal: AbortSignal) =>
  new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));

/** Follows the run again if its follow dropped; the record once it ended, else how many bytes its local log holds. */
async function checkFollow(session: UpSession, run: RunRecord, login: RunLogin): Promise<RunRecord | number> {
  const record = await session.runs.attach(run.projectId, run.id, login);
  return record.state !== 'running' ? record : (await session.runs.readLog(run.projectId, run.id, 0, 0)).logBytes;
}

/**
 * Waits for the run's end, re-attaching when the follow dropped; on abort this process stops following, the run goes
 * on.
 */
async function waitForEnd(
  session: UpSession,
  run: RunRecord,
  login: RunLogin,
  signal: AbortSignal,
): Promise<RunRecord> {
  const ended = session.runEnded(run.id);
  const stop = abortOf(signal);
  const unreachable = new Silence(unreachableLimitMs);
  const quiet = new Silence(quietLimitMs);
  let logBytes = -1;
  try {
    for (;;) {
      const result = await Promise.race([ended, sleep(checkEveryMs).then(() => undefined), stop]);
      if (signal.aborted) throw new Error(`interrupted: run ${run.id} goes on on the deploy node`);
      if (result) return result;
      const checked = await checkFollow(session, run, login).catch((error: unknown) => {
        session.options.note(
          `cluster.yml: the deploy node does not answer (${(error as Error).message}); trying again`,
        );
        if (unreachable.late())
          throw new Error(
            `lost the deploy node for ${unreachableLimitMs / 1000} s: run ${run.id} goes on there; airspray up again re-attaches to it`,
            { cause: error },
          );
        return undefined;
      });
      if (checked === undefined) continue;
      if (typeof checked !== 'number') return checked;
      unreachable.news();
      if (checked > logBytes) quiet.news();
      else if (quiet.late())
        throw new Error(
          `run ${run.id} wrote nothing for ${quietLimitMs / 60_000} minutes and its log stream keeps ending: look at it on the deploy node (airspray runs attach ${run.id})`,
        );
      logBytes = checked;
    }
  } finally {
    session.runs.detachAll();
  }
}

function describeEnd(run: RunRecord): string {
  const failures = run.digest.failures.map(
    (failure) => `${failure.host} failed "${failure.task}": ${failureReason(failure.message)}`,
  );
  return `run ${run.id} ${run.state}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}${failures.length > 0 ? `: ${failures.join('; ')}` : ''}`;
}

const choiceFor = async (session: UpSession, project: ProjectDocument) =>
  chooseClusterRun(
    await session.runs.list(project.id),
    inventoryDigestOf(renderProjectInventory(project, session.options.version)),
    project.cluster.bundle?.manifestSha256,
  );

/** kubespray's cluster.yml from the pushed bundle: done when it succeeded for the plan as it is now. */
export function clusterRunStage(session: UpSession): UpStage {
  return {
    name: 'cluster.yml',
    done: async () => {
      const choice = await choiceFor(session, await session.project());
      return choice.kind === 'skip'
        ? `run ${choice.run.id} succeeded for this plan at ${choice.run.finishedAt ?? choice.run.startedAt}`
        : null;
    },
    run: async (signal) => {
      const project = await session.project();
      const choice = await choiceFor(session, project);
      const login: RunLogin = {
        credential: await session.credential(),
        keyPassphrase: session.options.deployKeyPassphrase(),
      };
      let run: RunRecord;
      if (choice.kind === 'attach') {
        run = await session.runs.attach(project.id, choice.run.id, login);
        session.options.note(`cluster.yml: run ${run.id} is running on ${run.deployNode}: following it again`);
      } else {
        run = await session.runs.start({ projectId: project.id, ...login, options: session.options.run });
        session.options.note(
          `cluster.yml: run ${run.id} started on ${run.deployNode}; Ctrl+C stops following, the run goes on`,
        );
      }
      const ended = run.state === 'running' ? await waitForEnd(session, run, login, signal) : run;
      if (ended.state !== 'succeeded') throw new Error(describeEnd(ended));
      return describeEnd(ended);
    },
  };
}

/**
 * The cluster-admin kubeconfig, stored with the project: done when one was fetched after the last successful
 * cluster.yml.
 */
export function kubeconfigStage(session: UpSession): UpStage {
  return {
    name: 'kubeconfig',
    done: async () => {
      const project = await session.project();
      const { kubeconfig, clusterReset } = await session.cluster.access(project.id);
      const lastRun = (await session.runs.list(project.id)).find(
        (run) => run.playbook === 'cluster.yml' && run.state === 'succeeded',
      );
      if (!kubeconfig || clusterReset || (lastRun?.finishedAt && kubeconfig.fetchedAt < lastRun.finishedAt))
        return null;
      return `fetched from ${kubeconfig.fromHost.name} at ${kubeconfig.fetchedAt}`;
    },
    run: async () => {
      const project = await session.project();
      const access = await session.cluster.fetchKubeconfig(project.id, await session.keySession(project));
      return `fetched from ${access.kubeconfig?.fromHost.name}; airspray kubeconfig --project ${project.name} --out FILE writes it`;
    },
  };
}
