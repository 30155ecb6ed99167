import { z } from 'zod';

/**
 * Kubespray's hostname check (roles/kubernetes/preinstall) narrowed to one RFC 1123 label, as Kubernetes node names
 * want.
 */
export const hostNamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const HostNameSchema = z
  .string()
  .trim()
  .min(1, 'Host name is empty: type the node name, such as "node1".')
  .max(63, 'Host name is longer than 63 characters: shorten it.');

export const HostAddressSchema = z.ipv4('Address must be an IPv4 address such as 10.0.0.11.');

/**
 * What discovery learned about a host, reduced to what planning needs. Discovery fills it; hand-typed hosts have none.
 */
export const HostFactsSummarySchema = z.strictObject({
  os: z.strictObject({ id: z.string().min(1).max(50), version: z.string().max(50) }),
  arch: z.string().min(1).max(30),
  cpus: z.number().int().positive().max(100_000),
  memoryMiB: z.number().int().nonnegative(),
  /** Every IPv4 address on the host with its prefix length, e.g. {address: "10.0.0.11", prefixLength: 24}. */
  addresses: z
    .array(z.strictObject({ address: HostAddressSchema, prefixLength: z.number().int().min(0).max(32) }))
    .max(256),
  /** When discovery collected the facts. */
  collectedAt: z.iso.datetime().optional(),
});
export type HostFactsSummary = z.infer<typeof HostFactsSummarySchema>;

/** The roles a host can have, in the inventory's group order. */
export const hostRoles = ['controlPlane', 'etcd', 'worker', 'calicoRr'] as const;
export type HostRole = (typeof hostRoles)[number];
/** Whether the host has each role: every role named, no other key. */
export const HostRolesSchema = z.record(z.enum(hostRoles), z.boolean());
export type HostRoles = z.infer<typeof HostRolesSchema>;
export const noRoles: HostRoles = { controlPlane: false, etcd: false, worker: false, calicoRr: false };

/**
 * Hosts are checked loosely here (any non-empty name) so a plan can be saved mid-edit;
 * the validation rules say precisely what is wrong and how to fix it.
 */
export const ClusterHostSchema = z.strictObject({
  name: HostNameSchema,
  address: HostAddressSchema,
  roles: HostRolesSchema,
  facts: HostFactsSummarySchema.optional(),
});
export type ClusterHost = z.infer<typeof ClusterHostSchema>;

/** A host as discovery or a person hands it in: roles are kept from the plan when the name is already there. */
export const HostInputSchema = ClusterHostSchema.omit({ roles: true }).extend({ roles: HostRolesSchema.optional() });
export type HostInput = z.infer<typeof HostInputSchema>;

export const networkPlugins = ['calico', 'cilium', 'flannel', 'kube-router', 'kube-ovn', 'macvlan'] as const;
export type NetworkPlugin = (typeof networkPlugins)[number];
export const kubeProxyModes = ['ipvs', 'iptables'] as const;
export const dnsModes = ['coredns', 'coredns_dual', 'manual', 'none'] as const;

export const Ipv4CidrSchema = z.cidrv4('Must be an IPv4 network in CIDR form, such as 10.233.64.0/18.');

const PortSchema = z.number().int().min(1).max(65535);

/** How clients reach the API server when there is more than one control plane. */
export const ApiLoadBalancingSchema = z.discriminatedUnion('mode', [
  /** No load balancer: every node talks to the first control plane. Only sound with one control plane. */
  z.strictObject({ mode: z.literal('none') }),
  /** Kubespray's local proxy on every node (loadbalancer_apiserver_localhost). */
  z.strictObject({ mode: z.literal('local'), type: z.enum(['nginx', 'haproxy']) }),
  /** An existing load balancer or VIP in front of the control planes. */
  z.strictObject({
    mode: z.literal('external'),
    address: HostAddressSchema,
    port: PortSchema,
    domainName: z.string().max(253).optional(),
  }),
  /** kube-vip announces a virtual address from the control planes (ARP). */
  z.strictObject({ mode: z.literal('kube-vip'), address: HostAddressSchema, interface: z.string().max(15).optional() }),
]);
export type ApiLoadBalancing = z.infer<typeof ApiLoadBalancingSchema>;

/** A DNS name, IPv4 or [IPv6], then an optional port 1-65535: the address goes into URLs and the inventory's YAML. */
const registryAddressPattern =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?$/;
/** The OCI distribution grammar for repository name components (Harbor's project names are its one-component case). */
const registryProjectPattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/** Where nodes pull images and files from. Harbor credentials are never stored: they are asked for at deploy time. */
export const RegistrySettingsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bundle'), registryPort: PortSchema, filesPort: PortSchema }),
  z.strictObject({
    kind: z.literal('harbor'),
    /** host[:port] of the Harbor registry. */
    address: z
      .string()
      .trim()
      .min(1, 'Harbor address is empty: type host[:port], such as harbor.lan:443.')
      .max(253, 'Harbor address is longer than 253 characters: type host[:port], such as harbor.lan:443.')
      .regex(
        registryAddressPattern,
        'Harbor address must be host[:port] (a DNS name, an IPv4 address or [IPv6], such as harbor.lan:443): remove any scheme, path, spaces or other characters.',
      ),
    project: z
      .string()
      .trim()
      .min(1, 'Harbor project is empty: type the project holding the images.')
      .max(255, 'Harbor project is longer than 255 characters: type the project holding the images.')
      .regex(
        registryProjectPattern,
        'Harbor project must be lowercase letters and digits joined by ".", "_" or "-" (such as k8s or library): remove other characters.',
      ),
    /** PEM of the CA that signed Harbor's certificate (public, so it may be exported). */
    caCertificate: z.string().max(20_000).optional(),
    username: z.string().max(255).optional(),
    /** Files (binaries) still come from the deploy node. */
    filesPort: PortSchema,
  }),
]);
export type RegistrySettings = z.infer<typeof RegistrySettingsSchema>;

export const ClusterSettingsSchema = z.strictObject({
  /** kubespray `cluster_name`. */
  clusterName: z.string().trim().min(1).max(253),
  kubernetesVersion: z.string().trim().max(50),
  networkPlugin: z.enum(networkPlugins),
  containerRuntime: z.literal('containerd'),
  podCidr: z.string().trim().max(50),
  serviceCidr: z.string().trim().max(50),
  nodePrefix: z.number().int().min(1).max(32),
  kubeProxyMode: z.enum(kubeProxyModes),
  dns: z.strictObject({ mode: z.enum(dnsModes), domain: z.string().trim().min(1).max(253), nodeLocalDns: z.boolean() }),
  apiLoadBalancing: ApiLoadBalancingSchema,
  ntpServers: z.array(z.string().trim().min(1).max(253)).max(20),
  registry: RegistrySettingsSchema,
  /** Expert variables written verbatim (as YAML) into group_vars/all/extra.yml. */
  extraVarsYaml: z.string().max(100_000),
  /** How many etcd snapshots the project's folder keeps, newest first (absent: defaultEtcdBackupsKept). */
  etcdBackupsKept: z
    .number('etcdBackupsKept must be a whole number from 1 to 100.')
    .int('etcdBackupsKept must be a whole number from 1 to 100.')
    .min(1, 'etcdBackupsKept must be at least 1: the last snapshot is always kept.')
    .max(100, 'etcdBackupsKept must be at most 100: older snapshots fill the stick.')
    .optional(),
});
export const defaultEtcdBackupsKept = 5;
export type ClusterSettings = z.infer<typeof ClusterSettingsSchema>;

/** The bundle the plan is made for, as chosen on the Settings step. */
export const ChosenBundleSchema = z.strictObject({
  bundleId: z.string().min(1).max(200),
  kubesprayVersion: z.string().min(1).max(50),
  kubernetesVersions: z.array(z.string().min(1).max(50)).max(50),
  /** Plugins the bundle carries images for; absent when its manifest does not say. */
  networkPlugins: z.array(z.enum(networkPlugins)).optional(),
  /** sha256 of the bundle's manifest.json, written into every export header. */
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The operating systems and architectures the bundle carries packages for; pre-flight checks hosts against them. */
  operatingSystems: z
    .array(z.strictObject({ id: z.string().max(50), version: z.string().max(30) }))
    .max(100)
    .optional(),
  architectures: z.array(z.string().max(20)).max(10).optional(),
});
export type ChosenBundle = z.infer<typeof ChosenBundleSchema>;

export const ClusterPlanSchema = z.strictObject({
  hosts: z.array(ClusterHostSchema).max(1000),
  /** Name of the host where the bundle is unpacked, the registry runs and kubespray is started. */
  deployNode: z.string().nullable(),
  settings: ClusterSettingsSchema,
  bundle: ChosenBundleSchema.nullable(),
});
export type ClusterPlan = z.infer<typeof ClusterPlanSchema>;

/** Kubespray 2.23's defaults, which a new plan starts from. */
export function defaultClusterSettings(clusterName = 'cluster.local'): ClusterSettings {
  return {
    clusterName,
    kubernetesVersion: '',
    networkPlugin: 'calico',
    containerRuntime: 'containerd',
    podCidr: '10.233.64.0/18',
    serviceCidr: '10.233.0.0/18',
    nodePrefix: 24,
    kubeProxyMode: 'ipvs',
    dns: { mode: 'coredns', domain: 'cluster.local', nodeLocalDns: true },
    apiLoadBalancing: { mode: 'local', type: 'nginx' },
    ntpServers: [],
    registry: { kind: 'bundle', registryPort: 5000, filesPort: 8080 },
    extraVarsYaml: '',
  };
}

export function emptyClusterPlan(clusterName?: string): ClusterPlan {
  return { hosts: [], deployNode: null, settings: defaultClusterSettings(clusterName), bundle: null };
}

/** The plan's hosts named in `wanted`, in that order; `refuse` throws for a name absent from the plan or not `fit`. */
export function namedHosts(
  hosts: readonly ClusterHost[],
  wanted: readonly string[],
  fit: (host: ClusterHost) => boolean,
  refuse: (name: string) => never,
): ClusterHost[] {
  return wanted.map((name) => {
    const host = hosts.find((candidate) => candidate.name === name);
    return host && fit(host) ? host : refuse(name);
  });
}
