import type { Client } from 'ssh2';
import type { CertificateFile, CertificateReport, HostCertificates } from '../../common/certs-api';
import type { ClusterHost } from '../../common/cluster-plan';
import { onEachHost, type KeySession } from '../deploy/deploy-operations';
import { execAsRoot, sudoPasswordOf } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
import { pkiFilesFor, type HostPkiFile } from './kubespray-pki';
import { certificatesIn } from './parse-certificates';
// A real file beside this one: prints each path's bytes as base64, or that it is missing.
import program from './read-files.sh?raw';
import { coreError } from '../i18n/format-core-message';

/** What the script printed for each path, by index: the file's text, or undefined when it is missing. */
export function parseReadOutput(stdout: string, count: number): (string | undefined)[] {
  const contents = new Array<string | undefined>(count).fill(undefined);
  const seen = new Set<number>();
  for (const line of stdout.split('\n')) {
    const match = /^(found|missing) (\d+)(?: (\S*))?$/.exec(line);
    if (!match) continue;
    const index = Number(match[2]);
    seen.add(index);
    if (match[1] === 'found') contents[index] = Buffer.from(match[3] ?? '', 'base64').toString('utf8');
  }
  if (seen.size !== count)
    throw new Error(`the reading script answered for ${seen.size} of ${count} files: the host cut it short`);
  return contents;
}

function fileOutcome(file: HostPkiFile, text: string | undefined, now: Date): CertificateFile {
  const named = { path: file.path, label: file.label };
  if (text === undefined) return { ...named, state: 'missing', certificates: [] };
  try {
    return { ...named, state: 'found', certificates: certificatesIn(text, file.format, now) };
  } catch (error) {
    return { ...named, state: 'unreadable', message: (error as Error).message, certificates: [] };
  }
}

/**
 * A host's table from the script's output; a host holding none of its files is not ok (not deployed, or another
 * layout).
 */
export function hostCertificates(
  host: { name: string; address: string },
  files: readonly HostPkiFile[],
  stdout: string,
  now: Date,
): HostCertificates {
  const contents = parseReadOutput(stdout, files.length);
  const outcomes = files.map((file, index) => fileOutcome(file, contents[index], now));
  if (outcomes.every((outcome) => outcome.state === 'missing')) {
    return {
      ...host,
      ok: false,
      message: `None of the ${files.length} certificate files kubespray makes for this host's roles is there: deploy the cluster first (cluster.yml), or check that the host's roles in the plan are the ones it was deployed with.`,
      files: outcomes,
    };
  }
  return { ...host, ok: true, files: outcomes };
}

/** One command per host: every path read as root in one go. */
async function readOnHost(
  client: Client,
  host: ClusterHost,
  sudoPassword: string,
  now: Date,
): Promise<HostCertificates> {
  const files = pkiFilesFor(host);
  const script = `set -- ${files.map((file) => quoteShellArg(file.path)).join(' ')}\n${program}`;
  const result = await execAsRoot(client, script, sudoPassword);
  if (result.code !== 0)
    throw new Error(
      `reading the certificates as root failed (${result.stderr.trim() || `exit ${result.code}`}): check the profile's sudo password on the Access step`,
    );
  return hostCertificates({ name: host.name, address: host.address }, files, result.stdout, now);
}

/** The profile's sudo password; refused with the fix without one (every certificate file is root's). */
export function certificatesSudoPassword(session: KeySession): string {
  const sudoPassword = sudoPasswordOf(session.credential);
  if (sudoPassword === undefined) {
    throw coreError('invalid_params', 'certs.sudo-password-missing', {}, 'credential.sudoPassword');
  }
  return sudoPassword;
}

/**
 * Reads every certificate kubespray and kubeadm made on the plan's Kubernetes hosts, one SSH login with the deploy
 * key and one sudo command per host, in parallel. A host that cannot be read is reported, not thrown.
 */
export async function checkCertificates(
  hosts: readonly ClusterHost[],
  session: KeySession,
  now = new Date(),
): Promise<CertificateReport> {
  const sudoPassword = certificatesSudoPassword(session);
  const targets = hosts.filter((host) => pkiFilesFor(host).length > 0);
  if (targets.length === 0) throw coreError('invalid_params', 'certs.no-kubernetes-hosts', {}, 'hosts');
  return {
    checkedAt: now.toISOString(),
    hosts: await onEachHost(
      targets,
      session,
      (client, host) => readOnHost(client, host, sudoPassword, now),
      (host, reason): HostCertificates => ({
        name: host.name,
        address: host.address,
        ok: false,
        message: `Could not read ${host.name}: ${reason}`,
        files: [],
      }),
    ),
  };
}
