import { z } from 'zod';
import { CoreMessageSchema } from './core-messages';

/** One file or image kubespray's download role would fetch for the plan. */
export const DownloadItemSchema = z.object({
  /** The entry of kubespray's `downloads` (or `kubeadm` for the control-plane images kubeadm pulls). */
  key: z.string(),
  kind: z.enum(['file', 'image']),
  /** The kubespray variables that ask for it: `calicoctl_download_url`, or `calico_node_image_repo`/`…_tag`. */
  variables: z.array(z.string()),
  /** The URL or image reference as kubespray renders it for the plan. */
  reference: z.string(),
  architecture: z.string(),
});
export type DownloadItem = z.infer<typeof DownloadItemSchema>;

export const DownloadFindingSchema = DownloadItemSchema.extend({
  /** `missing`: not in the bundle; `outside`: not pointed at the deploy node's file server or registry. */
  problem: z.enum(['missing', 'outside']),
  message: z.string(),
  /** `message` by id, for the window's language. */
  i18n: CoreMessageSchema.optional(),
});
export type DownloadFinding = z.infer<typeof DownloadFindingSchema>;

export const DownloadCheckSchema = z.object({
  /** False when the download set could not be rendered here (`reason` says why and where it is checked instead). */
  checked: z.boolean(),
  reason: z.string().optional(),
  /** `reason` by id, for the window's language. */
  reasonMessage: CoreMessageSchema.optional(),
  /**
   * Not checkable anywhere: the bundle's kubespray has no download role to read (not a release, e.g. a test stand-in).
   */
  unreadable: z.boolean().optional(),
  items: z.array(DownloadItemSchema),
  findings: z.array(DownloadFindingSchema),
});
export type DownloadCheck = z.infer<typeof DownloadCheckSchema>;

/** The playbooks that run kubespray's download role; the others fetch nothing. */
export const downloadingPlaybooks: readonly string[] = ['cluster.yml', 'scale.yml', 'upgrade-cluster.yml'];
