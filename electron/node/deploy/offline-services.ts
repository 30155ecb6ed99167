import type { Client } from 'ssh2';
import type { HealthOutcome, HealthReport } from '../../common/deploy-api';
import type { BundleManifest } from '../../common/bundle-manifest';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import { remoteWebRoot } from './remote-layout';
import { execAsRoot, writeFileScript } from './remote-shell';
import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

export const registryUnit = 'airspray-registry.service';
export const filesUnit = 'airspray-files.service';
const registryConfigPath = '/etc/airspray/registry.yml';
/** Names of the registry binary a bundle's tools/ may carry (Debian's package name, then upstream's). */
const registryToolNames = ['tools/docker-registry', 'tools/registry'];

export interface ServiceEndpoints {
  /** The deploy node's address on the cluster LAN: both services listen there only. */
  address: string;
  /** null when the images live in an existing Harbor: the node then serves files only. */
  registryPort: number | null;
  filesPort: number;
}

export interface HealthCheck {
  name: 'registry' | 'image' | 'file' | 'repo';
  url: string;
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  expect: { status: number; length?: number; digest?: string };
}

/**
 * The file server: Python's http.server, which every kubespray node has (Ansible needs python3), so nothing beyond
 * the bundle is installed. It serves a folder of links: each top entry of files/ (download hosts, so kubespray's
 * original URL paths work under files_repo) and repos/ as /repos/.
 */

export function registryConfig(bundleDir: string, endpoints: ServiceEndpoints & { registryPort: number }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(`${bundleDir}/images`)}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    '    readonly:',
    '      enabled: true',
    'http:',
    `  addr: ${endpoints.address}:${endpoints.registryPort}`,
    '',
  ].join('\n');
}

/** Restart=always with no start limit: a unit that starts before the address is up keeps trying until it binds. */
function unitFile(description: string, execStart: string): string {
  return [
    '[Unit]',
    `Description=${description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    `ExecStart=${execStart}`,
    'DynamicUser=yes',
    'Restart=always',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function registryBinaryOf(manifest: BundleManifest): string {
  const tool = registryToolNames.find((name) => manifest.files.some((file) => file.path === name));
  if (!tool) {
    throw coreError('not_found', 'deploy.no-registry-tool', { names: joinValues(registryToolNames) }, 'bundle');
  }
  return tool;
}

/**
 * Writes and enables the two units with sudo, so they outlive this connection and come back after a reboot.
 * Idempotent: a second call rewrites the same files and restarts the services.
 */
export async function startOfflineServices(
  client: Client,
  options: {
    bundleDir: string;
    manifest: BundleManifest;
    endpoints: ServiceEndpoints;
    sudoPassword: string | undefined;
  },
): Promise<void> {
  const { bundleDir, manifest, endpoints } = options;
  const plain: [string, string][] = [
    ['bundleDir', bundleDir],
    ['bundleId', manifest.bundleId],
    ['endpoints.address', endpoints.address],
  ];
  for (const [field, value] of plain) {
    // Unit files are read by systemd, not sh (its own word splitting, $ and % expansion, one directive per line).
    if (!/^[A-Za-z0-9._/:-]+$/.test(value))
      throw coreError('invalid_params', 'deploy.unit-value-invalid', { field, value }, field);
  }
  const webRoot = remoteWebRoot(manifest.bundleId);
  const { registryPort } = endpoints;
  const registry = registryPort === null ? undefined : `${bundleDir}/${registryBinaryOf(manifest)}`;
  const units = registry ? `${registryUnit} ${filesUnit}` : filesUnit;
  const script = [
    'set -e',
    ...(registry && registryPort !== null
      ? [
          `test -x ${quoteShellArg(registry)} || chmod 755 ${quoteShellArg(registry)}`,
          'mkdir -p /etc/airspray',
          writeFileScript(registryConfigPath, registryConfig(bundleDir, { ...endpoints, registryPort })),
          writeFileScript(
            `/etc/systemd/system/${registryUnit}`,
            unitFile(
              `Airspray offline registry (bundle ${manifest.bundleId}, read-only)`,
              `${registry} serve ${registryConfigPath}`,
            ),
          ),
        ]
      : // Images come from Harbor: a registry left from an earlier bundle-registry plan is stopped.
        [`systemctl disable --now --quiet ${registryUnit} 2>/dev/null || true`]),
    writeFileScript(
      `/etc/systemd/system/${filesUnit}`,
      unitFile(
        `Airspray offline file server (bundle ${manifest.bundleId})`,
        `/usr/bin/python3 -m http.server --bind ${endpoints.address} --directory ${webRoot} ${endpoints.filesPort}`,
      ),
    ),
    `rm -rf ${quoteShellArg(webRoot)} && mkdir -p ${quoteShellArg(webRoot)}`,
    `for entry in ${quoteShellArg(`${bundleDir}/files`)}/*; do [ -e "$entry" ] && ln -s "$entry" ${quoteShellArg(webRoot)}/; done`,
    `if [ -d ${quoteShellArg(`${bundleDir}/repos`)} ]; then ln -s ${quoteShellArg(`${bundleDir}/repos`)} ${quoteShellArg(`${webRoot}/repos`)}; fi`,
    'systemctl daemon-reload',
    `systemctl enable --quiet ${units}`,
    `systemctl restart ${units}`,
  ].join('\n');
  const result = await execAsRoot(client, script, options.sudoPassword);
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${result.code}`;
    throw coreError('conflict', 'deploy.services-start-failed', { detail }, 'deployNode');
  }
}

/**
 * What "healthy" means: the registry answers, serves one of the bundle's images by tag, and files and repos answer by
 * their original paths.
 */
export function healthChecks(manifest: BundleManifest, endpoints: ServiceEndpoints): HealthCheck[] {
  const registry = `http://${endpoints.address}:${endpoints.registryPort}`;
  const files = `http://${endpoints.address}:${endpoints.filesPort}`;
  const checks: HealthCheck[] =
    endpoints.registryPort === null
      ? []
      : [{ name: 'registry', url: `${registry}/v2/`, method: 'GET', expect: { status: 200 } }];
  const image = manifest.images[0];
  if (image && endpoints.registryPort !== null) {
    checks.push({
      name: 'image',
      url: `${registry}/v2/${image.repository}/manifests/${image.tag}`,
      method: 'HEAD',
      headers: { accept: image.mediaType },
      expect: { status: 200, digest: image.digest },
    });
  }
  const download = manifest.files.find((file) => file.url && file.path.startsWith('files/'));
  if (download?.url) {
    const url = new URL(download.url);
    checks.push({
      name: 'file',
      url: `${files}/${url.host}${url.pathname}`,
      method: 'HEAD',
      expect: { status: 200, length: download.size },
    });
  }
  const repo = manifest.files.find((file) => file.path.startsWith('repos/'));
  if (repo)
    checks.push({
      name: 'repo',
      url: `${files}/${repo.path.split('/').map(encodeURIComponent).join('/')}`,
      method: 'HEAD',
      expect: { status: 200, length: repo.size },
    });
  return checks;
}

function judge(
  check: HealthCheck,
  answer: { status?: number; length?: string | null; digest?: string | null; error?: string },
): HealthOutcome {
  const base = { name: check.name, url: check.url };
  if (answer.error !== undefined) return { ...base, ok: false, detail: answer.error };
  if (answer.status !== check.expect.status)
    return { ...base, ok: false, detail: `answered ${answer.status}, expected ${check.expect.status}` };
  if (check.expect.length !== undefined && Number(answer.length) !== check.expect.length)
    return { ...base, ok: false, detail: `served ${answer.length} bytes, the bundle has ${check.expect.length}` };
  if (check.expect.digest && answer.digest !== check.expect.digest)
    return { ...base, ok: false, detail: `served digest ${answer.digest}, the bundle has ${check.expect.digest}` };
  return { ...base, ok: true, detail: `answered ${answer.status}` };
}

const report = (from: string, checks: HealthOutcome[]): HealthReport => ({
  from,
  ok: checks.every((check) => check.ok),
  checks,
});

/** The checks from this machine. */
export async function checkFromLaptop(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const outcomes: HealthOutcome[] = [];
  for (const check of checks) {
    try {
      const response = await fetch(check.url, {
        method: check.method,
        ...(check.headers ? { headers: check.headers } : {}),
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
      outcomes.push(
        judge(check, {
          status: response.status,
          length: response.headers.get('content-length'),
          digest: response.headers.get('docker-content-digest'),
        }),
      );
    } catch (error) {
      outcomes.push(
        judge(check, { error: (error as Error).cause ? String((error as Error).cause) : (error as Error).message }),
      );
    }
  }
  return report('laptop', outcomes);
}

/** Runs on a cluster host with its own python3 (kubespray's nodes all have it; curl is not guaranteed). */
const hostProbe = [
  'import json, sys, urllib.request',
  'for check in json.loads(sys.argv[1]):',
  '    request = urllib.request.Request(check["url"], method=check["method"], headers=check.get("headers", {}))',
  '    try:',
  '        with urllib.request.urlopen(request, timeout=5) as answer:',
  '            print(json.dumps({"status": answer.status, "length": answer.headers.get("Content-Length"), "digest": answer.headers.get("Docker-Content-Digest")}))',
  '    except urllib.error.HTTPError as error:',
  '        print(json.dumps({"status": error.code}))',
  '    except Exception as error:',
  '        print(json.dumps({"error": str(error)}))',
].join('\n');

/** The same checks from a cluster host, over SSH. */
export async function checkFromHost(
  client: Client,
  hostName: string,
  checks: readonly HealthCheck[],
): Promise<HealthReport> {
  const result = await execCommand(
    client,
    `python3 -c ${quoteShellArg(hostProbe)} ${quoteShellArg(JSON.stringify(checks))}`,
  );
  const answers = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Parameters<typeof judge>[1]);
  return report(
    hostName,
    checks.map((check, index) => judge(check, answers[index] ?? { error: result.stderr.trim() || 'no answer' })),
  );
}

/** Checks from the laptop until healthy or `waitMs` passed (a unit that just (re)started needs a moment to bind). */
export async function waitHealthyFromLaptop(checks: readonly HealthCheck[], waitMs: number): Promise<HealthReport> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const health = await checkFromLaptop(checks);
    if (health.ok || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether both units are enabled (they come back after a reboot) and running, as systemd sees them. */
export async function unitStates(client: Client): Promise<Record<string, { enabled: string; active: string }>> {
  const states: Record<string, { enabled: string; active: string }> = {};
  for (const unit of [registryUnit, filesUnit]) {
    const enabled = (await execCommand(client, `systemctl is-enabled ${unit}`)).stdout.trim();
    const active = (await execCommand(client, `systemctl is-active ${unit}`)).stdout.trim();
    states[unit] = { enabled, active };
  }
  return states;
}
