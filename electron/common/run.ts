import { z } from 'zod';
import { RecoverGroupsSchema } from './recover-control-plane';

export const HostCountsSchema = z.object({
  ok: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  unreachable: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  rescued: z.number().int().nonnegative(),
  ignored: z.number().int().nonnegative(),
});
export type HostCounts = z.infer<typeof HostCountsSchema>;

export const FailedTaskSchema = z.object({
  host: z.string(),
  play: z.string(),
  task: z.string(),
  kind: z.enum(['failed', 'unreachable']),
  message: z.string(),
});
export type FailedTask = z.infer<typeof FailedTaskSchema>;

/** What the UI shows beside the terminal, parsed from Ansible's default output. */
export const RunDigestSchema = z.object({
  play: z.string().optional(),
  task: z.string().optional(),
  tasksStarted: z.number().int().nonnegative(),
  /** Tasks the playbook lists (ansible-playbook --list-tasks), when known, for a progress estimate. */
  tasksPlanned: z.number().int().nonnegative().optional(),
  hosts: z.record(z.string(), HostCountsSchema),
  failures: z.array(FailedTaskSchema),
  /** The final PLAY RECAP, once printed. */
  recap: z.record(z.string(), HostCountsSchema).optional(),
});
export type RunDigest = z.infer<typeof RunDigestSchema>;

export const runStates = ['running', 'succeeded', 'failed', 'cancelled', 'refused', 'lost'] as const;
export type RunState = (typeof runStates)[number];

/** Playbooks a run may start: kubespray's own, by name. */
export const kubesprayPlaybooks = [
  'cluster.yml',
  'scale.yml',
  'remove-node.yml',
  'upgrade-cluster.yml',
  'reset.yml',
  'recover-control-plane.yml',
  // Gathers every host's facts into the deploy node's cache, before a run limited to new hosts (docs/nodes.md).
  'playbooks/facts.yml',
] as const;

const AnsiblePattern = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9_.,:*!&\-[\]]+$/, 'Use host or group names, commas and Ansible pattern characters only.');
const TagList = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9_,-]+$/, 'Tags are names separated by commas, such as etcd,network.');

export const RunOptionsSchema = z.strictObject({
  playbook: z.enum(kubesprayPlaybooks),
  limit: AnsiblePattern.optional(),
  tags: TagList.optional(),
  skipTags: TagList.optional(),
  /** Sent to Ansible as one JSON document, so booleans stay booleans. */
  extraVars: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Variable names are letters, digits and "_".'), z.json())
    .optional(),
  /** Hosts Ansible works on at once; absent: sized to the deploy node (docs/runs.md). */
  forks: z.number().int().min(1).max(500).optional(),
  /** recover-control-plane.yml: the etcd and control plane groups in the run's inventory, broken ones included. */
  recoverGroups: RecoverGroupsSchema.optional(),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

/** How the run's ansible-playbook was started on the deploy node: enough to list its tasks again after a restart. */
export const RunInvocationSchema = z.object({
  /** Folder holding kubespray (cluster.yml, …) on the deploy node. */
  kubesprayDir: z.string(),
  /** Inventory path on the deploy node, e.g. inventory/<cluster>/hosts.yaml (relative to kubesprayDir or absolute). */
  inventory: z.string(),
  playbook: z.string(),
  limit: z.string().optional(),
  tags: z.string().optional(),
  skipTags: z.string().optional(),
  /** ansible-playbook --forks: the run's options' or the deploy node's size (docs/runs.md). */
  forks: z.number().int().positive().optional(),
  /** Passed as one JSON document, so booleans stay booleans (-e x=false would be the string "false"). */
  extraVars: z.record(z.string(), z.unknown()).optional(),
  /** The words that start ansible-playbook (a venv's python with `-m ansible.cli.playbook`); default the node's own. */
  ansiblePlaybook: z.array(z.string()).optional(),
});
export type RunInvocation = z.infer<typeof RunInvocationSchema>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Written once, when the run ends: its place in the project's chain of run records, so an auditor can tell whether
 * a record or a log was changed since (`airspray runs verify`).
 */
export const RunSealSchema = z.object({
  /** 1 for the project's first ended run, then one more for each. */
  sequence: z.number().int().positive(),
  /** sha256 of the run's log as kept on this side. */
  logSha256: Sha256Hex,
  /** sha256 of the previous sealed record's file (run.json) as written; absent for the first. */
  previousRecordSha256: Sha256Hex.optional(),
});

/** What `runs verify` found: `intact` when every sealed record, log and link of the chain is as written. */
export const RunChainCheckSchema = z.object({
  intact: z.boolean(),
  /** Sealed records checked. */
  records: z.number().int().nonnegative(),
  /** sha256 of the newest sealed record: written down, it lets a later check prove nothing was appended or cut. */
  headSha256: Sha256Hex.optional(),
  problems: z.array(z.object({ runId: z.string().optional(), problem: z.string() })),
  /** Ended runs recorded before records were chained: not covered by the check. */
  unsealed: z.array(z.string()),
});
export type RunChainCheck = z.infer<typeof RunChainCheckSchema>;

/** One run in the history: enough to answer who ran what, when, with which bundle and inventory, and how it ended. */
export const RunRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  cluster: z.string(),
  playbook: z.string(),
  commandLine: z.string(),
  /** What the run was started with; what a success changes follows from it (remove-node.yml's node leaves the plan). */
  options: RunOptionsSchema.optional(),
  /** Kept so a server that restarts before the task estimate came back can ask for it again. */
  invocation: RunInvocationSchema.optional(),
  startedAt: z.string(),
  startedBy: z.string(),
  deployNode: z.string(),
  bundleDigest: z.string().optional(),
  inventoryDigest: z.string(),
  state: z.enum(runStates),
  exitCode: z.number().int().optional(),
  finishedAt: z.string().optional(),
  logBytes: z.number().int().nonnegative(),
  digest: RunDigestSchema,
  seal: RunSealSchema.optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;
