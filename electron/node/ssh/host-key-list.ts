import { joinValues } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';
import { entryMatches, fingerprintOf, knownHostName, type KnownHostEntry } from './known-hosts';

/** What a data center's list says of a key a host presents. */
export type ListedVerdict = 'listed' | 'differs' | 'unlisted';

interface ListedKey {
  /** known_hosts host patterns (plain, hashed, wildcards), or the one host a fingerprint line names. */
  patterns: string[];
  fingerprint: string;
}

const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;
const keyTypePattern = /^(ssh-|ecdsa-|sk-)/;
/** Reported lines at most, so a wrong file gives a short answer. */
const shownLines = 5;

/**
 * One line: a known_hosts entry (`hosts type base64`), or a fingerprint line as `ssh-keygen -lf` or an inventory
 * prints it: `host SHA256:…`, `host type SHA256:…`, `SHA256:… host`. Undefined when it is none of these.
 */
function parseLine(line: string): ListedKey | undefined {
  const fields = line.split(/\s+/);
  if (fields.length >= 3 && keyTypePattern.test(fields[1]!) && /^[A-Za-z0-9+/]+=*$/.test(fields[2]!))
    return { patterns: fields[0]!.split(','), fingerprint: fingerprintOf(Buffer.from(fields[2]!, 'base64')) };
  const fingerprint = fields.find((field) => fingerprintPattern.test(field));
  const others = fields.filter((field) => field !== fingerprint && !keyTypePattern.test(field));
  if (!fingerprint || others.length !== 1 || fields.length > 3) return undefined;
  return { patterns: [others[0]!], fingerprint };
}

/**
 * Host keys a data center hands over (its known_hosts, or a list of fingerprints), to confirm many hosts at once: a
 * presented key the list names for that host is confirmed, one that differs is not, a host it does not name stays
 * for the operator. Any line it cannot read refuses the whole list, naming the lines: nothing is half applied.
 */
export class HostKeyList {
  private constructor(private readonly keys: readonly ListedKey[]) {}

  static parse(text: string): HostKeyList {
    const keys: ListedKey[] = [];
    const unreadable: number[] = [];
    for (const [index, raw] of text.split('\n').entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const key = parseLine(line);
      if (key) keys.push(key);
      else unreadable.push(index + 1);
    }
    if (unreadable.length > 0)
      throw coreError(
        'invalid_params',
        'ssh.host-key-list-unreadable',
        {
          lines: joinValues(unreadable.slice(0, shownLines).map(String)),
          moreCount: Math.max(0, unreadable.length - shownLines),
        },
        'list',
      );
    if (keys.length === 0) throw coreError('invalid_params', 'ssh.host-key-list-empty', {}, 'list');
    return new HostKeyList(keys);
  }

  judge(host: string, port: number, blob: Buffer): ListedVerdict {
    const hostField = knownHostName(host, port);
    const forHost = this.keys.filter((key) => entryMatches(asEntry(key), hostField));
    if (forHost.length === 0) return 'unlisted';
    const fingerprint = fingerprintOf(blob);
    return forHost.some((key) => key.fingerprint === fingerprint) ? 'listed' : 'differs';
  }

  /** The fingerprints the list names for a host. */
  fingerprintsFor(host: string, port: number): string[] {
    const hostField = knownHostName(host, port);
    return this.keys.filter((key) => entryMatches(asEntry(key), hostField)).map((key) => key.fingerprint);
  }
}

const asEntry = (key: ListedKey): KnownHostEntry => ({ patterns: key.patterns, keyType: '', keyBase64: '' });
