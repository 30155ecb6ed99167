import type { Client } from 'ssh2';
import type { CertificateRenewal } from '../../common/certs-api';
import type { ClusterHost } from '../../common/cluster-plan';
import { hostsWithRole } from '../projects/hosts-with-role';
import { apiServerPort } from '../cluster/api-endpoint';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { execAsRoot, sudoRefused } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
import { certificatesSudoPassword, checkCertificates } from './read-certificates';
// A real file beside this one: kubespray's k8s-certs-renew.sh steps for one control plane.
import program from './renew-certificates.sh?raw';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

/** Where kubespray v2.23.3 puts things on a control plane (bin_dir, kube_config_dir), and how long to wait. */
export interface RenewSettings {
  binDir: string;
  kubeConfigDir: string;
  /** k8s-certs-renew.sh copies admin.conf here. */
  rootKubeconfig: string;
  port: number;
  /** How long a node's API server may take to answer after its pods' restart before the renewal stops. */
  waitSeconds: number;
}

export const kubesprayRenewSettings: RenewSettings = {
  binDir: '/usr/local/bin',
  kubeConfigDir: '/etc/kubernetes',
  rootKubeconfig: '/root/.kube/config',
  port: apiServerPort,
  waitSeconds: 300,
};

/**
 * The control planes to renew, in the plan's order: all of them, or the ones named (to finish a renewal that
 * stopped). Refused, naming the field, when the plan has none or a name is not one of them.
 */
export function renewalTargets(hosts: readonly ClusterHost[], only?: readonly string[]): ClusterHost[] {
  const controlPlanes = hostsWithRole(hosts, 'controlPlane', 'certs.no-control-plane');
  if (!only) return controlPlanes;
  const names = controlPlanes.map((host) => host.name);
  const strangers = only.filter((name) => !names.includes(name));
  if (strangers.length > 0)
    throw coreError(
      'invalid_params',
      'certs.not-control-plane',
      { hosts: joinValues(strangers), controlPlanes: joinValues(names) },
      'hosts',
    );
  return controlPlanes.filter((host) => only.includes(host.name));
}

/** The script's reason (its last stderr lines), with the fix when sudo itself refused. */
function renewFailure(result: { code: number | null; stdout: string; stderr: string }): string {
  const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  if (sudoRefused(result.stderr))
    return `sudo refused the profile's password (${detail}): set the profile's sudo password on the Access step.`;
  return `${detail || 'no output'} (exit ${result.code})`;
}

/** Renews one control plane as root and waits for its API; throws with the reason when any step fails. */
export async function renewOnNode(
  client: Client,
  sudoPassword: string,
  settings: RenewSettings = kubesprayRenewSettings,
): Promise<void> {
  const args = [settings.binDir, settings.kubeConfigDir, settings.rootKubeconfig, settings.port, settings.waitSeconds];
  const script = `set -- ${args.map((arg) => quoteShellArg(String(arg))).join(' ')}\n${program}`;
  const result = await execAsRoot(client, script, sudoPassword);
  if (result.code !== 0) throw new Error(renewFailure(result));
}

async function renewHost(
  host: ClusterHost,
  session: KeySession,
  sudoPassword: string,
  settings: RenewSettings,
): Promise<void> {
  let client: Client;
  try {
    client = await connectWithKey(host, session);
  } catch (error) {
    throw new Error(`cannot log in to ${host.name} (${host.address}): ${(error as Error).message}`, { cause: error });
  }
  try {
    await renewOnNode(client, sudoPassword, settings);
  } finally {
    client.end();
  }
}

/**
 * Renews kubeadm's certificates on the control planes one node at a time, as kubespray's k8s-certs-renew.sh does on
 * each, so the others keep serving while one restarts. The first node that fails stops the renewal: the nodes done
 * are kept and reported, and running again with `remaining` finishes it. The expiry table is read again at the end.
 */
export async function renewCertificates(
  hosts: readonly ClusterHost[],
  session: KeySession,
  options: { only?: readonly string[]; settings?: RenewSettings } = {},
): Promise<CertificateRenewal> {
  const sudoPassword = certificatesSudoPassword(session);
  const targets = renewalTargets(hosts, options.only);
  const renewal: Omit<CertificateRenewal, 'report'> = { renewed: [], remaining: [] };
  for (const [index, host] of targets.entries()) {
    try {
      await renewHost(host, session, sudoPassword, options.settings ?? kubesprayRenewSettings);
    } catch (error) {
      renewal.stopped = { name: host.name, address: host.address, reason: (error as Error).message };
      renewal.remaining = targets.slice(index).map((target) => target.name);
      break;
    }
    renewal.renewed.push({ name: host.name, address: host.address, renewedAt: new Date().toISOString() });
  }
  return { ...renewal, report: await checkCertificates(hosts, session) };
}
