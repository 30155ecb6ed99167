import type { Api } from '../../electron/common/api';
import type {
  BundleVerificationProgress,
  BundleVerificationResult,
  VerificationMode,
} from '../../electron/common/bundle-verification';
import { describeError } from '../api/describe-error';
import type { SliceCreator } from './airspray-state';

export interface BundleVerificationState {
  running: boolean;
  mode: VerificationMode | null;
  progress: BundleVerificationProgress | null;
  /** The latest finished (or cached) result; kept while a new check runs. */
  result: BundleVerificationResult | null;
  error: string | null;
}

export interface BundleVerificationSlice {
  /** By bundle path. */
  bundleVerifications: Record<string, BundleVerificationState>;
  verifyBundle(path: string, mode: VerificationMode): Promise<void>;
  cancelBundleVerification(path: string): Promise<void>;
  loadBundleVerifications(): Promise<void>;
  watchBundleVerifications(): () => void;
  /**
   * The fingerprint of a pasted public key, for the operator to compare with the publisher's; throws a readable error.
   */
  describePublisherKey(publicKey: string): Promise<string>;
  /** Trusts a publisher key the operator confirmed by its fingerprint; throws a readable error. */
  trustPublisher(request: { name: string; publicKey: string; confirmedFingerprint: string }): Promise<void>;
}

const idle: BundleVerificationState = { running: false, mode: null, progress: null, result: null, error: null };

export function createBundleVerificationSlice(api: Api): SliceCreator<BundleVerificationSlice> {
  return (set, get) => {
    const update = (path: string, change: Partial<BundleVerificationState>, action: string) =>
      set(
        (state) => ({
          bundleVerifications: {
            ...state.bundleVerifications,
            [path]: { ...(state.bundleVerifications[path] ?? idle), ...change },
          },
        }),
        false,
        action,
      );
    return {
      bundleVerifications: {},
      verifyBundle: async (path, mode) => {
        if (get().bundleVerifications[path]?.running) return;
        update(path, { running: true, mode, progress: null, error: null }, 'bundleVerification/start');
        try {
          const result = await api.call('bundles.verify', { path, mode });
          // A cancelled check leaves the previous result standing.
          update(
            path,
            result.outcome === 'cancelled' ? { running: false, progress: null } : { running: false, result },
            'bundleVerification/finished',
          );
        } catch (error) {
          update(path, { running: false, error: describeError(error, get().locale) }, 'bundleVerification/failed');
        }
      },
      cancelBundleVerification: async (path) => {
        try {
          await api.call('bundles.cancelVerification', { path });
        } catch (error) {
          update(path, { error: describeError(error, get().locale) }, 'bundleVerification/cancelFailed');
        }
      },
      loadBundleVerifications: async () => {
        try {
          const answers = await api.call('bundles.verifications', {});
          for (const answer of answers) {
            if (answer.result && !get().bundleVerifications[answer.bundlePath]?.running)
              update(answer.bundlePath, { result: answer.result }, 'bundleVerification/loaded');
          }
        } catch {
          // Stored results are a convenience: without them the step still offers Verify.
        }
      },
      describePublisherKey: async (publicKey) => {
        try {
          return (await api.call('bundles.describePublisherKey', { publicKey })).fingerprint;
        } catch (error) {
          throw new Error(describeError(error, get().locale), { cause: error });
        }
      },
      trustPublisher: async (request) => {
        try {
          await api.call('bundles.trustPublisher', request);
        } catch (error) {
          throw new Error(describeError(error, get().locale), { cause: error });
        }
      },
      watchBundleVerifications: () =>
        api.subscribe('bundles.verifyProgress', (progress) => {
          if (get().bundleVerifications[progress.bundlePath]?.running)
            update(progress.bundlePath, { progress }, 'bundleVerification/progress');
        }),
    };
  };
}
