import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HostKeyInfo } from '../../common/host-facts';

export interface KnownHostEntry {
  patterns: string[];
  keyType: string;
  keyBase64: string;
  marker?: '@revoked' | '@cert-authority';
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + Math.min(length, 64)).toString('latin1');
}

/** As OpenSSH prints it: "SHA256:" followed by unpadded base64. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export const hostKeyInfo = (blob: Buffer): HostKeyInfo => ({
  keyType: keyTypeOf(blob),
  fingerprint: fingerprintOf(blob),
});

/** The host field OpenSSH writes: the bare host on port 22, "[host]:port" elsewhere. */
export const knownHostName = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`);

/** Parses OpenSSH known_hosts text; lines it cannot read are skipped, as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker =
      fields[0] === '@revoked' || fields[0] === '@cert-authority'
        ? (fields.shift() as KnownHostEntry['marker'])
        : undefined;
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) continue;
    entries.push({ patterns: hosts.split(','), keyType, keyBase64, ...(marker ? { marker } : {}) });
  }
  return entries;
}

/** Matches one known_hosts host pattern: plain, hashed (|1|salt|hash), or with * and ? wildcards. */
function patternMatches(pattern: string, hostField: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(hostField).digest('base64') === hash;
  }
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === hostField.toLowerCase();
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(hostField);
}

export function entryMatches(entry: KnownHostEntry, hostField: string): boolean {
  let matched = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith('!')) {
      if (patternMatches(pattern.slice(1), hostField)) return false;
    } else if (patternMatches(pattern, hostField)) matched = true;
  }
  return matched;
}

/** Whether a key is on record for the host at all: a presented key then has something to be checked against. */
export function hasKeyOnRecord(entries: readonly KnownHostEntry[], host: string, port: number): boolean {
  return entries.some((entry) => entry.marker === undefined && entryMatches(entry, knownHostName(host, port)));
}

export type HostKeyVerdict =
  | { verdict: 'known' }
  | { verdict: 'unknown'; presented: HostKeyInfo }
  | { verdict: 'changed'; presented: HostKeyInfo; known: HostKeyInfo[] }
  | { verdict: 'revoked'; presented: HostKeyInfo };

/**
 * Decides what a presented host key means against the entries on record. A host with keys on record whose
 * presented key is not among them has changed its key: that is never accepted, whatever the key type.
 */
export function judgeHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  blob: Buffer,
): HostKeyVerdict {
  const hostField = knownHostName(host, port);
  const presentedBase64 = blob.toString('base64');
  const presented = hostKeyInfo(blob);
  const forHost = entries.filter((entry) => entry.marker !== '@cert-authority' && entryMatches(entry, hostField));
  if (forHost.some((entry) => entry.marker === '@revoked' && entry.keyBase64 === presentedBase64))
    return { verdict: 'revoked', presented };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  if (plain.some((entry) => entry.keyBase64 === presentedBase64)) return { verdict: 'known' };
  if (plain.length === 0) return { verdict: 'unknown', presented };
  return {
    verdict: 'changed',
    presented,
    known: plain.map((entry) => hostKeyInfo(Buffer.from(entry.keyBase64, 'base64'))),
  };
}

export const formatKnownHostLine = (host: string, port: number, blob: Buffer) =>
  `${knownHostName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;

export async function readKnownHostsFile(path: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
