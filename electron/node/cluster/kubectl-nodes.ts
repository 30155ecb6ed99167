import { z } from 'zod';
import type { ClusterNode } from '../../common/cluster-api';
import { coreError } from '../i18n/format-core-message';
import { firstIssue } from './kubeconfig';

const rolePrefix = 'node-role.kubernetes.io/';

/** What Airspray reads of `kubectl get nodes -o json`; other fields are ignored. */
const NodeListSchema = z.object({
  kind: z.literal('List').or(z.literal('NodeList')),
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string().min(1), labels: z.record(z.string(), z.string()).default({}) }),
      status: z.object({
        conditions: z
          .array(
            z.object({
              type: z.string(),
              status: z.enum(['True', 'False', 'Unknown']),
              message: z.string().optional(),
            }),
          )
          .default([]),
        addresses: z.array(z.object({ type: z.string(), address: z.string() })).default([]),
        nodeInfo: z.object({ kubeletVersion: z.string() }),
      }),
    }),
  ),
});

/**
 * Roles as kubectl's ROLES column derives them: node-role.kubernetes.io/<role> labels, and the older
 * kubernetes.io/role.
 */
function rolesOf(labels: Record<string, string>): string[] {
  const roles = Object.keys(labels)
    .filter((label) => label.startsWith(rolePrefix) && label.length > rolePrefix.length)
    .map((label) => label.slice(rolePrefix.length));
  const legacy = labels['kubernetes.io/role'];
  if (legacy && !roles.includes(legacy)) roles.push(legacy);
  return roles.sort();
}

/** Parses `kubectl get nodes -o json`; output that is not a node list is refused with what was wrong. */
export function parseNodeList(output: string): ClusterNode[] {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch (error) {
    throw coreError('conflict', 'cluster.nodes-not-json', { detail: (error as Error).message }, 'nodes');
  }
  const parsed = NodeListSchema.safeParse(json);
  if (!parsed.success) {
    throw coreError('conflict', 'cluster.nodes-not-a-list', { detail: firstIssue(parsed.error) }, 'nodes');
  }
  return parsed.data.items.map((item) => {
    const ready = item.status.conditions.find((condition) => condition.type === 'Ready');
    const internalIp = item.status.addresses.find((address) => address.type === 'InternalIP')?.address;
    return {
      name: item.metadata.name,
      ready: ready?.status ?? 'Unknown',
      ...(ready?.status !== 'True' && ready?.message ? { readyMessage: ready.message } : {}),
      roles: rolesOf(item.metadata.labels),
      kubeletVersion: item.status.nodeInfo.kubeletVersion,
      ...(internalIp ? { internalIp } : {}),
    };
  });
}
