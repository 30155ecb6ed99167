import { z } from 'zod';
import { cancelMethod } from './cancel-result';
import { CredentialInputSchema, CredentialSummarySchema } from './credentials';
import { SweepPortsSchema, SweepProgressSchema, SweepRateSchema } from './discovery';
import { FactsOutcomeSchema, HostKeyInfoSchema } from './host-facts';
import { ProjectIdSchema } from './project';

const RunIdSchema = z.string().min(1).max(64);
const AddressSchema = z.union([z.ipv4(), z.ipv6()], 'Address must be an IPv4 or IPv6 address.');

export const AccessProgressSchema = z.object({
  runId: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Each host's outcome as it finishes; the final event carries every outcome with its pre-flight checks. */
  outcome: FactsOutcomeSchema.optional(),
  finished: z.boolean(),
  outcomes: z.array(FactsOutcomeSchema).optional(),
});
export type AccessProgress = z.infer<typeof AccessProgressSchema>;

/** Discovery and access: the Discover and Access steps' part of the API contract (spread into api.ts). */
export const accessApiMethods = {
  'discovery.suggestTargets': {
    exposeAs: 'suggestDiscoveryTargets',
    params: z.strictObject({}),
    /** The subnets of this machine's own interfaces: proposed, never swept without the operator's go. */
    result: z.array(z.object({ cidr: z.string(), interfaceName: z.string() })),
  },
  'discovery.start': {
    exposeAs: 'startDiscovery',
    params: z.strictObject({
      targets: z.string().min(1, 'Type what to sweep, such as 10.0.0.0/24.').max(100_000),
      ports: SweepPortsSchema.optional(),
      /** Connect attempts started per second at most (default 2,000: see `defaultConnectsPerSecond`). */
      connectsPerSecond: SweepRateSchema.optional(),
    }),
    result: z.object({ sweepId: z.string(), total: z.number().int() }),
  },
  'discovery.cancel': cancelMethod('cancelDiscovery', { sweepId: RunIdSchema }),
  'credentials.list': {
    exposeAs: 'listCredentials',
    params: z.strictObject({}),
    result: z.array(CredentialSummarySchema),
  },
  'credentials.add': {
    exposeAs: 'addCredential',
    /** `persist` keeps the profile across starts, encrypted by the OS keychain; refused where that is not possible. */
    params: z.strictObject({ credential: CredentialInputSchema, persist: z.boolean() }),
    result: CredentialSummarySchema,
  },
  'credentials.remove': {
    exposeAs: 'removeCredential',
    params: z.strictObject({ id: RunIdSchema }),
    result: z.object({ removed: z.boolean() }),
  },
  'access.collectFacts': {
    exposeAs: 'collectFacts',
    params: z.strictObject({
      projectId: ProjectIdSchema.optional(),
      credentialId: RunIdSchema,
      hosts: z
        .array(z.strictObject({ address: AddressSchema, port: z.number().int().min(1).max(65535).optional() }))
        .min(1, 'Pick at least one host.')
        .max(1000),
    }),
    result: z.object({ runId: z.string(), total: z.number().int() }),
  },
  'access.acceptHostKeys': {
    exposeAs: 'acceptHostKeys',
    /** Only keys a host presented in this session can be accepted, each by the fingerprint the operator saw. */
    params: z.strictObject({
      projectId: ProjectIdSchema.optional(),
      keys: z
        .array(
          z.strictObject({
            address: AddressSchema,
            port: z.number().int().min(1).max(65535),
            fingerprint: z.string().max(100),
          }),
        )
        .min(1)
        .max(1000),
    }),
    result: z.object({ accepted: z.array(HostKeyInfoSchema.extend({ address: z.string() })) }),
  },
  'access.acceptListedHostKeys': {
    exposeAs: 'acceptListedHostKeys',
    /**
     * Confirms at once every new key hosts presented in this session that the data center's list names for that host
     * (`list`: its known_hosts, or "host SHA256:fingerprint" lines); says which differ and which the list leaves out.
     * A key already on record is left as it is, a changed one is never accepted.
     */
    params: z.strictObject({
      projectId: ProjectIdSchema.optional(),
      list: z.string().max(10 * 1024 * 1024, 'The host key list is over 10 MiB: give only the hosts of this cluster.'),
    }),
    result: z.object({
      accepted: z.array(HostKeyInfoSchema.extend({ address: z.string() })),
      differing: z.array(z.object({ address: z.string(), presented: z.string(), listed: z.array(z.string()) })),
      unlisted: z.array(HostKeyInfoSchema.extend({ address: z.string() })),
    }),
  },
} as const;

export const accessApiEvents = {
  'discovery.progress': { subscribeAs: 'onDiscoveryProgress', payload: SweepProgressSchema },
  'access.progress': { subscribeAs: 'onAccessProgress', payload: AccessProgressSchema },
} as const;
