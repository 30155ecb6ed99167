import type { HostInput } from '../../electron/common/cluster-plan';
import { hostInputFromFacts } from '../../electron/common/facts-to-plan';
import type { FactsOutcome } from '../../electron/common/host-facts';
import { formatIn } from '../i18n/english-intl';
import type { AppLocale } from '../i18n/locales';

export interface AccessTarget {
  address: string;
  port: number;
}

/** One host on the Access step: where it is reached and, once it answered, what came back. */
export interface HostAccess extends AccessTarget {
  /** null while its facts are being collected. */
  outcome: FactsOutcome | null;
  /** When this window received the outcome (ISO time). */
  receivedAt?: string;
}

const ipv4Pattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(text: string): boolean {
  const match = ipv4Pattern.exec(text);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

export const formatTarget = (target: AccessTarget) =>
  target.port === 22 ? target.address : `${target.address}:${target.port}`;

/** "10.0.0.11 10.0.0.12:2222" to targets; the first bad token is named. IPv6 is left for the API to judge. */
export function parseAccessHosts(text: string, locale: AppLocale = 'en'): AccessTarget[] | string {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) return formatIn(locale, 'access.hosts.none');
  const targets: AccessTarget[] = [];
  for (const token of tokens) {
    const withPort = /^(.+\.\d{1,3}):(\d{1,5})$/.exec(token);
    const address = withPort ? (withPort[1] ?? '') : token;
    const port = withPort ? Number(withPort[2]) : 22;
    const ipv6 = !withPort && token.includes(':') && /^[0-9a-f:.]+$/i.test(token);
    if ((!isIpv4(address) && !ipv6) || port < 1 || port > 65535) {
      return formatIn(locale, 'access.hosts.invalid', { token });
    }
    if (!targets.some((target) => target.address === address)) targets.push({ address, port });
  }
  return targets;
}

/** What planning keeps of the facts (electron/common/facts-to-plan.ts, shared with `airspray facts --project`). */
export const toHostInput = (host: HostAccess): HostInput | null =>
  host.outcome ? hostInputFromFacts(host.outcome, host.receivedAt) : null;

/** The hosts with `outcome` in; a host that already answered keeps the time of its first answer. */
export function recordOutcome(hosts: HostAccess[], outcome: FactsOutcome, receivedAt: string): HostAccess[] {
  return hosts.map((host) =>
    host.address === outcome.address
      ? { ...host, outcome, receivedAt: host.outcome?.state === 'ok' && host.receivedAt ? host.receivedAt : receivedAt }
      : host,
  );
}

/** What failed on a host, for the host filter's `failed:` term: its failed checks' ids, or why it did not answer. */
export function failedIds(outcome: FactsOutcome | null): string[] {
  if (outcome === null) return [];
  if (outcome.state === 'failed') return [outcome.kind];
  return outcome.checks.filter((check) => check.status === 'fail').map((check) => check.id);
}
