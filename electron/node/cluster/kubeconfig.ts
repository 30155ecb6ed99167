import { parseDocument } from 'yaml';
import { z } from 'zod';
import { coreError } from '../i18n/format-core-message';

/** The parts of a kubeconfig Airspray relies on; everything else is kept as it is. */
const KubeconfigSchema = z.object({
  kind: z.literal('Config'),
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string().min(1) }) })).min(1),
  users: z.array(z.object({ name: z.string() })).min(1),
});

/**
 * Points every cluster entry of a kubeconfig (admin.conf has one) at `serverUrl`, keeping the rest byte for byte
 * where YAML allows. Refuses text that is not a kubeconfig, naming what is missing.
 */
export function pointKubeconfigAt(text: string, serverUrl: string): { text: string; previousServers: string[] } {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw coreError(
      'conflict',
      'cluster.admin-conf-not-yaml',
      { detail: document.errors[0]!.message.split('\n')[0]! },
      'kubeconfig',
    );
  }
  const parsed = KubeconfigSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw coreError(
      'conflict',
      'cluster.admin-conf-not-kubeconfig',
      { detail: firstIssue(parsed.error) },
      'kubeconfig',
    );
  }
  parsed.data.clusters.forEach((_entry, index) => document.setIn(['clusters', index, 'cluster', 'server'], serverUrl));
  return {
    text: document.toString({ lineWidth: 0, indentSeq: false }),
    previousServers: parsed.data.clusters.map((entry) => entry.cluster.server),
  };
}

/** What a schema found first, as "where: what" (the document itself when at its top). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'document'}: ${issue.message}`;
}
