import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PlanFileHostKey } from '../../common/plan-file';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { knownHostName, parseKnownHosts } from '../ssh/known-hosts';

/** A project's known_hosts as the plan file sees it: plain entries as keys, every other line kept as it is. */
export interface ProjectHostKeys {
  keys: PlanFileHostKey[];
  /**
   * Comments, hashed or wildcard entries, @revoked and @cert-authority lines: a plan file does not carry them, apply
   * keeps them.
   */
  otherLines: string[];
}

/** The host field of a known_hosts line when it names one host: "10.0.0.11" on port 22, or "[10.0.0.11]:2222". */
function plainHost(field: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]\s,]+)\]:(\d{1,5})$/.exec(field);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  return /^[^\s,[\]|*?!]+$/.test(field) ? { host: field, port: 22 } : null;
}

export function splitKnownHosts(text: string): ProjectHostKeys {
  const keys: PlanFileHostKey[] = [];
  const otherLines: string[] = [];
  for (const line of text.split('\n')) {
    const [entry, ...more] = parseKnownHosts(line);
    const target =
      entry && more.length === 0 && !entry.marker && entry.patterns.length === 1 ? plainHost(entry.patterns[0]!) : null;
    if (entry && target)
      keys.push({
        host: target.host,
        ...(target.port === 22 ? {} : { port: target.port }),
        type: entry.keyType,
        key: entry.keyBase64,
      });
    else if (line.trim() !== '') otherLines.push(line);
  }
  return { keys, otherLines };
}

export async function readProjectHostKeys(file: string): Promise<ProjectHostKeys> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return splitKnownHosts(text);
}

export const formatHostKeyLine = (hostKey: PlanFileHostKey) =>
  `${knownHostName(hostKey.host, hostKey.port ?? 22)} ${hostKey.type} ${hostKey.key}`;

/** Replaces the project's known_hosts: the lines a plan file does not carry first, then the file's keys. */
export async function writeProjectHostKeys(file: string, hostKeys: ProjectHostKeys): Promise<void> {
  const lines = [...hostKeys.otherLines, ...hostKeys.keys.map(formatHostKeyLine)];
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}
