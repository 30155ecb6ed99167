import { z } from 'zod';
import { CoreMessageSchema } from './core-messages';
import { cancelMethod } from './cancel-result';
import { EtaSecondsSchema, fileTransferCounts } from './transfer-progress';
import { ProjectIdSchema } from './project';
import { HostNameSchema } from './cluster-plan';
import { HostRefSchema, keySessionMethod, SecretProtectionSchema } from './cluster-api';

/** What each host's outcome of work on the plan's hosts starts with: which host, and whether it went well. */
export const hostOutcomeFields = { ...HostRefSchema.shape, ok: z.boolean() };

export const KeyBootstrapOutcomeSchema = z.object({
  ...hostOutcomeFields,
  /** What happened to authorized_keys: the key was appended, or its line was there already. */
  authorizedKey: z.enum(['added', 'present']).nullable(),
  keyLogin: z.boolean(),
  sudo: z.enum(['works', 'refused', 'no-password-given', 'not-checked']),
  message: z.string().optional(),
});
export type KeyBootstrapOutcome = z.infer<typeof KeyBootstrapOutcomeSchema>;

export const PushProgressSchema = z.object({
  phase: z.enum(['checking', 'sending', 'verifying', 'done']),
  ...fileTransferCounts,
  rateBytesPerSecond: z.number().nonnegative(),
  etaSeconds: EtaSecondsSchema,
  reconnects: z.number().int().nonnegative(),
});
export type PushProgress = z.infer<typeof PushProgressSchema>;

export const PushResultSchema = z.object({
  destination: z.string(),
  filesTotal: z.number().int(),
  filesSent: z.number().int(),
  /** Already on the node with the right sha256 (from the last verified record, or hashed there). */
  filesSkipped: z.number().int(),
  bytesToSend: z.number(),
  /** Payload bytes put on the wire over all attempts: above `bytesToSend` only by what was in flight at a drop. */
  bytesSent: z.number(),
  reconnects: z.number().int(),
  seconds: z.number(),
});
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushEventSchema = z.object({
  pushId: z.string(),
  projectId: z.string(),
  state: z.enum(['running', 'finished', 'failed', 'cancelled']),
  progress: PushProgressSchema.optional(),
  result: PushResultSchema.optional(),
  /** Why it failed: the English, the input at fault, and the message by core id when the core built it by one. */
  error: z.object({ message: z.string(), field: z.string().optional(), i18n: CoreMessageSchema.optional() }).optional(),
});
export type PushEvent = z.infer<typeof PushEventSchema>;

export const HealthReportSchema = z.object({
  from: z.string(),
  ok: z.boolean(),
  checks: z.array(
    z.object({
      name: z.enum(['registry', 'image', 'file', 'repo']),
      url: z.string(),
      ok: z.boolean(),
      detail: z.string(),
    }),
  ),
});
/** One place's view of the offline services: "laptop" or the host the checks ran on, in `from`. */
export type HealthReport = z.infer<typeof HealthReportSchema>;
export type HealthOutcome = HealthReport['checks'][number];

const ServicesResultSchema = z.object({
  /** The laptop's view first, then each host's. */
  reports: z.array(HealthReportSchema),
  ok: z.boolean(),
});

export const ImagePushProgressSchema = z.object({
  phase: z.enum(['checking', 'pushing', 'done']),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  blobsDone: z.number().int().nonnegative(),
  /** Of blobsDone: already in Harbor (or mounted from another of its repositories), not sent. */
  blobsSkipped: z.number().int().nonnegative(),
  blobsTotal: z.number().int().nonnegative(),
  imagesDone: z.number().int().nonnegative(),
  imagesTotal: z.number().int().nonnegative(),
  rateBytesPerSecond: z.number().nonnegative(),
  etaSeconds: EtaSecondsSchema,
});
export type ImagePushProgress = z.infer<typeof ImagePushProgressSchema>;

/** What an image push sent over its registry session, and what the registry had already. */
export const RegistryUploadCountsSchema = z.object({
  blobsSent: z.number().int(),
  blobsSkipped: z.number().int(),
  blobsMounted: z.number().int(),
  manifestsSent: z.number().int(),
  manifestsSkipped: z.number().int(),
  bytesSent: z.number(),
});
export type RegistryUploadCounts = z.infer<typeof RegistryUploadCountsSchema>;

export const ImagePushResultSchema = z.object({
  /** `<address>/<project>`: what kubespray's image repositories point at. */
  registry: z.string(),
  images: z.array(
    z.object({
      reference: z.string(),
      /** Where it is now, e.g. harbor.lan/k8s/calico/node:v3.25.2. */
      target: z.string(),
      digest: z.string(),
      /**
       * Differs from `digest` when the bundle holds only some platforms of an index: the index pushed lists those only.
       */
      bundleDigest: z.string(),
    }),
  ),
  blobsTotal: z.number().int(),
  ...RegistryUploadCountsSchema.shape,
  /** False: nodes pulling without a login are refused; make the Harbor project public. */
  anonymousPull: z.boolean(),
  seconds: z.number(),
});
export type ImagePushResult = z.infer<typeof ImagePushResultSchema>;
export type PushedImage = ImagePushResult['images'][number];

export const ImagePushEventSchema = PushEventSchema.omit({ progress: true, result: true }).extend({
  progress: ImagePushProgressSchema.optional(),
  result: ImagePushResultSchema.optional(),
});
export type ImagePushEvent = z.infer<typeof ImagePushEventSchema>;

export const CaTrustOutcomeSchema = z.object({
  ...hostOutcomeFields,
  /**
   * debian: /usr/local/share/ca-certificates + update-ca-certificates; rhel: /etc/pki/ca-trust/source/anchors +
   * update-ca-trust.
   */
  store: z.enum(['debian', 'rhel']).nullable(),
  /** installed: written or changed, and the store rebuilt; present: trusted already, nothing touched. */
  certificate: z.enum(['installed', 'present']).nullable(),
  message: z.string().optional(),
});

export const PackageSourcesOutcomeSchema = z.object({
  ...hostOutcomeFields,
  /** The host's OS as the bundle's repos/ names it (debian-12), once read from its /etc/os-release. */
  os: z.string().nullable(),
  /** The one source the host now uses; null when it was not pointed (or was restored). */
  url: z.string().nullable(),
  /** Paths of the host's own sources set aside (on point) or put back (on restore). */
  saved: z.array(z.string()),
  restored: z.array(z.string()),
  /** Paths Airspray wrote. */
  wrote: z.array(z.string()),
  message: z.string().optional(),
});

const PackageSourcesResultSchema = z.object({ ok: z.boolean(), hosts: z.array(PackageSourcesOutcomeSchema) });

/** Only these plan hosts; every host when absent. */
const OnlyHostsSchema = z
  .array(HostNameSchema)
  .min(1, 'Name at least one host, or leave hosts out for every host.')
  .max(1000)
  .optional();

/** Deploy preparation: key bootstrap, bundle push, the deploy node's offline services (spread into api.ts). */
export const deployApiMethods = {
  /** Installs the project's deploy key on every host with the profile's password, then proves key login and sudo. */
  'deploy.bootstrapKeys': keySessionMethod(
    'bootstrapDeployKeys',
    {
      /** Only these plan hosts (Operate's Add nodes: the new ones); every host when absent. */
      hosts: OnlyHostsSchema,
    },
    z.object({
      publicKey: z.string(),
      fingerprint: z.string(),
      protection: SecretProtectionSchema,
      created: z.boolean(),
      hosts: z.array(KeyBootstrapOutcomeSchema),
    }),
  ),
  /** Starts the push; `deploy.pushProgress` events follow it to the end. */
  'deploy.pushBundle': keySessionMethod('pushBundle', {}, z.object({ pushId: z.string() })),
  'deploy.pushImages': {
    exposeAs: 'pushImagesToHarbor',
    /**
     * Starts pushing the bundle's images into the plan's Harbor; `deploy.imagePushProgress` events follow it. The
     * password is used for this push only.
     */
    params: z.strictObject({
      projectId: ProjectIdSchema,
      harborPassword: z
        .string()
        .min(1, 'Harbor password is empty: type the password of the Harbor user.')
        .max(1024)
        .optional(),
    }),
    result: z.object({ pushId: z.string() }),
  },
  /**
   * Puts the plan's Harbor CA into every host's OS trust store (deploy key, sudo): containerd trusts Harbor only
   * through it.
   */
  'deploy.trustHarborCa': keySessionMethod(
    'trustHarborCa',
    {},
    z.object({
      ok: z.boolean(),
      /** The file name in the store, e.g. airspray-harbor-k8s.crt. */ file: z.string(),
      hosts: z.array(CaTrustOutcomeSchema),
    }),
  ),
  /** Cancels a bundle push or an image push. */
  'deploy.cancelPush': cancelMethod('cancelBundlePush', { pushId: z.string().min(1).max(64) }),
  /**
   * Sets each host's apt sources aside and points apt at the deploy node's repos/ID-VERSION (apt-get update
   * proves it); a host where anything fails is put back as it was.
   */
  'deploy.pointPackageSources': keySessionMethod(
    'pointPackageSources',
    { hosts: OnlyHostsSchema },
    PackageSourcesResultSchema,
  ),
  /**
   * Puts back the sources pointPackageSources set aside, byte for byte; a host that cannot be restored is named with
   * the path.
   */
  'deploy.restorePackageSources': keySessionMethod(
    'restorePackageSources',
    { hosts: OnlyHostsSchema },
    PackageSourcesResultSchema,
  ),
  /** Writes and enables the registry and file server units on the deploy node, then checks them from everywhere. */
  'deploy.startServices': keySessionMethod('startOfflineServices', {}, ServicesResultSchema),
  'deploy.checkServices': keySessionMethod('checkOfflineServices', {}, ServicesResultSchema),
} as const;

export const deployApiEvents = {
  'deploy.pushProgress': { subscribeAs: 'onBundlePushProgress', payload: PushEventSchema },
  'deploy.imagePushProgress': { subscribeAs: 'onImagePushProgress', payload: ImagePushEventSchema },
} as const;
