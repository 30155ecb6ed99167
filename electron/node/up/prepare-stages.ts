import { hostInputFromFacts, fitsPlanByDefault } from '../../common/facts-to-plan';
import type { FactsOutcome } from '../../common/host-facts';
import type { ProjectDocument } from '../../common/project';
import { collectFacts } from '../access/collect-facts';
import { planViewOf } from '../access/kubespray-checks';
import { platformsFor } from '../access/preflight';
import { planFindings } from '../inventory/inventory-service';
import { preparePlanApply, savePlanApply, type PreparedPlanApply } from '../plan-file/apply-plan-file';
import type { ParsedPlanFile } from '../plan-file/parse-plan-file';
import { readProjectHostKeys } from '../plan-file/project-host-keys';
import { projectKnownHostsFile } from '../ssh/host-key-store';
import { hasKeyOnRecord } from '../ssh/known-hosts';
import { connectSsh } from '../ssh/ssh-connection';
import type { UpSession } from './up-session';
import { UpInputError, type UpStage } from './up-stages';

/** A plan with errors would not deploy: refused as input, with the first few errors and where the rest are listed. */
function assertDeployable(project: ProjectDocument): void {
  const errors = planFindings(project).filter((finding) => finding.severity === 'error');
  if (errors.length === 0) return;
  const shown = errors.slice(0, 3).map((finding) => `${finding.host ? `${finding.host}: ` : ''}${finding.message}`);
  throw new UpInputError(
    `the plan has ${errors.length} error(s): ${shown.join('; ')}${errors.length > 3 ? `; airspray inventory validate --project ${project.name} lists all` : ''}.`,
    'plan',
  );
}

/**
 * With --accept-new, the keys recorded for hosts the file does not pin stay trusted (ssh's accept-new: the first key
 * seen is kept, a changed one refused); without it the file's keys are the whole truth, as with `airspray apply`.
 */
async function withKeptHostKeys(session: UpSession, parsed: ParsedPlanFile): Promise<ParsedPlanFile> {
  const name = session.options.project ?? parsed.plan.project;
  const project = (await session.projects.list()).find((entry) => entry.name === name);
  if (!session.options.acceptNew || !project) return parsed;
  const pinned = new Set(parsed.plan.hostKeys.map((hostKey) => `${hostKey.host}:${hostKey.port ?? 22}`));
  const recorded = (await readProjectHostKeys(projectKnownHostsFile(session.options.dataDir, project.id))).keys;
  const kept = recorded.filter((hostKey) => !pinned.has(`${hostKey.host}:${hostKey.port ?? 22}`));
  return { ...parsed, plan: { ...parsed.plan, hostKeys: [...parsed.plan.hostKeys, ...kept] } };
}

/** The plan file into the project, as `airspray apply` does; done when the project already matches the file. */
export function applyStage(session: UpSession): UpStage {
  let prepared: PreparedPlanApply | undefined;
  return {
    name: 'apply',
    input: true,
    done: async () => {
      prepared = await preparePlanApply(
        await withKeptHostKeys(session, await session.plan()),
        session.applyContext,
        session.options.project,
      );
      if (!prepared.current || prepared.changes.length > 0) return null;
      session.useProject(prepared.current.id);
      assertDeployable(prepared.current);
      return `project ${prepared.projectName} matches ${session.options.planFile}`;
    },
    run: async () => {
      const saved = (await savePlanApply(prepared!, session.applyContext))!;
      session.useProject(saved.id);
      assertDeployable(saved);
      return `${prepared!.changes.length} change(s) to project ${saved.name}, saved at revision ${saved.revision}`;
    },
  };
}

/** Hosts of the plan without a host key on record (the project's known_hosts, or the operator's own). */
async function hostsWithoutKey(session: UpSession, project: ProjectDocument) {
  const entries = await session.hostKeys(project).entries();
  return project.cluster.hosts.filter((host) => !hasKeyOnRecord(entries, host.address, 22));
}

/** Every host's key on record: those the plan file pins, or, with --accept-new, those the hosts present now. */
export function hostKeysStage(session: UpSession): UpStage {
  return {
    name: 'host keys',
    done: async () => {
      const project = await session.project();
      return (await hostsWithoutKey(session, project)).length === 0
        ? `${project.cluster.hosts.length} host(s) with a key on record`
        : null;
    },
    run: async () => {
      const project = await session.project();
      const missing = await hostsWithoutKey(session, project);
      const names = missing.map((host) => `${host.name} (${host.address})`).join(', ');
      if (!session.options.acceptNew)
        throw new UpInputError(
          `no host key on record for ${names}: pin them under hostKeys in the plan file, or pass --accept-new.`,
          'hostKeys',
        );
      const credential = await session.credential();
      const hostKeys = session.hostKeys(project);
      // Logging in records a key never seen before; a changed key is refused by name.
      for (const host of missing)
        (
          await connectSsh({ host: host.address, port: 22 }, { credential, hostKeys, acceptNewHostKeys: true })
        ).client.end();
      return `recorded the keys of ${names} (--accept-new)`;
    },
  };
}

/** The failures that keep hosts out of the plan by the Access step's rule, one phrase each. */
function blockingFailures(outcomes: readonly FactsOutcome[], despiteChecks: boolean): string[] {
  return outcomes.flatMap((outcome) => {
    if (outcome.state === 'failed') return [`${outcome.address}: ${outcome.message}`];
    if (despiteChecks || fitsPlanByDefault(outcome)) return [];
    return outcome.checks
      .filter((check) => check.status === 'fail' && !check.answeredBySetting)
      .map((check) => `${outcome.address} failed "${check.title}": ${check.message}`);
  });
}

/**
 * Each host's facts and pre-flight checks for its role; done when every host has facts on record. The facts go
 * onto the plan's hosts as they are named in the plan file (the Access step would rename them by hostname).
 */
export function factsStage(session: UpSession): UpStage {
  return {
    name: 'facts',
    done: async () => {
      const project = await session.project();
      return project.cluster.hosts.every((host) => host.facts)
        ? `facts of ${project.cluster.hosts.length} host(s) on record`
        : null;
    },
    run: async () => {
      const project = await session.project();
      const cluster = project.cluster;
      const outcomes = await collectFacts(
        cluster.hosts.map((host) => ({ host: host.address, port: 22 })),
        {
          credential: await session.credential(),
          hostKeys: session.hostKeys(project),
          platforms: platformsFor(cluster.bundle),
          plan: planViewOf(cluster),
        },
      );
      const failures = blockingFailures(outcomes, session.options.despiteChecks);
      if (failures.length > 0)
        throw new Error(
          `${failures.join('; ')}${outcomes.some((outcome) => outcome.state === 'ok') ? ' (--despite-checks goes on past failed checks, as ticking the hosts on the Access step)' : ''}`,
        );
      const receivedAt = new Date().toISOString();
      const factsOf = new Map(
        outcomes.map((outcome) => [outcome.address, hostInputFromFacts(outcome, receivedAt)?.facts]),
      );
      await session.projects.update(project.id, project.revision, (current) => ({
        ...current,
        cluster: {
          ...current.cluster,
          hosts: current.cluster.hosts.map((host) => ({
            ...host,
            ...(factsOf.get(host.address) ? { facts: factsOf.get(host.address)! } : {}),
          })),
        },
      }));
      const passedOver = blockingFailures(outcomes, false).length;
      return `facts of ${outcomes.length} host(s) recorded${passedOver > 0 ? `, ${passedOver} failed check(s) passed over (--despite-checks)` : ''}`;
    },
  };
}
