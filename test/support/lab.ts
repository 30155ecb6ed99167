import { labStatus } from '../lab/lab';
import { labCidr } from '../lab/lab-network';

/**
 * Guards every test that sends traffic into the lab subnet: if the bridge is gone the kernel would route those
 * addresses out of this machine, so refuse instead.
 */
export async function requireLab(): Promise<void> {
  const status = await labStatus();
  if (!status.up || status.hosts.length === 0 || status.hosts.some((host) => !host.running)) {
    throw new Error(`the lab (${labCidr}) is not fully up; refusing to send traffic to its addresses`);
  }
}
