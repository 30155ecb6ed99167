import { z } from 'zod';
import { CoreMessageSchema } from './core-messages';
import { EtaSecondsSchema, fileTransferCounts } from './transfer-progress';

export const verificationModes = ['full', 'quick'] as const;
export const VerificationModeSchema = z.enum(verificationModes);
export type VerificationMode = z.infer<typeof VerificationModeSchema>;

/** A file of the bundle: absent, not in the manifest, shorter, or other bytes than it lists. */
const fileRefusalReasons = ['missing', 'extra', 'truncated', 'altered'] as const;
/** The manifest itself: its signature, its publisher, or its text. */
const manifestRefusalReasons = ['bad-signature', 'unknown-publisher', 'unreadable-manifest'] as const;
export const refusalReasons = [
  ...fileRefusalReasons,
  ...manifestRefusalReasons,
  /** A delta bundle whose base is not beside it, is another build, or does not verify. */
  'base',
] as const;
export const RefusalReasonSchema = z.enum(refusalReasons);
export type RefusalReason = z.infer<typeof RefusalReasonSchema>;

export const BundleRefusalSchema = z.object({
  /** The bundle-relative file the refusal is about (manifest.json or manifest.json.sig for signature problems). */
  path: z.string(),
  reason: RefusalReasonSchema,
  detail: z.string(),
  /** The detail by core message id and values, for the window to show in its language. */
  i18n: CoreMessageSchema.optional(),
});
export type BundleRefusal = z.infer<typeof BundleRefusalSchema>;

export const PublisherSchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  source: z.enum(['built-in', 'operator', 'option']),
});
export type Publisher = z.infer<typeof PublisherSchema>;

export const BundleVerificationResultSchema = z.object({
  bundlePath: z.string(),
  mode: VerificationModeSchema,
  outcome: z.enum(['verified', 'refused', 'cancelled']),
  /** sha256 of the exact manifest bytes. */
  manifestDigest: z.string().nullable(),
  publisher: PublisherSchema.nullable(),
  refusals: z.array(BundleRefusalSchema),
  filesChecked: z.number().int().nonnegative(),
  bytesHashed: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  finishedAt: z.iso.datetime(),
  /** True when a previous result still matched the manifest and every file's size and mtime. */
  fromCache: z.boolean(),
});
export type BundleVerificationResult = z.infer<typeof BundleVerificationResultSchema>;

export const BundleVerificationProgressSchema = z.object({
  bundlePath: z.string(),
  phase: z.enum(['signature', 'sizes', 'hashing', 'done']),
  ...fileTransferCounts,
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: EtaSecondsSchema,
});
export type BundleVerificationProgress = z.infer<typeof BundleVerificationProgressSchema>;
