import { z } from 'zod';
import {
  ChosenBundleSchema,
  ClusterSettingsSchema,
  HostAddressSchema,
  HostNameSchema,
  hostRoles,
} from './cluster-plan';
import { CredentialReferenceSchema } from './credentials';
import { ClusterNameSchema } from './project';

/** The plan-file format this Airspray reads and writes; a file of a newer version is refused, never half-read. */
export const planFileVersion = 1;

export const PlanFileHostSchema = z.strictObject({
  name: HostNameSchema.describe('Node name, as Kubernetes and the inventory will call the host.'),
  address: HostAddressSchema.describe('IPv4 address Airspray and kubespray reach the host on.'),
  port: z
    .literal(22, 'Airspray reaches every host on SSH port 22 for now: set port to 22 or remove it.')
    .optional()
    .describe('SSH port; 22 is the only one Airspray uses for now.'),
});

const RoleHostsSchema = z.array(HostNameSchema).max(1000).default([]);

export const PlanFileRolesSchema = z
  .strictObject({
    controlPlane: RoleHostsSchema.describe('Hosts in kube_control_plane.'),
    etcd: RoleHostsSchema.describe('Hosts in etcd.'),
    worker: RoleHostsSchema.describe('Hosts in kube_node.'),
    calicoRr: RoleHostsSchema.describe('Hosts in calico_rr (Calico route reflectors).'),
  })
  .describe('For each role, the names of the hosts that have it.');

/** One host key the project trusts, as a known_hosts line says it: `host` (or `[host]:port`), key type, base64 key. */
export const PlanFileHostKeySchema = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[^\s,[\]]+$/, 'Host must be one address or name, without spaces, commas or brackets.')
    .describe('Address or name the key is pinned for.'),
  port: z.number().int().min(1).max(65535).optional().describe('SSH port the key is pinned for (default 22).'),
  type: z
    .string()
    .regex(/^[a-z0-9@.-]{1,64}$/, 'Type must be an SSH key type such as ssh-ed25519.')
    .describe('Key type, such as ssh-ed25519.'),
  key: z
    .string()
    .max(16_384)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Key must be the base64 public key blob, as in a known_hosts line.')
    .describe('The public key, base64, as in known_hosts.'),
});
export type PlanFileHostKey = z.infer<typeof PlanFileHostKeySchema>;

export const PlanFileBundleSchema = z.strictObject({
  id: ChosenBundleSchema.shape.bundleId.describe("The bundle's id, from its manifest."),
  manifestSha256: ChosenBundleSchema.shape.manifestSha256
    .optional()
    .describe("sha256 of the bundle's manifest.json: pins the exact bundle."),
});

const PlanFileObjectSchema = z.strictObject({
  planFileVersion: z.literal(
    planFileVersion,
    `planFileVersion must be ${planFileVersion}: the plan-file version this Airspray reads.`,
  ),
  project: ClusterNameSchema.optional().describe('Project (cluster) name; airspray apply --project overrides it.'),
  bundle: PlanFileBundleSchema.optional().describe('The offline bundle the plan is made for.'),
  deployNode: HostNameSchema.optional().describe('Host where the bundle is unpacked and kubespray runs.'),
  login: CredentialReferenceSchema.optional().describe(
    'How to log in to the hosts, by reference only: never a password or a key.',
  ),
  hosts: z.array(PlanFileHostSchema).max(1000).default([]),
  roles: PlanFileRolesSchema.prefault({}),
  settings: ClusterSettingsSchema.partial()
    .default({})
    .describe('Cluster settings; a setting left out takes its default.'),
  hostKeys: z
    .array(PlanFileHostKeySchema)
    .max(10_000)
    .default([])
    .describe('SSH host keys the project trusts (its known_hosts).'),
});

export const PlanFileSchema = PlanFileObjectSchema.superRefine(checkReferences).meta({
  title: `Airspray plan file, version ${planFileVersion}`,
  description:
    "A project's hosts, roles, settings, bundle, deploy node, trusted host keys and login references (docs/plan-file.md).",
});
export type PlanFile = z.output<typeof PlanFileSchema>;

/**
 * What the field types cannot say: each host once, and every role, the deploy node and each key naming what is there.
 */
function checkReferences(plan: z.output<typeof PlanFileObjectSchema>, context: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
  const firstName = new Map<string, number>();
  const firstAddress = new Map<string, number>();
  plan.hosts.forEach((host, index) => {
    const name = firstName.get(host.name);
    if (name !== undefined)
      issue(['hosts', index, 'name'], `Host "${host.name}" is listed twice (first as hosts[${name}]): keep one entry.`);
    else firstName.set(host.name, index);
    const address = firstAddress.get(host.address);
    if (address !== undefined)
      issue(
        ['hosts', index, 'address'],
        `Address ${host.address} is given twice (first for hosts[${address}]): each host needs its own address.`,
      );
    else firstAddress.set(host.address, index);
  });
  for (const role of hostRoles) {
    const seen = new Set<string>();
    plan.roles[role].forEach((name, index) => {
      if (!firstName.has(name))
        issue(
          ['roles', role, index],
          `"${name}" is not a host in this file: add it under hosts, or remove it from roles.${role}.`,
        );
      else if (seen.has(name))
        issue(['roles', role, index], `"${name}" is listed twice under roles.${role}: keep one.`);
      seen.add(name);
    });
  }
  if (plan.deployNode !== undefined && !firstName.has(plan.deployNode)) {
    issue(['deployNode'], `Deploy node "${plan.deployNode}" is not a host in this file: name one of the hosts.`);
  }
  const keys = new Set<string>();
  plan.hostKeys.forEach((hostKey, index) => {
    const id = `${hostKey.host}|${hostKey.port ?? 22}|${hostKey.key}`;
    if (keys.has(id)) issue(['hostKeys', index], `This key of ${hostKey.host} is listed twice: keep one entry.`);
    keys.add(id);
  });
}

/** The plan file's JSON Schema (draft 7, which editors' YAML support reads), generated from the zod schema above. */
export function planFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PlanFileSchema, { target: 'draft-7', io: 'input' });
}
