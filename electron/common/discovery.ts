import { z } from 'zod';

export const sweepClasses = ['ssh', 'open-not-ssh', 'closed', 'silent'] as const;
export type SweepClass = (typeof sweepClasses)[number];

export const SweepResultSchema = z.object({
  address: z.string(),
  /** The name the operator typed, when the target was a host name. */
  hostName: z.string().optional(),
  class: z.enum(sweepClasses),
  /** The port that decided the class (the SSH port when one answered SSH). */
  port: z.number().int().min(1).max(65535).optional(),
  /** The SSH identification string, or the first line a non-SSH service sent. */
  banner: z.string().max(255).optional(),
  detail: z.string().optional(),
});
export type SweepResult = z.infer<typeof SweepResultSchema>;

export const SweepPortsSchema = z
  .array(z.number().int().min(1, 'Ports run from 1 to 65535.').max(65535, 'Ports run from 1 to 65535.'))
  .min(1, 'Give at least one port, e.g. 22.')
  .max(16, 'At most 16 ports per sweep.');

/**
 * 2,000 connect attempts a second by default: the floor of the tuned nmap command operators already run on large
 * ranges (`--min-rate 2000`). That is about 150 KB/s of SYNs but, on a flat /16, several thousand ARP broadcasts a
 * second (Linux asks for each silent address about three times) that every host on the segment takes in: the most
 * an ordinary switch's storm control, a firewall's SYN guard and the hosts' ARP handling are trusted to absorb
 * (docs/discovery-access.md); a /16 takes about 33 s. Lower it on a fragile network, raise it on a quiet one.
 */
export const defaultConnectsPerSecond = 2000;
const maxConnectsPerSecond = 100_000;
const rateFix = `Connect attempts per second run from 1 to ${maxConnectsPerSecond} (default ${defaultConnectsPerSecond}); lower it on a fragile network.`;
export const SweepRateSchema = z.number(rateFix).int(rateFix).min(1, rateFix).max(maxConnectsPerSecond, rateFix);

export const SweepProgressSchema = z.object({
  sweepId: z.string(),
  scanned: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  found: z.number().int().nonnegative(),
  /** Addresses classified per second over the last few seconds, and the seconds left at that pace. */
  ratePerSecond: z.number().nonnegative().optional(),
  etaSeconds: z.number().int().nonnegative().nullable().optional(),
  /** Results that arrived since the previous progress event. */
  results: z.array(SweepResultSchema),
  state: z.enum(['running', 'finished', 'cancelled']),
});
export type SweepProgress = z.infer<typeof SweepProgressSchema>;
