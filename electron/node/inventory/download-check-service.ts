import { join, resolve } from 'node:path';
import { completeManifest, type BundleManifest } from '../../common/bundle-manifest';
import type { CoreMessage } from '../../common/core-messages';
import type { DownloadCheck, DownloadFinding } from '../../common/download-check';
import { AirsprayError } from '../../common/errors';
import type { ProjectDocument } from '../../common/project';
import { machineNames } from '../bundles/build/derive-kubespray-lists';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import { builtInPublisherKeys, readOperatorKeys } from '../bundles/trusted-publishers';
import { readSignedManifest } from '../bundles/verify-bundle';
import { checkDownloadSet, localPlace, renderDownloadSet } from './download-set';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';

export interface DownloadCheckOptions {
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  ansiblePlaybook?: string;
}

const notChecked = (reason: string, reasonMessage: CoreMessage | undefined): DownloadCheck => ({
  checked: false,
  reason,
  ...(reasonMessage ? { reasonMessage } : {}),
  items: [],
  findings: [],
});
const notCheckedBecause = (message: CoreMessage) => notChecked(formatCoreMessage(message.id, message.params), message);

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
  if (!wanted) return notCheckedBecause({ id: 'inventory.check-no-bundle', params: {} });
  const found = (await findBundles(options.bundleLocations)).bundles.find(
    (bundle) => bundle.manifest.state === 'readable' && bundle.manifest.header.bundleId === wanted,
  );
  if (!found) return notCheckedBecause({ id: 'inventory.check-bundle-absent', params: { bundle: wanted } });
  const bundleDir = resolve(found.path);
  const signed = await readSignedManifest(bundleDir, [
    ...builtInPublisherKeys(),
    ...(await readOperatorKeys(options.dataDir)),
  ]);
  if (!signed.ok)
    return notCheckedBecause({
      id: 'inventory.check-bundle-refused',
      params: { bundle: wanted, detail: signed.refusal.detail },
    });
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
    // The window says the refusal by its own id (ansible-playbook missing, no download role).
    if (error instanceof AirsprayError && error.code === 'not_found')
      return notChecked(`${error.message.replace(/\.$/, '')} to check what kubespray will download.`, error.i18n);
    if (error instanceof AirsprayError && error.code === 'unsupported')
      return { ...notChecked(error.message, error.i18n), unreadable: true };
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
