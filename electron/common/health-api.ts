import { z } from 'zod';
import { CertificateReportSchema } from './certs-api';
import { ClusterNodeSchema, HostRefSchema, keySessionMethod } from './cluster-api';
import { EtcdBackupSchema, EtcdMemberStatusSchema } from './etcd-api';
import { PublisherSchema } from './bundle-verification';
import { RunChainCheckSchema, RunRecordSchema } from './run';

/** A part of the report that could not be read: why, in the operator's words. */
const Unread = z.object({ read: z.literal(false), error: z.string() });

export const NodesSectionSchema = z.union([
  z.object({ read: z.literal(true), from: z.string(), nodes: z.array(ClusterNodeSchema) }),
  Unread,
]);

export const EtcdSectionSchema = z.union([
  z.object({ read: z.literal(true), from: z.string(), members: z.array(EtcdMemberStatusSchema) }),
  Unread,
]);

/** The one page for change control: the plan, the live cluster, certificates, etcd, backups, bundle and runs. */
export const HealthReportSchema = z.object({
  madeAt: z.iso.datetime(),
  cluster: z.object({
    name: z.string(),
    kubernetesVersion: z.string(),
    deployNode: z.string().nullable(),
    hosts: z.array(HostRefSchema.extend({ roles: z.array(z.string()) })),
  }),
  bundle: z
    .object({
      bundleId: z.string(),
      kubesprayVersion: z.string(),
      manifestSha256: z.string(),
      /** Who signed it, as the last verification on this data folder found; absent when it was never verified here. */
      publisher: PublisherSchema.optional(),
    })
    .nullable(),
  nodes: NodesSectionSchema,
  etcd: EtcdSectionSchema,
  certificates: z.union([CertificateReportSchema.extend({ read: z.literal(true) }), Unread]),
  lastBackup: EtcdBackupSchema.nullable(),
  /** The newest runs, newest first, and whether their records are as written. */
  runs: z.object({
    recent: z.array(RunRecordSchema.omit({ digest: true, invocation: true })),
    chain: RunChainCheckSchema,
  }),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

/** The cluster health report (spread into api.ts). */
export const healthApiMethods = {
  /** Reads the cluster over the deploy key's SSH sessions (with sudo) and the project's folder; changes nothing. */
  'health.report': keySessionMethod('reportHealth', {}, HealthReportSchema),
  /** The same report as one printable, self-contained HTML page (tens of KiB), to save as a file. */
  'health.page': keySessionMethod('healthReportPage', {}, z.object({ fileName: z.string(), html: z.string() })),
} as const;
