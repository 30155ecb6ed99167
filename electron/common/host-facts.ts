import { z } from 'zod';
import { CoreMessageSchema } from './core-messages';

const Interface = z.object({
  name: z.string(),
  mac: z.string().optional(),
  /** CIDR strings, e.g. "10.0.0.11/24". */
  addresses: z.array(z.string()),
});

export const kernelModuleStates = ['loaded', 'available', 'missing'] as const;
/**
 * A TCP connect: open, refused (the host answered, nothing listens yet), filtered (no answer), unreachable (no route).
 */
export const peerPortResults = ['open', 'refused', 'filtered', 'unreachable'] as const;

/** What one host sees of the others: names through its resolver, ports through TCP connects. */
export const PeerViewSchema = z.object({
  names: z.array(z.object({ name: z.string(), address: z.string().optional() })),
  ports: z.array(z.object({ address: z.string(), port: z.number().int(), result: z.enum(peerPortResults) })),
  /** The host has no python3, so none of its ports were tried. */
  untried: z.boolean().optional(),
});
export type PeerView = z.infer<typeof PeerViewSchema>;

/** What the facts probe reports about one host; read over SSH with POSIX sh, no Python needed. */
export const HostFactsSchema = z.object({
  hostname: z.string(),
  os: z.object({ id: z.string(), versionId: z.string(), prettyName: z.string() }),
  kernel: z.string(),
  arch: z.string(),
  cpus: z.number().int().nonnegative(),
  memoryMiB: z.number().int().nonnegative(),
  swapMiB: z.number().int().nonnegative(),
  disks: z.array(z.object({ name: z.string(), sizeMiB: z.number().int().nonnegative() })),
  freeMiB: z.object({
    root: z.number().int().nonnegative().optional(),
    var: z.number().int().nonnegative().optional(),
  }),
  interfaces: z.array(Interface),
  defaultRoute: z
    .object({ gateway: z.string().optional(), device: z.string().optional(), blackhole: z.boolean() })
    .optional(),
  machineId: z.string(),
  productUuid: z.string().optional(),
  /** Host clock minus laptop clock, in milliseconds, corrected for half the round trip. */
  clockOffsetMs: z.number(),
  selinux: z.enum(['enforcing', 'permissive', 'disabled', 'absent']),
  apparmor: z.enum(['enabled', 'disabled', 'absent']),
  firewall: z.array(z.string()),
  /** Kubernetes ports something already listens on. */
  portsInUse: z.array(z.number().int()),
  existing: z.object({ containerRuntimes: z.array(z.string()), kubelet: z.boolean(), kubeconfig: z.boolean() }),
  python3: z.string().optional(),
  sudo: z.enum(['works', 'refused', 'no-password-given']),
  /** The kernel modules kubespray loads, by name. */
  kernelModules: z.record(z.string(), z.enum(kernelModuleStates)).optional(),
  /** The sysctls kubespray sets, by name; a key the kernel lacks is left out. */
  sysctls: z.record(z.string(), z.string()).optional(),
  /** Mount points under /proc/sys with whether they are writable (read-only in some containers). */
  procSysMounts: z.array(z.object({ path: z.string(), writable: z.boolean() })).optional(),
  /** Firewall rules that drop or reject, read with sudo (nft, else iptables-save); absent without sudo. */
  dropRules: z.array(z.string()).optional(),
  /** The other hosts as this one sees them; absent when only one host was probed. */
  peers: PeerViewSchema.optional(),
});
export type HostFacts = z.infer<typeof HostFactsSchema>;

export const PreflightCheckSchema = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  title: z.string(),
  /** What was found and, unless it passed, how to fix it. */
  message: z.string(),
  /**
   * A failure a cluster setting answers as well as the host (ipvs, nodelocaldns…): it does not keep the host out of the
   * plan.
   */
  answeredBySetting: z.boolean().optional(),
  /** The title and message by core message id and values, for the window to show in its language. */
  i18n: z.object({ title: CoreMessageSchema, message: CoreMessageSchema }),
});
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>;

/** SSH failures another try cannot mend: the login was refused, or the host's key is not one on record. */
export const sshRefusalKinds = ['auth-refused', 'host-key-unknown', 'host-key-changed'] as const;
/** SSH failures of the link: a later try may get through. */
const sshLinkFailureKinds = ['timeout', 'unreachable', 'connection-refused'] as const;
export const sshFailureKinds = [...sshRefusalKinds, ...sshLinkFailureKinds] as const;
/** Why a host's facts were not read: SSH failed, or the probe failed once logged in. */
export const accessFailureKinds = [...sshFailureKinds, 'probe-failed'] as const;

export const HostKeyInfoSchema = z.object({
  keyType: z.string(),
  /** As OpenSSH prints it: "SHA256:" and unpadded base64. */
  fingerprint: z.string(),
});
export type HostKeyInfo = z.infer<typeof HostKeyInfoSchema>;

export const FactsOutcomeSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ok'),
    address: z.string(),
    hostKey: HostKeyInfoSchema,
    facts: HostFactsSchema,
    checks: z.array(PreflightCheckSchema),
  }),
  z.object({
    state: z.literal('failed'),
    address: z.string(),
    kind: z.enum(accessFailureKinds),
    message: z.string(),
    /** The message by core message id and values, for the window to show in its language. */
    i18n: CoreMessageSchema.optional(),
    /** The key the host presented, for unknown and changed keys. */
    presentedKey: HostKeyInfoSchema.optional(),
    /** The keys on record, for a changed key. */
    knownKeys: z.array(HostKeyInfoSchema).optional(),
  }),
]);
export type FactsOutcome = z.infer<typeof FactsOutcomeSchema>;
