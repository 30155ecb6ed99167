import { resolve } from 'node:path';
import type { ApiEventPayload } from '../../common/api';
import type { bundleApiMethods } from '../../common/bundle-api';
import { coreError } from '../i18n/format-core-message';
import type { ApiHandlers } from '../api/dispatch-api-call';
import { findBundles, type BundleLocation } from './find-bundles';
import { addOperatorKey, builtInPublisherKeys, describePublisherKey, readOperatorKeys } from './trusted-publishers';
import { VerificationCache } from './verification-cache';
import { currentVerification, verifyBundle } from './verify-bundle';

type BundleHandlers = Pick<ApiHandlers, keyof typeof bundleApiMethods>;

export interface BundleHandlerOptions {
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  emitProgress(progress: ApiEventPayload<'bundles.verifyProgress'>): void;
}

/** The bundle capability's API handlers: verification with progress events and cancel, and publisher keys. */
export function createBundleHandlers(options: BundleHandlerOptions): BundleHandlers {
  const cache = new VerificationCache(options.dataDir);
  const running = new Map<string, AbortController>();
  const trustedKeys = async () => [...builtInPublisherKeys(), ...(await readOperatorKeys(options.dataDir))];
  const listedBundlePaths = async () =>
    (await findBundles(options.bundleLocations)).bundles.map((bundle) => resolve(bundle.path));

  return {
    'bundles.verify': async ({ path, mode }) => {
      const bundlePath = resolve(path);
      if (!(await listedBundlePaths()).includes(bundlePath)) {
        throw coreError('not_found', 'bundle.not-found', { path }, 'path');
      }
      if (running.has(bundlePath)) throw coreError('already_running', 'bundle.verifying-already', { path }, 'path');
      const controller = new AbortController();
      running.set(bundlePath, controller);
      try {
        return await verifyBundle(bundlePath, {
          mode,
          trustedKeys: await trustedKeys(),
          cache,
          signal: controller.signal,
          onProgress: options.emitProgress,
        });
      } finally {
        running.delete(bundlePath);
      }
    },
    'bundles.cancelVerification': async ({ path }) => {
      const controller = running.get(resolve(path));
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'bundles.verifications': async () => {
      const keys = await trustedKeys();
      const answers = [];
      for (const bundlePath of await listedBundlePaths()) {
        const result =
          (await currentVerification(bundlePath, keys, cache, 'full')) ??
          (await currentVerification(bundlePath, keys, cache, 'quick'));
        answers.push({ bundlePath, running: running.has(bundlePath), result: result ?? null });
      }
      return answers;
    },
    'bundles.describePublisherKey': async ({ publicKey }) => ({
      fingerprint: describePublisherKey(publicKey).fingerprint,
    }),
    'bundles.trustPublisher': async (request) => {
      const added = await addOperatorKey(options.dataDir, request);
      return { name: added.name, fingerprint: added.fingerprint };
    },
  };
}
