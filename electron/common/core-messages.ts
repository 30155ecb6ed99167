import { z } from 'zod';

/**
 * What the core tells a person, by stable id, as ICU MessageFormat in English. The CLI formats these in Node
 * (electron/node/i18n/format-core-message.ts); the window formats the same ids with react-intl, in the chosen language
 * (renderer/i18n/core-zh-CN.json holds the Chinese). Values are names, addresses, numbers: never English words.
 */
export const coreMessages = {
  'plan.control-plane-required':
    'No host has the control plane role: give it to at least one host (three for high availability).',
  'plan.worker-required':
    'No host has the worker role: make at least one host a worker (a control plane may also be one).',
  'plan.etcd-required': 'No host is an etcd member: give the etcd role to one host, or three for high availability.',
  'plan.etcd-odd':
    '{count} etcd members: etcd needs an odd number to keep quorum (kubespray refuses even counts). Use {fewer} or {more}.',
  'plan.host-name-invalid':
    '"{host}" is not a valid node name: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (e.g. "{suggestion}").',
  'plan.host-name-duplicate': '{count} hosts are named "{host}": rename all but one.',
  'plan.address-duplicate': '{hosts} share the address {address}: each host needs its own address.',
  'plan.address-not-on-host':
    '{host}: {address} is not an address of this host (it has {addressCount, plural, =0 {none} other {{addresses}}}): use one of those.',
  'plan.facts-missing':
    '{host} was typed in, not discovered: its address, memory and OS are unchecked. Run discovery to check them.',
  'plan.host-without-role': '{host} has no role and is not the deploy node: give it a role or remove it.',
  'plan.deploy-node-required':
    '{chosen, select, yes {The deploy node "{deployNode}" is not in the host list: pick one of the hosts.} other {No deploy node chosen: pick the host where the bundle is unpacked and kubespray runs.}}',
  'plan.pod-cidr-invalid': 'Pod network "{value}" is not an IPv4 CIDR: type one such as {example}.',
  'plan.service-cidr-invalid': 'Service network "{value}" is not an IPv4 CIDR: type one such as {example}.',
  'plan.cidrs-overlap': 'Pod network {pods} and service network {services} overlap: move one of them.',
  'plan.cidr-overlaps-node-network':
    "{network, select, pod {Pod} other {Service}} network {cidr} overlaps {host}'s network {nodeNetwork}: choose a range no node uses.",
  'plan.node-prefix-too-small':
    'Node prefix /{nodePrefix} is larger than the pod network /{podPrefix}: use a node prefix of /{podPrefix} or longer (e.g. /24).',
  'plan.pod-addresses-insufficient':
    'The pod network /{podPrefix} split into /{nodePrefix} per node has room for {capacity} nodes, but the plan has {nodeCount}: widen the pod network or lengthen the node prefix.',
  'plan.load-balancing-required':
    "{count} control planes but no API load balancing: choose kubespray's local proxy, an external load balancer or kube-vip.",
  'plan.virtual-address-taken':
    "The kube-vip address {address} is {host}'s own address: choose a free address on the same network.",
  'plan.memory-too-small':
    '{need, select, controlPlane {{host} has {memory} MiB of memory; a control plane needs at least {minimum} MiB: add memory or make it a worker.} node {{host} has {memory} MiB of memory; kubespray needs at least {minimum} MiB on a node: add memory or drop its roles.} other {{host} has {memory} MiB of memory; {minimum} MiB or more is recommended for a control plane.}}',
  'plan.bundle-missing':
    'No bundle chosen: versions and plugins are unchecked. Choose the bundle on the Settings step.',
  'plan.kubernetes-version-required': 'No Kubernetes version chosen: pick one the bundle carries on the Settings step.',
  'plan.kubernetes-version-not-in-bundle':
    'Kubernetes {version} is not in bundle {bundle} (it carries {carriedCount, plural, =0 {none} other {{carried}}}): choose one of those.',
  'plan.network-plugin-not-in-bundle':
    'Network plugin {plugin} is not in bundle {bundle} (it carries {carriedCount, plural, =0 {none} other {{carried}}}): choose one of those.',
  'plan.calico-rr-needs-calico':
    'Route reflectors (calico_rr) only matter with Calico, and the plan uses {plugin}: drop the role or switch to Calico.',
  'plan.extra-vars-invalid':
    'Extra variables are not usable YAML ({notMapping, select, yes {it is not a mapping of variable names to values} other {{problem}}}): write one "name: value" per line.',
  'plan.extra-vars-secret':
    'Extra variable "{name}" looks like a secret, and secrets never go into an export: remove it; Airspray asks for secrets at deploy time.',
  'plan.extra-vars-managed':
    'Extra variable "{name}" is set by Airspray from the plan: remove it and use the matching setting instead.',
} as const;

export type CoreMessageId = keyof typeof coreMessages;

/** A message's values: names, addresses, counts. Lists the core already joined with ", " (they are values). */
export const CoreMessageParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type CoreMessageParams = z.infer<typeof CoreMessageParamsSchema>;

export const coreMessageIds = Object.keys(coreMessages) as [CoreMessageId, ...CoreMessageId[]];

/** A message by id with its values, for whoever shows it to format in their language. */
export const CoreMessageSchema = z.object({ id: z.enum(coreMessageIds), params: CoreMessageParamsSchema });
export type CoreMessage = z.infer<typeof CoreMessageSchema>;

/** Lists in a message: the core's values joined once, the same in every language. */
export const joinValues = (values: readonly string[]) => values.join(', ');
