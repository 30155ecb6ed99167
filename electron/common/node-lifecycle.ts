import { z } from 'zod';
import { namedHosts, type ClusterHost } from './cluster-plan';
import { keySessionMethod } from './cluster-api';
import { CoreMessageSchema } from './core-messages';
import { CoreRefusal } from './errors';
import { ProjectIdSchema } from './project';
import { EtcdBackupSchema } from './etcd-api';
import {
  RecoverSnapshotSchema,
  recoverEtcdRetries,
  recoverGroups,
  type RecoverSnapshot,
} from './recover-control-plane';
import type { RunOptions } from './run';
import { KubesprayDirSchema } from './runs-api';
import { UpgradeStepSchema } from './upgrade';

/**
 * Adding, removing and replacing nodes as kubespray v2.23.3 documents it (docs/nodes.md): a worker is
 * playbooks/facts.yml then scale.yml --limit, a control plane is cluster.yml, an etcd member is cluster.yml and
 * upgrade-cluster.yml limited to etcd,kube_control_plane; removal is remove-node.yml, then cluster.yml when an etcd
 * member left. Recovering broken members is recover-control-plane.yml (docs/recover-control-plane.md, see
 * recover-control-plane.ts).
 */
export const lifecycleActions = ['add', 'remove', 'replace', 'recover'] as const;

/** kubespray's group names in the limits its docs give (v2.23.3). */
export const etcdAndControlPlane = 'etcd,kube_control_plane';

/** The steps kubespray names that no playbook does; the operator does them, Airspray says which and where. */
export const manualStepKinds = [
  'remove-before-etcd',
  'restart-nginx-proxy',
  'etcd-servers',
  'shut-down',
  'etcd-backup',
  'provision-again',
  'leave-plan',
] as const;
export const ManualStepSchema = z.object({
  kind: z.enum(manualStepKinds),
  when: z.enum(['before', 'after']),
  /** Where to do it. */
  hosts: z.array(z.string()),
  /** The etcd members the apiserver should list (etcd-servers). */
  members: z.array(z.string()).optional(),
});
export type ManualStep = z.infer<typeof ManualStepSchema>;

/** A procedure's run is kept as an upgrade's step is (runStep in electron/node/runs/run-step.ts runs both). */
export const LifecycleRunSchema = UpgradeStepSchema;
export type LifecycleRun = z.infer<typeof LifecycleRunSchema>;

export const LifecycleRequestSchema = z.strictObject({
  action: z.enum(lifecycleActions),
  /** The hosts to add (add, replace), to remove (remove) or the broken members (recover): plan names. */
  hosts: z.array(z.string().min(1).max(253)).min(1).max(100),
  /** replace: the members the new hosts replace, removed after the new ones joined. */
  replacing: z.array(z.string().min(1).max(253)).max(100).optional(),
  /** The hosts to remove are down: remove-node.yml without resetting them (reset_nodes=false). */
  offline: z.boolean().optional(),
  /** recover: the plan hosts that take the broken members' places; without, the broken hosts are rebuilt in place. */
  newHosts: z.array(z.string().min(1).max(253)).max(100).optional(),
  /** recover: the operator read what may be lost (recoverLoss) and goes on. */
  confirm: z.boolean().optional(),
  /** recover: the stored etcd backup (its file in the project's index) to restore from if etcd lost its quorum. */
  snapshot: EtcdBackupSchema.shape.file.optional(),
});
export type LifecycleRequest = z.infer<typeof LifecycleRequestSchema>;

export const LifecycleProcedureSchema = z.object({
  request: LifecycleRequestSchema,
  runs: z.array(LifecycleRunSchema),
  manualSteps: z.array(ManualStepSchema),
  /** recover with a snapshot: the backup and where the run finds it on the deploy node. */
  snapshot: RecoverSnapshotSchema.optional(),
});
export type LifecycleProcedure = z.infer<typeof LifecycleProcedureSchema>;

const names = (hosts: readonly ClusterHost[]) => hosts.map((host) => host.name);
const isMember = (host: ClusterHost) => host.roles.controlPlane || host.roles.etcd || host.roles.worker;
const pending = (label: string, options: RunOptions): LifecycleRun => ({ label, options, state: 'pending' });

const planHosts = (hosts: readonly ClusterHost[], wanted: readonly string[], field: string) =>
  namedHosts(hosts, wanted, isMember, (name) => {
    throw new CoreRefusal('invalid_params', 'nodes.not-in-plan', { host: name }, field);
  });

/** kubespray builds on the first control plane and etcd member, and cannot remove them (docs/nodes.md). */
function refuseFirst(all: readonly ClusterHost[], host: ClusterHost, verb: 'add' | 'remove', field: string): void {
  for (const [role, group] of [
    ['controlPlane', 'kube_control_plane'],
    ['etcd', 'etcd'],
  ] as const) {
    if (!host.roles[role] || all.find((candidate) => candidate.roles[role])?.name !== host.name) continue;
    throw new CoreRefusal('conflict', 'nodes.first-host', { verb, group, host: host.name }, field);
  }
}

/**
 * kubespray stops on an even number of etcd members (roles/kubernetes/preinstall, 0040-verify-settings.yml). None
 * cannot happen: the first member is never removed.
 */
function refuseEvenEtcd(remaining: number, field: string): void {
  if (remaining % 2 === 1) return;
  throw new CoreRefusal('conflict', 'nodes.etcd-even', { count: remaining }, field);
}

function addRuns(added: readonly ClusterHost[]): LifecycleRun[] {
  const runs: LifecycleRun[] = [];
  const etcd = added.filter((host) => host.roles.etcd);
  if (etcd.length > 0) {
    // Several members joining at once need more retries than the default 4 (docs/nodes.md).
    const extraVars = { ignore_assert_errors: true, ...(etcd.length > 1 ? { etcd_retries: 10 } : {}) };
    runs.push(pending('join etcd', { playbook: 'cluster.yml', limit: etcdAndControlPlane, extraVars }));
    runs.push(
      pending('etcd configuration everywhere', {
        playbook: 'upgrade-cluster.yml',
        limit: etcdAndControlPlane,
        extraVars: { ignore_assert_errors: true },
      }),
    );
  }
  // A control plane needs cluster.yml over the whole cluster, which also takes in the workers added with it.
  if (added.some((host) => host.roles.controlPlane)) runs.push(pending('control plane', { playbook: 'cluster.yml' }));
  else {
    const workers = added.filter((host) => host.roles.worker && !host.roles.etcd);
    // facts.yml first, unlimited, refreshes every host's cached facts; scale.yml limited to the new hosts reads the
    // others' from the cache instead of gathering them (docs/nodes.md, "Adding/replacing a worker node").
    if (workers.length > 0)
      runs.push(
        pending('facts of every host', { playbook: 'playbooks/facts.yml' }),
        pending('workers', { playbook: 'scale.yml', limit: names(workers).join(',') }),
      );
  }
  return runs;
}

function removeRuns(removed: readonly ClusterHost[], offline: boolean): LifecycleRun[] {
  const extraVars = {
    node: names(removed).join(','),
    skip_confirmation: true,
    ...(offline ? { reset_nodes: false, allow_ungraceful_removal: true } : {}),
  };
  const runs = [pending('remove', { playbook: 'remove-node.yml', extraVars })];
  // The remaining nodes' configuration still names the old etcd members until cluster.yml writes it again.
  if (removed.some((host) => host.roles.etcd)) runs.push(pending('etcd configuration', { playbook: 'cluster.yml' }));
  return runs;
}

function manualStepsFor(all: readonly ClusterHost[], added: ClusterHost[], removed: ClusterHost[]): ManualStep[] {
  const gone = new Set(names(removed));
  const left = all.filter((host) => !gone.has(host.name));
  const controlPlanes = names(left.filter((host) => host.roles.controlPlane));
  const steps: ManualStep[] = [];
  const etcdJoins = added.filter((host) => host.roles.etcd && (host.roles.controlPlane || host.roles.worker));
  if (etcdJoins.length > 0) steps.push({ kind: 'remove-before-etcd', when: 'before', hosts: names(etcdJoins) });
  if (added.some((host) => host.roles.controlPlane))
    steps.push({
      kind: 'restart-nginx-proxy',
      when: 'after',
      hosts: names(left.filter((host) => host.roles.worker || host.roles.controlPlane)),
    });
  if ([...added, ...removed].some((host) => host.roles.etcd))
    steps.push({
      kind: 'etcd-servers',
      when: 'after',
      hosts: controlPlanes,
      members: names(left.filter((host) => host.roles.etcd)),
    });
  if (removed.length > 0) steps.push({ kind: 'shut-down', when: 'after', hosts: names(removed) });
  return steps;
}

function recoverProcedure(
  all: readonly ClusterHost[],
  request: LifecycleRequest,
  snapshot: RecoverSnapshot | undefined,
): LifecycleProcedure {
  const groups = recoverGroups(all, request.hosts, request.newHosts ?? []);
  const broken = [...new Set([...groups.brokenEtcd, ...groups.brokenControlPlane])];
  const options: RunOptions = {
    playbook: 'recover-control-plane.yml',
    limit: etcdAndControlPlane,
    extraVars: { etcd_retries: recoverEtcdRetries, ...(snapshot ? { etcd_snapshot: snapshot.path } : {}) },
    recoverGroups: groups,
  };
  const replaced = (request.newHosts ?? []).length > 0;
  const manualSteps: ManualStep[] = [
    { kind: 'etcd-backup', when: 'before', hosts: groups.etcd.slice(0, 1) },
    ...(replaced ? [] : [{ kind: 'provision-again' as const, when: 'before' as const, hosts: broken }]),
    { kind: 'etcd-servers', when: 'after', hosts: groups.controlPlane, members: groups.etcd },
    ...(replaced ? [{ kind: 'leave-plan' as const, when: 'after' as const, hosts: broken }] : []),
  ];
  return { request, runs: [pending('recover', options)], manualSteps, ...(snapshot ? { snapshot } : {}) };
}

/** The request's snapshot must be the one looked up (its file), and only a recovery takes one. */
function refuseStraySnapshot(request: LifecycleRequest, snapshot: RecoverSnapshot | undefined): void {
  if (request.action !== 'recover' && request.snapshot !== undefined)
    throw new CoreRefusal('invalid_params', 'recover.snapshot-only-recovery', { file: request.snapshot }, 'snapshot');
  if (request.snapshot !== snapshot?.backup.file)
    throw new CoreRefusal(
      'internal',
      'recover.snapshot-not-looked-up',
      { file: request.snapshot ?? 'none', looked: snapshot?.backup.file ?? 'none' },
      'snapshot',
    );
}

/**
 * The runs, in order, and the manual steps of adding, removing, replacing or recovering hosts of `all` (the plan's
 * hosts, in the order the inventory lists them). Refused, naming the host and the fix, where kubespray refuses (a
 * `CoreRefusal`: by id, English once electron/node's `inEnglish` ran it).
 * `snapshot`: the stored backup the request's snapshot names, looked up (electron/node/etcd/recover-snapshot.ts).
 */
export function lifecycleProcedure(
  all: readonly ClusterHost[],
  request: LifecycleRequest,
  snapshot?: RecoverSnapshot,
): LifecycleProcedure {
  const { action } = request;
  refuseStraySnapshot(request, snapshot);
  if (action === 'recover') return recoverProcedure(all, request, snapshot);
  const added = action === 'remove' ? [] : planHosts(all, request.hosts, 'hosts');
  const removed = planHosts(all, action === 'remove' ? request.hosts : (request.replacing ?? []), 'replacing');
  if (action === 'replace' && removed.length === 0)
    throw new CoreRefusal('invalid_params', 'nodes.replacing-missing', {}, 'replacing');
  const both = added.find((host) => removed.includes(host));
  if (both) throw new CoreRefusal('invalid_params', 'nodes.replace-itself', { host: both.name }, 'replacing');
  for (const host of added) refuseFirst(all, host, 'add', 'hosts');
  for (const host of removed) refuseFirst(all, host, 'remove', action === 'remove' ? 'hosts' : 'replacing');
  if ([...added, ...removed].some((host) => host.roles.etcd))
    refuseEvenEtcd(all.filter((host) => host.roles.etcd && !removed.includes(host)).length, 'hosts');
  return {
    request,
    runs: [...addRuns(added), ...(removed.length > 0 ? removeRuns(removed, request.offline ?? false) : [])],
    manualSteps: manualStepsFor(all, added, removed),
  };
}

/** Whether `hosts` can go the plain way (scale.yml, remove-node.yml alone): no control plane or etcd member. */
export const onlyWorkers = (hosts: readonly ClusterHost[]) =>
  hosts.every((host) => !host.roles.controlPlane && !host.roles.etcd);

/** A manual step in English, for the command line and the logs (the window has it in its catalogs). */
export function manualStepText(step: ManualStep): string {
  const on = step.hosts.join(', ');
  switch (step.kind) {
    case 'remove-before-etcd':
      return `If ${on} already runs in the cluster as a worker or control plane, remove it first (remove-node.yml): kubespray cannot make a running node an etcd member.`;
    case 'restart-nginx-proxy':
      return `On ${on}: restart the nginx-proxy pod so it reloads the control plane list: crictl ps --name nginx-proxy -q | xargs crictl stop`;
    case 'etcd-servers':
      return `On ${on}: check that --etcd-servers in /etc/kubernetes/manifests/kube-apiserver.yaml lists exactly ${(step.members ?? []).join(', ')}.`;
    case 'shut-down':
      return `Shut ${on} down.`;
    case 'etcd-backup':
      return `Back up what you can: an etcd snapshot from a surviving member first (airspray etcd backup --member ${on}).`;
    case 'provision-again':
      return `Provision ${on} again (a fresh OS, the same name and address, reachable with the deploy key): they are rebuilt in place.`;
    case 'leave-plan':
      return `Take ${on} out of the plan (airspray plan roles, or the Plan step): they are no longer members.`;
  }
}

/** A run as a command line reads: `cluster.yml --limit etcd,kube_control_plane -e ignore_assert_errors=true`. */
export function runOptionsText(options: RunOptions): string {
  const variables = Object.entries(options.extraVars ?? {}).map(([name, value]) => `-e ${name}=${String(value)}`);
  return [options.playbook, ...(options.limit ? ['--limit', options.limit] : []), ...variables].join(' ');
}

/** A procedure as the project's folder keeps it (node-lifecycle.json): what is done, and where it stopped. */
export const LifecycleRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  startedAt: z.string(),
  procedure: LifecycleProcedureSchema,
  state: z.enum(['running', 'stopped', 'succeeded']),
  /** Where a stopped procedure stands, and how to go on. */
  message: z.string().optional(),
  /** `message` by id, for the window's language. */
  i18n: CoreMessageSchema.optional(),
});
export type LifecycleRecord = z.infer<typeof LifecycleRecordSchema>;

const ProjectLifecycleRequest = { projectId: ProjectIdSchema, ...LifecycleRequestSchema.shape };

/** Control plane and etcd members added, removed and replaced by kubespray's procedure (spread into api.ts). */
export const nodeLifecycleApiMethods = {
  /** The procedure's runs and manual steps, or the refusal, without starting anything. */
  'nodes.procedure': {
    exposeAs: 'nodeProcedure',
    params: z.strictObject(ProjectLifecycleRequest),
    result: LifecycleProcedureSchema,
  },
  /**
   * Starts the procedure (or goes on with the same one where it stopped); answers once it is under way,
   * `nodes.updated` follows it.
   */
  'nodes.change': keySessionMethod(
    'changeNodes',
    { ...LifecycleRequestSchema.shape, kubesprayDir: KubesprayDirSchema },
    LifecycleRecordSchema,
  ),
} as const;

export const nodeLifecycleApiEvents = {
  'nodes.updated': { subscribeAs: 'onNodesUpdated', payload: LifecycleRecordSchema },
} as const;
