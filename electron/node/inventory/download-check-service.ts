import { join, resolve } from 'node:path';
import { completeManifest, type BundleManifest } from '../../common/bundle-manifest';
import type { DownloadCheck, DownloadFinding } from '../../common/download-check';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { machineNames } from '../bundles/build/derive-kubespray-lists';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { builtInPublisherKeys, readOperatorKeys } from '../bundles/trusted-publishers';
import { readSignedManifest } from '../bundles/verify-bundle';
import { checkDownloadSet, localPlace, renderDownloadSet } from './download-set';
import { coreError } from '../i18n/format-core-message';

export interface DownloadCheckOptions {
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  ansiblePlaybook?: string;
}

const notChecked = (reason: string): DownloadCheck => ({ checked: false, reason, items: [], findings: [] });

/** The bundle's architectures the plan's hosts have (all of them while no host has facts). */
export function architecturesFor(project: ProjectDocument, manifest: BundleManifest): BundleManifest['architectures'] {
  const hostArchs = new Set(project.cluster.hosts.flatMap((host) => (host.facts ? [host.facts.arch] : [])));
  const used = manifest.architectures.filter((arch) => hostArchs.has(arch) || hostArchs.has(machineNames[arch]));
  return used.length > 0 ? used : manifest.architectures;
}

/**
 * Renders what kubespray would download for the project's plan from the chosen bundle's own kubespray release and
 * checks each item against the bundle's signed manifest. Not checked (with the reason) when the bundle is not here
 * or this machine has no ansible-playbook.
 */
export async function checkProjectDownloads(
  project: ProjectDocument,
  options: DownloadCheckOptions,
  extraVars: Record<string, unknown> = {},
): Promise<DownloadCheck> {
  const wanted = project.cluster.bundle?.bundleId;
  if (!wanted) return notChecked('No bundle is chosen: pick one on the Settings step.');
  const found = (await findBundles(options.bundleLocations)).bundles.find(
    (bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === wanted,
  );
  if (!found)
    return notChecked(
      `Bundle ${wanted} is not in the bundle folders here: plug in the stick holding it to check what kubespray will download.`,
    );
  const bundleDir = resolve(found.path);
  const signed = await readSignedManifest(bundleDir, [
    ...builtInPublisherKeys(),
    ...(await readOperatorKeys(options.dataDir)),
  ]);
  if (!signed.ok) return notChecked(`Bundle ${wanted}: ${signed.refusal.detail}`);
  try {
    const set = await renderDownloadSet(
      join(bundleDir, 'kubespray'),
      project.cluster,
      architecturesFor(project, signed.manifest),
      localPlace(options),
      extraVars,
    );
    return { checked: true, items: set.items, findings: checkDownloadSet(set, completeManifest(signed.manifest)) };
  } catch (error) {
    if (error instanceof AirsprayError && error.code === 'not_found')
      return notChecked(`${error.message.replace(/\.$/, '')} to check what kubespray will download.`);
    if (error instanceof AirsprayError && error.code === 'unsupported')
      return { ...notChecked(error.message), unreadable: true };
    throw error;
  }
}

/** The refusal a run meets when its bundle lacks something kubespray would download: every item, with its fix. */
export function missingDownloadsError(findings: readonly DownloadFinding[], playbook: string): AirsprayError {
  const lines = findings.map((finding) => `- ${finding.message}`);
  return coreError(
    'conflict',
    'inventory.downloads-missing',
    { playbook, count: findings.length, items: lines.join('\n') },
    'bundle',
  );
}
