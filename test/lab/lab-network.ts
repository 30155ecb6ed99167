/**
 * The lab's addresses. Every address of the subnet belongs to a lab namespace while the lab is up:
 * the laptop side (the bridge), the hosts, a non-SSH service, a few that reset, and the sink for all the rest.
 */
export const labSubnetPrefix = '10.231.0';
export const labCidr = `${labSubnetPrefix}.0/24`;
export const labBridge = 'aslab0';
export const laptopAddress = `${labSubnetPrefix}.1`;
export const sinkNamespace = 'aslab-sink';
export const nonSshAddress = `${labSubnetPrefix}.250`;
export const resetAddresses = [251, 252, 253].map((last) => `${labSubnetPrefix}.${last}`);
export const firstHostOctet = 11;

/**
 * A whole /16 routed into the sink, for the sweep of a data-center range: silent but for a few addresses that reset
 * and one non-SSH service. Outside the lab's /24 and kubespray's default service and pod ranges (10.233.0.0/17).
 */
export const sweepRangeCidr = '10.232.0.0/16';
export const sweepRangeResetAddresses = ['10.232.0.20', '10.232.100.7', '10.232.255.200'];
export const sweepRangeNonSshAddress = '10.232.128.25';
/** The sink's address on the lab's bridge that the /16 is routed through. */
export const sweepRangeGateway = `${labSubnetPrefix}.254`;
/** Hosts take .11 up: a hundred end at .110, below the special addresses (.250-.254) the sink keeps. */
export const maxHosts = 100;
/**
 * Hosts booting at once: a first boot is a burst of systemd work, and a hundred at once on two cores outlasted the
 * wait for sshd. Six (every lab test's count) still boot together.
 */
export const bootConcurrency = 8;

export const hostName = (index: number) => `lab${index}`;
export const hostAddress = (index: number) => `${labSubnetPrefix}.${firstHostOctet + index - 1}`;

/**
 * Addresses the sink namespace owns: everything not held by the laptop or a host. It drops all but the special ones.
 */
export function sinkAddresses(hostCount: number): string[] {
  const taken = new Set([laptopAddress]);
  for (let index = 1; index <= hostCount; index += 1) taken.add(hostAddress(index));
  const addresses: string[] = [];
  for (let last = 1; last <= 254; last += 1) {
    const address = `${labSubnetPrefix}.${last}`;
    if (!taken.has(address)) addresses.push(address);
  }
  return addresses;
}

/** Accounts like a real data center: password login, sudo that asks for the password, no root over SSH. */
export const labAccounts = {
  ops: { user: 'ops', password: 'lab-ops-password' },
  noSudo: { user: 'auditor', password: 'lab-auditor-password' },
} as const;
