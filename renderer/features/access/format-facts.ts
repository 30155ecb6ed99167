import type { accessFailureKinds, HostFacts } from '../../../electron/common/host-facts';

export const failureLabels: Record<(typeof accessFailureKinds)[number], string> = {
  'auth-refused': 'Login refused',
  timeout: 'Timed out',
  unreachable: 'Unreachable',
  'connection-refused': 'Connection refused',
  'host-key-unknown': 'Host key not trusted yet',
  'host-key-changed': 'Host key changed',
  'probe-failed': 'Facts probe failed',
};

/** 7936 → "7.8 GiB", 512 → "512 MiB". */
export function formatMiB(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return `${gib >= 100 ? Math.round(gib) : gib.toFixed(1)} GiB`;
}

/** Addresses worth showing: not loopback, not IPv6 link-local. */
export function visibleAddresses(facts: HostFacts): { name: string; address: string }[] {
  return facts.interfaces
    .filter((iface) => iface.name !== 'lo')
    .flatMap((iface) => iface.addresses.map((address) => ({ name: iface.name, address })))
    .filter(({ address }) => !address.toLowerCase().startsWith('fe80:') && !address.startsWith('127.'));
}

export function describeFreeSpace(facts: HostFacts): string {
  const parts = [];
  if (facts.freeMiB.root !== undefined) parts.push(`${formatMiB(facts.freeMiB.root)} on /`);
  if (facts.freeMiB.var !== undefined) parts.push(`${formatMiB(facts.freeMiB.var)} on /var`);
  return parts.length > 0 ? parts.join(', ') : 'unknown';
}
