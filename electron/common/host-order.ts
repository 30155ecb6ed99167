import type { FilterableHost } from './host-filter';
import { compareIpv4 } from './ipv4';

export type HostSortKey = 'name' | 'address';

/** node2 before node10, as people count. */
const nameCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares hosts by name (numbers in names counted) or by address (as numbers, 10.0.0.9 before 10.0.0.10). */
export function compareHosts(key: HostSortKey): (a: FilterableHost, b: FilterableHost) => number {
  if (key === 'name') return (a, b) => nameCollator.compare(a.name, b.name);
  return (a, b) => compareIpv4(a.address, b.address);
}
