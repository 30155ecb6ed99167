import { z } from 'zod';

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
