import type { ClusterHost } from '../../common/cluster-plan';
import type { ProjectDocument } from '../../common/project';
import {
  kubesprayVersionVariables,
  presetRunOptions,
  type UpgradePresetName,
  type UpgradeStep,
  type UpgradeVersions,
} from '../../common/upgrade';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

/** The group kubespray's docs upgrade first, together, before any other node (docs/upgrades.md, #5147). */
export const controlPlaneLimit = 'kube_control_plane:etcd';

/**
 * upgrade-cluster.yml node by node, as kubespray documents it: the control plane and etcd first in one run, one host
 * at a time (`serial: 1`), then each other node in a run of its own (`--limit <node>`).
 */
export function nodeSteps(hosts: readonly ClusterHost[], kubernetesVersion: string): UpgradeStep[] {
  const variables = kubesprayVersionVariables(kubernetesVersion);
  const controlPlane = hosts.filter((host) => host.roles.controlPlane || host.roles.etcd);
  if (controlPlane.length === 0) throw coreError('invalid_params', 'upgrade.no-control-plane', {}, 'hosts');
  const others = hosts.filter((host) => !host.roles.controlPlane && !host.roles.etcd && host.roles.worker);
  return [
    {
      label: controlPlaneLimit,
      options: { playbook: 'upgrade-cluster.yml', limit: controlPlaneLimit, extraVars: { ...variables, serial: 1 } },
      state: 'pending',
    },
    ...others.map((host): UpgradeStep => ({
      label: host.name,
      options: { playbook: 'upgrade-cluster.yml', limit: host.name, extraVars: variables },
      state: 'pending',
    })),
  ];
}

/** A preset is one run of cluster.yml with its tags. */
export const presetSteps = (preset: UpgradePresetName, kubernetesVersion: string): UpgradeStep[] => [
  { label: preset, options: presetRunOptions(preset, kubernetesVersion), state: 'pending' },
];

/**
 * The project's bundle and the Kubernetes version its cluster runs: the Settings step's, else the only one the bundle
 * carries. Undefined without a bundle.
 */
export function currentVersions(project: ProjectDocument): UpgradeVersions | undefined {
  const { bundle, settings } = project.cluster;
  if (!bundle) return undefined;
  const kubernetesVersion =
    settings.kubernetesVersion || (bundle.kubernetesVersions.length === 1 ? bundle.kubernetesVersions[0] : undefined);
  if (!kubernetesVersion)
    throw coreError(
      'invalid_params',
      'upgrade.version-unset',
      { bundle: bundle.bundleId, versions: joinValues(bundle.kubernetesVersions) },
      'settings.kubernetesVersion',
    );
  return {
    bundleId: bundle.bundleId,
    kubesprayVersion: bundle.kubesprayVersion,
    kubernetesVersion: kubernetesVersion.replace(/^v/, ''),
  };
}
