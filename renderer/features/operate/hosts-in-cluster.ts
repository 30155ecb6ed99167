import type { RunRecord } from '../../../electron/common/run';

/**
 * The hosts in the cluster as far as the run history (newest first) knows: those a successful run's recap named
 * (facts.yml's aside), less the ones a later successful remove-node.yml or reset.yml took out; a reset of the whole
 * cluster ends the search.
 */
export function hostsInCluster(runs: readonly RunRecord[]): Set<string> {
  const names = new Set<string>();
  const takenOut = new Set<string>();
  for (const run of runs) {
    // Gathering facts joins nothing: facts.yml names every inventory host, new ones too.
    if (run.state !== 'succeeded' || run.playbook === 'playbooks/facts.yml') continue;
    const named = Object.keys(run.digest.recap ?? {});
    if (run.playbook === 'reset.yml' && !run.options?.limit) break;
    if (run.playbook === 'reset.yml' || run.playbook === 'remove-node.yml') {
      for (const name of named) takenOut.add(name);
      continue;
    }
    for (const name of named) if (!takenOut.has(name)) names.add(name);
  }
  return names;
}

/** The hosts of `hosts` the run history does not place in the cluster: what can join it, or replace a member. */
export const hostsOutsideCluster = <H extends { name: string }>(hosts: readonly H[], runs: readonly RunRecord[]) => {
  const inCluster = hostsInCluster(runs);
  return hosts.filter((host) => !inCluster.has(host.name));
};
