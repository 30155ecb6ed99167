import { z } from 'zod';
import { cancelMethod } from './cancel-result';
import {
  BundleVerificationProgressSchema,
  BundleVerificationResultSchema,
  VerificationModeSchema,
} from './bundle-verification';

const BundlePathSchema = z.string().min(1).max(4096);

/** The bundle capability's part of the API contract (spread into apiMethods / apiEvents in api.ts). */
export const bundleApiMethods = {
  'bundles.verify': {
    exposeAs: 'verifyBundle',
    /** Only folders the bundle search lists can be verified. */
    params: z.strictObject({ path: BundlePathSchema, mode: VerificationModeSchema }),
    result: BundleVerificationResultSchema,
  },
  'bundles.cancelVerification': cancelMethod('cancelBundleVerification', { path: BundlePathSchema }),
  'bundles.verifications': {
    exposeAs: 'getBundleVerifications',
    params: z.strictObject({}),
    /** Per listed bundle: the stored result that still matches the bundle as it lies, and whether a check runs now. */
    result: z.array(
      z.object({ bundlePath: z.string(), running: z.boolean(), result: BundleVerificationResultSchema.nullable() }),
    ),
  },
  'bundles.describePublisherKey': {
    exposeAs: 'describePublisherKey',
    params: z.strictObject({ publicKey: z.string().min(1).max(4096) }),
    result: z.object({ fingerprint: z.string() }),
  },
  'bundles.trustPublisher': {
    exposeAs: 'trustPublisher',
    params: z.strictObject({
      name: z.string().min(1).max(100),
      publicKey: z.string().min(1).max(4096),
      confirmedFingerprint: z.string().min(1).max(100),
    }),
    result: z.object({ name: z.string(), fingerprint: z.string() }),
  },
} as const;

export const bundleApiEvents = {
  'bundles.verifyProgress': {
    subscribeAs: 'onBundleVerifyProgress',
    payload: BundleVerificationProgressSchema,
  },
} as const;
