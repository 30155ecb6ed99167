import { z } from 'zod';
import { ProjectIdSchema } from './project';

export const CredentialIdSchema = z.string().min(1).max(64);
/**
 * The deploy key's passphrase (browser mode, CLI; the desktop app seals with the OS keychain instead): control planes
 * are reached with the deploy key, and the kubeconfig is stored encrypted under the same passphrase.
 */
export const KeyPassphraseSchema = z
  .string()
  .min(8, 'The deploy key passphrase needs at least 8 characters.')
  .max(1024)
  .optional();

/** keychain: sealed by the OS; passphrase: encrypted on disk; memory: gone when Airspray closes. */
export const SecretProtectionSchema = z.enum(['keychain', 'passphrase', 'memory']);

/** A host of the plan by its name and address. */
export const HostRefSchema = z.object({ name: z.string(), address: z.string() });

/** One node as `kubectl get nodes` shows it. */
export const ClusterNodeSchema = z.object({
  name: z.string(),
  /** The Ready condition's status: True is Ready; False and Unknown show as NotReady. */
  ready: z.enum(['True', 'False', 'Unknown']),
  /** Why, when not Ready (the condition's message). */
  readyMessage: z.string().optional(),
  /** From the node-role.kubernetes.io/<role> labels, as kubectl's ROLES column. */
  roles: z.array(z.string()),
  kubeletVersion: z.string(),
  internalIp: z.string().optional(),
});
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;

export const ClusterAccessSchema = z.object({
  kubeconfig: z
    .object({
      fetchedAt: z.iso.datetime(),
      fromHost: HostRefSchema,
      /** The API endpoint the saved copy points at: https://address:port. */
      server: z.string(),
      endpointSource: z.enum(['external-load-balancer', 'kube-vip', 'first-control-plane']),
      protection: SecretProtectionSchema,
      /** False when the copy was kept in memory only and Airspray restarted since, or it needs a passphrase to open. */
      availableNow: z.boolean(),
    })
    .nullable(),
  nodes: z
    .object({ checkedAt: z.iso.datetime(), fromHost: HostRefSchema, nodes: z.array(ClusterNodeSchema) })
    .nullable(),
  /** The last automatic or requested fetch that failed, with the reason. */
  lastError: z.object({ at: z.iso.datetime(), message: z.string(), runId: z.string().optional() }).nullable(),
  /**
   * A reset.yml over the whole cluster succeeded after the kubeconfig was fetched: the copy names a cluster that is
   * gone (its CA removed), so it is kept but marked, until the next fetch. Absent in files written before the mark.
   */
  clusterReset: z.object({ at: z.iso.datetime(), runId: z.string() }).nullable().default(null),
});
export type ClusterAccess = z.infer<typeof ClusterAccessSchema>;

export const kubeconfigAdminWarning =
  'This file grants cluster-admin on the whole cluster: keep it like a root password, never mail it or commit it, and delete copies you no longer need.';

const ProjectParams = { projectId: ProjectIdSchema };

/** A call that logs in to the project's hosts with the deploy key: the profile, and the key's passphrase if kept so. */
export const KeySessionCall = {
  ...ProjectParams,
  credentialId: CredentialIdSchema,
  keyPassphrase: KeyPassphraseSchema,
};

/** A contract entry for a call that logs in with the deploy key: KeySessionCall and its own `params`, strictly. */
export function keySessionMethod<const N extends string, const P extends z.ZodRawShape, R extends z.ZodType>(
  exposeAs: N,
  params: P,
  result: R,
) {
  return { exposeAs, params: z.strictObject({ ...KeySessionCall, ...params }), result } as const;
}

/**
 * Cluster access after a deploy: admin.conf fetched from a control plane, and the nodes' readiness (spread into
 * api.ts).
 */
export const clusterApiMethods = {
  'cluster.access': {
    exposeAs: 'getClusterAccess',
    params: z.strictObject(ProjectParams),
    result: ClusterAccessSchema,
  },
  /**
   * Reads /etc/kubernetes/admin.conf from the first control plane that answers, points it at the API endpoint and
   * saves it; then lists the nodes.
   */
  'cluster.fetchKubeconfig': keySessionMethod('fetchKubeconfig', {}, ClusterAccessSchema),
  'cluster.exportKubeconfig': {
    exposeAs: 'exportKubeconfig',
    params: z.strictObject({ ...ProjectParams, keyPassphrase: KeyPassphraseSchema }),
    result: z.object({ fileName: z.string(), content: z.string(), warning: z.string() }),
  },
  /** Runs kubectl get nodes on a control plane now. */
  'cluster.nodes': keySessionMethod('listClusterNodes', {}, ClusterAccessSchema),
} as const;

export const clusterApiEvents = {
  'cluster.accessUpdated': {
    subscribeAs: 'onClusterAccessUpdated',
    payload: z.object({ projectId: z.string(), access: ClusterAccessSchema }),
  },
} as const;
