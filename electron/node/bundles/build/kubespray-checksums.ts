import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubesprayVariableFor } from './kubespray-lists';

/** Where kubespray keeps its published checksums (2.23 and later, then earlier releases). */
const checksumFiles = [
  'roles/kubespray-defaults/defaults/main/checksums.yml',
  'roles/download/defaults/main/checksums.yml',
];
const architectures = ['amd64', 'arm64', 'arm', 'ppc64le'] as const;
const architectureAliases: Record<(typeof architectures)[number], RegExp> = {
  amd64: /(?<![a-z0-9])(amd64|x86_64)(?![a-z0-9])/,
  arm64: /(?<![a-z0-9])(arm64|aarch64)(?![a-z0-9])/,
  arm: /(?<![a-z0-9])(arm|armhf)(?![a-z0-9])/,
  ppc64le: /(?<![a-z0-9])ppc64le(?![a-z0-9])/,
};

type ChecksumTable = Record<string, unknown>;
const isTable = (value: unknown): value is ChecksumTable =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Variables whose table does not start with their own name. */
const irregularTables: Record<string, string> = {
  gvisor_containerd_shim_runsc_download_url: 'gvisor_containerd_shim_binary_checksums',
};

/**
 * The `<name>_checksums` tables that answer a download variable: kubelet_download_url → kubelet_checksums, etcd →
 * etcd_binary_checksums…
 */
function tablesFor(variable: string, document: ChecksumTable): ChecksumTable[] {
  const prefix = variable.replace(/_download_url$/, '');
  const irregular = irregularTables[variable];
  return Object.entries(document)
    .filter(([key]) =>
      irregular
        ? key === irregular
        : key.endsWith('_checksums') && (key === `${prefix}_checksums` || key.startsWith(`${prefix}_`)),
    )
    .map(([, value]) => value)
    .filter(isTable);
}

/** The version key the URL names; the longest wins, and v1.27.1 does not match a URL of v1.27.10. */
function checksumForUrl(table: ChecksumTable, url: URL): string | undefined {
  const path = `${url.host}${url.pathname}`;
  let versions = table;
  if (Object.keys(table).some((key) => (architectures as readonly string[]).includes(key))) {
    const arch = architectures.find((candidate) => architectureAliases[candidate].test(path));
    const byArch = arch ? table[arch] : undefined;
    if (!isTable(byArch)) return undefined;
    versions = byArch;
  }
  const matches = Object.keys(versions)
    .filter((version) =>
      new RegExp(`(?<![0-9A-Za-z.])${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`).test(path),
    )
    .sort((a, b) => b.length - a.length);
  const value = matches[0] === undefined ? undefined : versions[matches[0]];
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/** sha256 by URL from kubespray's checksums.yml, for the downloads whose variable and version it lists. */
export function checksumsFromKubespray(yamlText: string, urls: readonly URL[]): Map<string, string> {
  // Failsafe schema: every scalar stays a string, so a hash of digits is never read as a number.
  const document: unknown = parse(yamlText, { schema: 'failsafe' });
  const checksums = new Map<string, string>();
  if (!isTable(document)) return checksums;
  for (const url of urls) {
    const variable = kubesprayVariableFor(url);
    if (!variable) continue;
    for (const table of tablesFor(variable, document)) {
      const checksum = checksumForUrl(table, url);
      if (checksum) {
        checksums.set(url.href, checksum);
        break;
      }
    }
  }
  return checksums;
}

/** Reads the checksums a kubespray release folder publishes, or an empty map when it has none. */
export async function readKubesprayChecksums(kubesprayDir: string, urls: readonly URL[]): Promise<Map<string, string>> {
  for (const file of checksumFiles) {
    const text = await readFile(join(kubesprayDir, file), 'utf8').catch(() => undefined);
    if (text !== undefined) return checksumsFromKubespray(text, urls);
  }
  return new Map();
}
