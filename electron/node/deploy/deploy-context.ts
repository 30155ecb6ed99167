import { resolve } from 'node:path';
import { completeManifest, type BundleManifest } from '../../common/bundle-manifest';
import type { RegistrySettings } from '../../common/cluster-plan';
import type { CoreMessageId } from '../../common/core-messages';
import type { ProjectDocument } from '../../common/project';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { builtInPublisherKeys, readOperatorKeys } from '../bundles/trusted-publishers';
import { VerificationCache } from '../bundles/verification-cache';
import { isBundleVerified, readSignedManifest } from '../bundles/verify-bundle';
import type { DeployHost } from './key-bootstrap';
import type { ServiceEndpoints } from './offline-services';
import { remoteBundleDir } from './remote-layout';
import { coreError } from '../i18n/format-core-message';

/**
 * Everything deploy needs from a project, checked: the hosts, the deploy node, the verified bundle and where it serves.
 */
export interface DeployContext {
  hosts: DeployHost[];
  deployNode: DeployHost;
  bundleDir: string;
  manifest: BundleManifest;
  /** The bundle's folder on the deploy node. */
  remoteBundleDir: string;
  endpoints: ServiceEndpoints;
  /** Where nodes pull images: the deploy node's registry, or an existing Harbor the images are pushed into. */
  registry: RegistrySettings;
}

/** The plan's Harbor; a plan whose nodes pull from the deploy node's registry is refused with `refusal`. */
export function planHarbor(
  context: DeployContext,
  refusal: CoreMessageId,
): Extract<RegistrySettings, { kind: 'harbor' }> {
  if (context.registry.kind !== 'harbor') throw coreError('conflict', refusal, {}, 'settings.registry');
  return context.registry;
}

/** The plan's hosts as deploy reaches them. */
export function planHosts(project: ProjectDocument): DeployHost[] {
  return project.cluster.hosts.map((host) => ({ name: host.name, address: host.address }));
}

export async function resolveDeployContext(
  project: ProjectDocument,
  /** `bundleId`: another bundle than the plan's (an upgrade pushes the next one beside it). */
  options: { dataDir: string; bundleLocations: readonly BundleLocation[]; bundleId?: string },
): Promise<DeployContext> {
  const plan = project.cluster;
  if (plan.hosts.length === 0) throw coreError('invalid_params', 'deploy.no-hosts', {}, 'hosts');
  const node = plan.hosts.find((host) => host.name === plan.deployNode);
  if (!node) throw coreError('invalid_params', 'deploy.no-deploy-node', {}, 'deployNode');
  const wanted = options.bundleId ?? plan.bundle?.bundleId;
  if (!wanted) throw coreError('invalid_params', 'deploy.no-bundle', {}, 'bundle');
  const registry = plan.settings.registry;
  const found = (await findBundles(options.bundleLocations)).bundles.find(
    (bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === wanted,
  );
  if (!found) throw coreError('not_found', 'deploy.bundle-not-found', { bundle: wanted }, 'bundle');
  const bundleDir = resolve(found.path);
  const trustedKeys = [...builtInPublisherKeys(), ...(await readOperatorKeys(options.dataDir))];
  if (!(await isBundleVerified(bundleDir, trustedKeys, new VerificationCache(options.dataDir)))) {
    throw coreError('conflict', 'deploy.bundle-not-verified', { bundle: wanted }, 'bundle');
  }
  const signed = await readSignedManifest(bundleDir, trustedKeys);
  if (!signed.ok)
    throw coreError('conflict', 'deploy.bundle-refused', { bundle: wanted, detail: signed.refusal.detail }, 'bundle');
  return {
    hosts: planHosts(project),
    deployNode: { name: node.name, address: node.address },
    bundleDir,
    // A delta's with the files it reuses from its base: the push sends, and the node serves, the whole release.
    manifest: completeManifest(signed.manifest),
    remoteBundleDir: remoteBundleDir(signed.manifest.bundleId),
    // With Harbor the deploy node serves files only.
    endpoints: {
      address: node.address,
      registryPort: registry.kind === 'bundle' ? registry.registryPort : null,
      filesPort: registry.filesPort,
    },
    registry,
  };
}
