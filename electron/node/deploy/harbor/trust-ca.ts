import { createHash, X509Certificate } from 'node:crypto';
import type { Client } from 'ssh2';
import type { z } from 'zod';
import type { CaTrustOutcomeSchema } from '../../../common/deploy-api';
import { pemCertificateBlocks } from '../../certs/parse-certificates';
import { quoteShellArg } from '../../ssh/shell-quote';
import { planHarbor, type DeployContext } from '../deploy-context';
import { onEachHost, type KeySession } from '../deploy-operations';
import type { DeployHost } from '../key-bootstrap';
import { execAsRoot, sudoPasswordOf, sudoRefused } from '../remote-shell';
import { targetFields } from './registry-session';
import { coreError } from '../../i18n/format-core-message';

/** One host after the CA was put into its trust store. */
export type CaTrustOutcome = z.infer<typeof CaTrustOutcomeSchema>;

/** The PEM's certificates re-encoded canonically (64-column base64), so the host's bundle can be searched for them. */
export function parseCaCertificates(pem: string | undefined): string[] {
  if (pem === undefined || pem.trim() === '') {
    throw coreError('invalid_params', 'deploy.harbor-ca-missing', {}, targetFields.caCertificate);
  }
  const blocks = pemCertificateBlocks(pem);
  if (blocks.length === 0) throw coreError('invalid_params', 'deploy.harbor-ca-no-pem', {}, targetFields.caCertificate);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block).toString();
    } catch {
      throw coreError(
        'invalid_params',
        'deploy.harbor-ca-unreadable',
        { index: index + 1 },
        targetFields.caCertificate,
      );
    }
  });
}

const stemNameLength = 100;
const trimSeparators = (name: string) => name.replace(/^[-._]+|[-._]+$/g, '');

/**
 * Runs of other characters become one "-", so "--" never occurs in a stem: it separates our file index. A long
 * project name is cut and told apart by its hash, as a file name has at most 255 bytes.
 */
export function caFileStem(harborProject: string): string {
  const name = trimSeparators(
    harborProject
      .toLowerCase()
      .replace(/[^a-z0-9._]+/g, '-')
      .replace(/-{2,}/g, '-'),
  );
  const short =
    name.length <= stemNameLength
      ? name
      : `${trimSeparators(name.slice(0, stemNameLength))}-${createHash('sha256').update(harborProject).digest('hex').slice(0, 12)}`;
  return `airspray-harbor-${short || 'project'}`;
}

/**
 * Root script: writes each certificate to the store the host has (Debian's or RHEL's), removes ours that are no
 * longer in the plan, rebuilds the store only when something changed or a certificate is missing from the bundle
 * clients read, then checks the bundle holds every certificate. Prints one `airspray-ca` line the caller parses.
 */
export function trustScript(stem: string, certificates: readonly string[]): string {
  const names = certificates.map((_, index) => (index === 0 ? `${stem}.crt` : `${stem}--${index + 1}.crt`));
  const bodies = certificates.map((pem) => pem.replace(/-----[A-Z ]+-----|\s/g, ''));
  const lines = [
    'set -e',
    'if command -v update-ca-certificates >/dev/null 2>&1 && [ -d /usr/local/share/ca-certificates ]; then',
    '  store=debian; dir=/usr/local/share/ca-certificates; bundle=/etc/ssl/certs/ca-certificates.crt',
    'elif command -v update-ca-trust >/dev/null 2>&1 && [ -d /etc/pki/ca-trust/source/anchors ]; then',
    '  store=rhel; dir=/etc/pki/ca-trust/source/anchors; bundle=/etc/pki/tls/certs/ca-bundle.crt',
    'else',
    "  echo 'airspray-ca: no-store'; exit 3",
    'fi',
    'changed=0',
    'in_bundle() { [ -f "$bundle" ] && tr -d "\\n\\r" < "$bundle" | grep -qF "$1"; }',
  ];
  certificates.forEach((pem, index) => {
    const target = `"$dir"/${quoteShellArg(names[index]!)}`;
    lines.push(
      `printf '%s' ${quoteShellArg(Buffer.from(pem).toString('base64'))} | base64 -d > "$dir/.airspray-ca.tmp"`,
      `if cmp -s "$dir/.airspray-ca.tmp" ${target}; then rm -f "$dir/.airspray-ca.tmp"; else chmod 644 "$dir/.airspray-ca.tmp" && mv -f "$dir/.airspray-ca.tmp" ${target} && changed=1; fi`,
    );
  });
  const keep = names.map((name) => quoteShellArg(name)).join(' ');
  lines.push(
    `for f in "$dir"/${quoteShellArg(`${stem}.crt`)} "$dir"/${quoteShellArg(`${stem}--`)}*.crt; do`,
    '  [ -e "$f" ] || continue',
    '  base=${f##*/}; wanted=0',
    `  for k in ${keep}; do [ "$base" = "$k" ] && wanted=1; done`,
    '  if [ $wanted = 0 ]; then rm -f "$f"; changed=1; fi',
    'done',
    'missing=0',
    ...bodies.map((body) => `in_bundle ${quoteShellArg(body)} || missing=1`),
    'if [ $changed = 1 ] || [ $missing = 1 ]; then',
    '  if [ $store = debian ]; then update-ca-certificates >/dev/null; else update-ca-trust extract; fi',
    'fi',
    ...bodies.map(
      (body) => `in_bundle ${quoteShellArg(body)} || { echo "airspray-ca: not-in-bundle $bundle"; exit 4; }`,
    ),
    'if [ $changed = 1 ] || [ $missing = 1 ]; then echo "airspray-ca: installed $store"; else echo "airspray-ca: present $store"; fi',
  );
  return lines.join('\n');
}

function notTrusted(host: DeployHost, message: string): CaTrustOutcome {
  return { name: host.name, address: host.address, ok: false, store: null, certificate: null, message };
}

async function trustOnHost(
  client: Client,
  host: DeployHost,
  script: string,
  sudoPassword: string | undefined,
): Promise<CaTrustOutcome> {
  const result = await execAsRoot(client, script, sudoPassword);
  const outcome = /^airspray-ca: (\S+)(?: (\S+))?$/m.exec(result.stdout);
  const base = { name: host.name, address: host.address };
  if (outcome?.[1] === 'installed' || outcome?.[1] === 'present') {
    if (result.code === 0)
      return { ...base, ok: true, store: outcome[2] as 'debian' | 'rhel', certificate: outcome[1] };
  }
  if (outcome?.[1] === 'no-store') {
    return notTrusted(
      host,
      'No CA trust store found (neither update-ca-certificates nor update-ca-trust): install the ca-certificates package on this host.',
    );
  }
  if (outcome?.[1] === 'not-in-bundle') {
    return notTrusted(
      host,
      `The store was rebuilt but ${outcome[2]} still lacks the CA: check the host's ca-certificates setup.`,
    );
  }
  const detail = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' / ');
  return notTrusted(
    host,
    sudoRefused(result.stderr)
      ? `sudo refused the profile's password (${detail}): set the profile's sudo password on the Access step.`
      : `Installing the CA failed (exit ${result.code}): ${detail || 'no output'}`,
  );
}

/**
 * Puts the plan's Harbor CA into every host's OS trust store over SSH with the deploy key and sudo: kubespray 2.23
 * gives containerd no CA setting for a registry, so containerd and nerdctl trust Harbor only through that store.
 */
export async function trustHarborCa(
  context: DeployContext,
  session: KeySession,
): Promise<{ ok: boolean; file: string; hosts: CaTrustOutcome[] }> {
  const registry = planHarbor(context, 'deploy.ca-needs-harbor');
  const certificates = parseCaCertificates(registry.caCertificate);
  const stem = caFileStem(registry.project);
  const script = trustScript(stem, certificates);
  const sudoPassword = sudoPasswordOf(session.credential);
  const hosts = await onEachHost(
    context.hosts,
    session,
    (client, host) => trustOnHost(client, host, script, sudoPassword),
    (host, reason) => notTrusted(host, `No SSH session with the deploy key: ${reason}`),
  );
  return { ok: hosts.every((host) => host.ok), file: `${stem}.crt`, hosts };
}
