/** Small IPv4 arithmetic for the plan's checks; addresses are already shape-checked by zod. */

export interface Ipv4Network {
  /** First address as an unsigned 32-bit number. */
  base: number;
  prefixLength: number;
}

export function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

/** Orders addresses as numbers (10.0.0.9 before 10.0.0.10); anything that is not IPv4 sorts first. */
export function compareIpv4(a: string, b: string): number {
  return (ipv4ToNumber(a) ?? -1) - (ipv4ToNumber(b) ?? -1);
}

/** Parses "a.b.c.d/n"; null when it is not one. Host bits are cleared, as Kubernetes does. */
export function parseIpv4Cidr(text: string): Ipv4Network | null {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const address = ipv4ToNumber(match[1]!);
  const prefixLength = Number(match[2]);
  if (address === null || prefixLength > 32) return null;
  return networkOf(address, prefixLength);
}

export function networkOf(address: number, prefixLength: number): Ipv4Network {
  const size = 2 ** (32 - prefixLength);
  return { base: Math.floor(address / size) * size, prefixLength };
}

export function networkSize(network: Ipv4Network): number {
  return 2 ** (32 - network.prefixLength);
}

export function networksOverlap(a: Ipv4Network, b: Ipv4Network): boolean {
  return a.base < b.base + networkSize(b) && b.base < a.base + networkSize(a);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function formatIpv4Network(network: Ipv4Network): string {
  return `${numberToIpv4(network.base)}/${network.prefixLength}`;
}
