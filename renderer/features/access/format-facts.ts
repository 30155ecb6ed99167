import type { accessFailureKinds, HostFacts } from '../../../electron/common/host-facts';
import type { MessageId } from '../../i18n/catalogs';

export const failureLabels: Record<(typeof accessFailureKinds)[number], MessageId> = {
  'auth-refused': 'access.failure.authRefused',
  timeout: 'access.failure.timeout',
  unreachable: 'access.failure.unreachable',
  'connection-refused': 'access.failure.connectionRefused',
  'host-key-unknown': 'access.failure.hostKeyUnknown',
  'host-key-changed': 'access.failure.hostKeyChanged',
  'probe-failed': 'access.failure.probeFailed',
};

/** 7936 → "7.8 GiB", 512 → "512 MiB", the number written as the chosen language writes it. */
export function formatMiB(mib: number, locale: string): string {
  if (mib < 1024) return `${mib.toLocaleString(locale)} MiB`;
  const gib = mib / 1024;
  const digits = gib >= 100 ? 0 : 1;
  return `${gib.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })} GiB`;
}

/** Addresses worth showing: not loopback, not IPv6 link-local. */
export function visibleAddresses(facts: HostFacts): { name: string; address: string }[] {
  return facts.interfaces
    .filter((iface) => iface.name !== 'lo')
    .flatMap((iface) => iface.addresses.map((address) => ({ name: iface.name, address })))
    .filter(({ address }) => !address.toLowerCase().startsWith('fe80:') && !address.startsWith('127.'));
}
