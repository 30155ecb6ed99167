import { isDeepStrictEqual } from 'node:util';
import {
  defaultClusterSettings,
  dnsModes,
  kubeProxyModes,
  networkPlugins,
  noRoles,
  type ApiLoadBalancing,
  type ClusterHost,
  type ClusterPlan,
  type ClusterSettings,
  RegistrySettingsSchema,
  type RegistrySettings,
} from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import { ipv4ToNumber } from '../../common/ipv4';
import { parseYamlOr } from '../parse-yaml-or';
import { formatExtraVariables } from './extra-variables';
import { fixedVariables, looksLikeSecret, type Variables } from './inventory-variables';
import { clusterGroupSpellings, roleOfGroup } from './kubespray-names';
import { coreError } from '../i18n/format-core-message';

/** An Ansible inventory reduced to what Airspray reads: groups with their hosts, children and variables. */
export interface AnsibleInventory {
  hosts: Map<string, Variables>;
  groups: Map<string, { hosts: Set<string>; children: Set<string>; vars: Variables }>;
}

export interface InventorySource {
  kind: 'yaml' | 'ini';
  text: string;
  /** Where the text came from, for error messages. */
  origin: string;
  /** group_vars/<group>/*.yml (or group_vars/<group>.yml) already read, per group. */
  groupVars: Record<string, Variables>;
}

export interface ImportedPlan {
  plan: Omit<ClusterPlan, 'bundle'>;
  /** What was read but not kept, one sentence each. */
  notes: string[];
}

// Unknown tags (!!python/object, vault tags) are read as plain values; warnings about them would only reach stderr.
const yamlOptions = { version: '1.1', logLevel: 'error' } as const;

function groupOf(inventory: AnsibleInventory, name: string) {
  let group = inventory.groups.get(name);
  if (!group) {
    group = { hosts: new Set(), children: new Set(), vars: {} };
    inventory.groups.set(name, group);
  }
  return group;
}

function addHost(inventory: AnsibleInventory, name: string, vars: Variables): void {
  inventory.hosts.set(name, { ...(inventory.hosts.get(name) ?? {}), ...vars });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An imported file's YAML; text that is not YAML is refused naming `origin` and the parser's first line. */
function parseYaml(text: string, origin: string): unknown {
  return parseYamlOr(text, yamlOptions, (problem) =>
    coreError('bad_request', 'inventory.yaml-invalid', { origin, problem }, 'path'),
  );
}

/** Ansible's YAML inventory: `all:` (or any top-level group) with `hosts`, `vars` and `children`, nested freely. */
export function readYamlInventory(text: string, origin: string): AnsibleInventory {
  const document = parseYaml(text, origin);
  if (!isRecord(document)) throw coreError('bad_request', 'inventory.no-groups', { origin }, 'path');
  const inventory: AnsibleInventory = { hosts: new Map(), groups: new Map() };
  const visit = (name: string, body: unknown) => {
    const group = groupOf(inventory, name);
    if (body === null || body === undefined) return;
    if (!isRecord(body)) throw coreError('bad_request', 'inventory.group-not-mapping', { origin, group: name }, 'path');
    if (isRecord(body.hosts)) {
      for (const [host, vars] of Object.entries(body.hosts)) {
        group.hosts.add(host);
        addHost(inventory, host, isRecord(vars) ? vars : {});
      }
    }
    if (isRecord(body.vars)) Object.assign(group.vars, body.vars);
    if (isRecord(body.children)) {
      for (const [child, childBody] of Object.entries(body.children)) {
        group.children.add(child);
        visit(child, childBody);
      }
    }
  };
  for (const [name, body] of Object.entries(document)) visit(name, body);
  return inventory;
}

/** Splits `key=value key2="a b"` as Ansible's INI host lines do. */
function splitIniWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /(?:[^\s"']+|"[^"]*"|'[^']*')+/g;
  for (const match of line.matchAll(pattern)) words.push(match[0]);
  return words;
}

const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, '$2');

/** Ansible's INI inventory: [group], [group:vars], [group:children], host lines with key=value variables. */
export function readIniInventory(text: string, origin: string): AnsibleInventory {
  const inventory: AnsibleInventory = { hosts: new Map(), groups: new Map() };
  let section = { group: 'ungrouped', kind: 'hosts' as 'hosts' | 'vars' | 'children' };
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = { group: header[1]!, kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      groupOf(inventory, section.group);
      continue;
    }
    const content = line.replace(/\s+[#;].*$/, '');
    const group = groupOf(inventory, section.group);
    if (section.kind === 'children') {
      group.children.add(content);
      groupOf(inventory, content);
    } else if (section.kind === 'vars') {
      const match = /^([^=\s]+)\s*=\s*(.*)$/.exec(content);
      if (!match)
        throw coreError(
          'bad_request',
          'inventory.ini-group-var-invalid',
          { origin, line: index + 1, text: content, group: section.group },
          'path',
        );
      group.vars[match[1]!] = parseIniValue(match[2]!);
    } else {
      const [host, ...assignments] = splitIniWords(content);
      if (!host) continue;
      if (/\[.+:.+\]/.test(host)) {
        throw coreError('bad_request', 'inventory.ini-host-range', { origin, line: index + 1, host }, 'path');
      }
      const vars: Variables = {};
      for (const assignment of assignments) {
        const at = assignment.indexOf('=');
        if (at <= 0)
          throw coreError(
            'bad_request',
            'inventory.ini-host-var-invalid',
            { origin, line: index + 1, text: assignment, host },
            'path',
          );
        vars[assignment.slice(0, at)] = parseIniValue(assignment.slice(at + 1));
      }
      group.hosts.add(host);
      addHost(inventory, host, vars);
    }
  }
  return inventory;
}

/** INI values are strings unless they read as a number or boolean, as in Ansible's INI plugin. */
function parseIniValue(text: string): unknown {
  const value = unquote(text.trim());
  if (value !== text.trim()) return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

function membersOf(inventory: AnsibleInventory, name: string, seen = new Set<string>()): Set<string> {
  const members = new Set<string>();
  const group = inventory.groups.get(name);
  if (!group || seen.has(name)) return members;
  seen.add(name);
  for (const host of group.hosts) members.add(host);
  for (const child of group.children) for (const host of membersOf(inventory, child, seen)) members.add(host);
  return members;
}

function hostAddress(name: string, vars: Variables): string {
  for (const key of ['ansible_host', 'ip', 'access_ip']) {
    const value = vars[key];
    if (typeof value === 'string' && ipv4ToNumber(value) !== null) return value;
  }
  if (ipv4ToNumber(name) !== null) return name;
  throw coreError('bad_request', 'inventory.host-without-address', { host: name }, 'path');
}

const hostVariableNames = new Set(['ansible_host', 'ip', 'access_ip']);

/** Reads an inventory's variables by name, remembering which it read: the rest become expert variables. */
class VariableReader {
  readonly used = new Set<string>();

  constructor(readonly vars: Variables) {}

  take(name: string): unknown {
    this.used.add(name);
    return this.vars[name];
  }

  /** Variables Airspray derives from the settings it read: never expert variables of their own. */
  derived(...names: string[]): void {
    for (const name of names) this.used.add(name);
  }

  str(name: string, fallback: string): string {
    const value = this.take(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'object') {
      throw coreError(
        'bad_request',
        'inventory.variable-not-single',
        { name, kind: Array.isArray(value) ? 'list' : 'mapping' },
        name,
      );
    }
    return String(value);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.take(name);
    if (value === undefined) return fallback;
    if (allowed.includes(value as T)) return value as T;
    throw coreError(
      'bad_request',
      'inventory.variable-unsupported',
      { name, value: JSON.stringify(value) ?? String(value), allowed: joinValues(allowed) },
      name,
    );
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.take(name);
    return typeof value === 'boolean' ? value : fallback;
  }
}

/** The deploy node as declared, else the host files_repo or registry_host points at. */
function deployNodeOf(
  read: VariableReader,
  hosts: readonly ClusterHost[],
  filesRepo: string,
  registryAddress: string,
  notes: string[],
): string | null {
  const declared = read.take('airspray_deploy_node');
  if (typeof declared === 'string' && hosts.some((host) => host.name === declared)) return declared;
  const filesAddress = /^https?:\/\/([^:/]+)/.exec(filesRepo)?.[1];
  const found = hosts.find((host) => host.address === filesAddress || host.address === registryAddress)?.name ?? null;
  if (found) notes.push(`${found} is the deploy node: files_repo or registry_host points at it.`);
  return found;
}

/**
 * A registry_host elsewhere than the deploy node (or with a project path) is a Harbor; else the bundle's own registry.
 */
function registryOf(
  read: VariableReader,
  registryHost: string,
  filesPort: number,
  deployAddress: string | undefined,
  defaults: ClusterSettings,
): RegistrySettings {
  const registryAddress = registryHost.split('/')[0]!.split(':')[0]!;
  let registry: RegistrySettings = {
    ...(defaults.registry as Extract<RegistrySettings, { kind: 'bundle' }>),
    filesPort,
  };
  const caCertificate = read.take('airspray_registry_ca_certificate');
  const username = read.take('airspray_registry_username');
  if (registryHost && (registryHost.includes('/') || registryAddress !== deployAddress)) {
    const [address, ...project] = registryHost.split('/');
    registry = {
      kind: 'harbor',
      address: address!,
      project: project.join('/') || 'library',
      ...(typeof caCertificate === 'string' ? { caCertificate } : {}),
      ...(typeof username === 'string' ? { username } : {}),
      filesPort,
    };
    const refused = RegistrySettingsSchema.safeParse(registry).error?.issues[0];
    if (refused)
      throw coreError(
        'bad_request',
        'inventory.registry-host-refused',
        { registryHost: String(registryHost), problem: refused.message },
        'registry_host',
      );
  } else if (registryHost) {
    registry = { kind: 'bundle', registryPort: Number(registryHost.split(':')[1] ?? 5000), filesPort };
  }
  read.derived('containerd_registries_mirrors');
  return registry;
}

function apiLoadBalancingOf(read: VariableReader): ApiLoadBalancing {
  let apiLoadBalancing: ApiLoadBalancing;
  const balancer = read.take('loadbalancer_apiserver');
  const localhost = read.take('loadbalancer_apiserver_localhost');
  const domainName = read.take('apiserver_loadbalancer_domain_name');
  if (read.take('kube_vip_enabled') === true) {
    const vipInterface = read.take('kube_vip_interface');
    apiLoadBalancing = {
      mode: 'kube-vip',
      address: read.str('kube_vip_address', ''),
      ...(typeof vipInterface === 'string' ? { interface: vipInterface } : {}),
    };
    read.derived('kube_proxy_strict_arp', 'kube_vip_arp_enabled', 'kube_vip_controlplane_enabled');
  } else if (isRecord(balancer)) {
    apiLoadBalancing = {
      mode: 'external',
      address: String(balancer.address ?? ''),
      port: Number(balancer.port ?? 6443),
      ...(typeof domainName === 'string' ? { domainName } : {}),
    };
  } else if (localhost === false) {
    apiLoadBalancing = { mode: 'none' };
  } else {
    apiLoadBalancing = {
      mode: 'local',
      type: read.oneOf('loadbalancer_apiserver_type', ['nginx', 'haproxy'], 'nginx'),
    };
  }
  read.derived('loadbalancer_apiserver_type');
  return apiLoadBalancing;
}

function ntpServersOf(read: VariableReader): string[] {
  const ntpServers =
    read.take('ntp_enabled') === true && Array.isArray(read.take('ntp_servers'))
      ? (read.vars.ntp_servers as unknown[]).map((entry) => String(entry).trim().split(/\s+/)[0]!).filter(Boolean)
      : [];
  read.derived('ntp_servers', 'ntp_manage_config');
  return ntpServers;
}

/** What no setting read and Airspray does not fix itself; secrets are left out with a note. */
function expertVariables(read: VariableReader, notes: string[]): Variables {
  const extra: Variables = {};
  for (const [name, value] of Object.entries(read.vars)) {
    if (read.used.has(name)) continue;
    if (looksLikeSecret(name)) {
      notes.push(`${name} looks like a secret and was not imported: Airspray asks for secrets at deploy time.`);
    } else if (Object.hasOwn(fixedVariables, name) && isDeepStrictEqual(fixedVariables[name], value)) {
      continue;
    } else {
      extra[name] = value;
    }
  }
  return extra;
}

/**
 * Reads variables into settings; whatever is not a setting and not one of Airspray's fixed values becomes an expert
 * variable.
 */
function variablesToSettings(
  vars: Variables,
  hosts: readonly ClusterHost[],
  fallbackClusterName: string,
  notes: string[],
): { settings: ClusterSettings; deployNode: string | null } {
  const defaults = defaultClusterSettings(fallbackClusterName);
  const read = new VariableReader(vars);
  const containerManager = read.take('container_manager');
  if (containerManager !== undefined && containerManager !== 'containerd') {
    throw coreError(
      'bad_request',
      'inventory.container-manager-unsupported',
      { manager: String(containerManager) },
      'container_manager',
    );
  }
  const registryHost = read.str('registry_host', '');
  const filesRepo = read.str('files_repo', '');
  const filesPort = Number(/:(\d+)\/?$/.exec(filesRepo)?.[1] ?? 8080);
  const deployNode = deployNodeOf(read, hosts, filesRepo, registryHost.split('/')[0]!.split(':')[0]!, notes);
  const registry = registryOf(
    read,
    registryHost,
    filesPort,
    hosts.find((host) => host.name === deployNode)?.address,
    defaults,
  );
  const apiLoadBalancing = apiLoadBalancingOf(read);
  const ntpServers = ntpServersOf(read);
  const nodePrefix = Number(read.take('kube_network_node_prefix') ?? defaults.nodePrefix);
  const settings: ClusterSettings = {
    clusterName: read.str('cluster_name', defaults.clusterName),
    kubernetesVersion: read.str('kube_version', '').replace(/^v/, ''),
    networkPlugin: read.oneOf('kube_network_plugin', networkPlugins, defaults.networkPlugin),
    containerRuntime: 'containerd',
    podCidr: read.str('kube_pods_subnet', defaults.podCidr),
    serviceCidr: read.str('kube_service_addresses', defaults.serviceCidr),
    nodePrefix: Number.isInteger(nodePrefix) ? nodePrefix : defaults.nodePrefix,
    kubeProxyMode: read.oneOf('kube_proxy_mode', kubeProxyModes, defaults.kubeProxyMode),
    dns: {
      mode: read.oneOf('dns_mode', dnsModes, defaults.dns.mode),
      domain: read.str('dns_domain', defaults.dns.domain),
      nodeLocalDns: read.bool('enable_nodelocaldns', defaults.dns.nodeLocalDns),
    },
    apiLoadBalancing,
    ntpServers,
    registry,
    extraVarsYaml: '',
  };
  settings.extraVarsYaml = formatExtraVariables(expertVariables(read, notes));
  return { settings, deployNode };
}

/**
 * Turns an inventory (any kubespray version's group names) and its group_vars into a plan.
 * `previousHosts` keeps discovery facts for hosts that stay at the same name and address.
 */
export function inventoryToPlan(
  source: InventorySource,
  options: { clusterName: string; previousHosts?: readonly ClusterHost[] },
): ImportedPlan {
  const inventory =
    source.kind === 'yaml'
      ? readYamlInventory(source.text, source.origin)
      : readIniInventory(source.text, source.origin);
  const notes: string[] = [];
  const roleMembers = new Map<string, Set<string>>();
  for (const name of inventory.groups.keys()) {
    const role = roleOfGroup(name);
    if (role) {
      roleMembers.set(role, new Set([...(roleMembers.get(role) ?? []), ...membersOf(inventory, name)]));
    } else if (!clusterGroupSpellings.has(name) && name !== 'all' && name !== 'ungrouped') {
      notes.push(`Group "${name}" is not a kubespray role and was not imported.`);
    }
  }
  const previous = new Map((options.previousHosts ?? []).map((host) => [host.name, host]));
  const hosts: ClusterHost[] = [];
  for (const [name, vars] of inventory.hosts) {
    const address = hostAddress(name, vars);
    const roles = { ...noRoles };
    for (const role of Object.keys(roles) as (keyof typeof roles)[])
      roles[role] = roleMembers.get(role)?.has(name) ?? false;
    const facts = previous.get(name)?.address === address ? previous.get(name)?.facts : undefined;
    hosts.push({ name, address, roles, ...(facts ? { facts } : {}) });
    const ignored = Object.keys(vars).filter((key) => !hostVariableNames.has(key));
    if (ignored.length > 0)
      notes.push(
        `${name}: host variables ${ignored.join(', ')} were not imported (Airspray sets connection details on the Access step).`,
      );
  }

  const vars: Variables = {};
  for (const group of ['all', 'k8s_cluster', 'k8s-cluster']) {
    Object.assign(vars, inventory.groups.get(group)?.vars ?? {}, source.groupVars[group] ?? {});
  }
  for (const [group, groupVars] of Object.entries(source.groupVars)) {
    if (!['all', 'k8s_cluster', 'k8s-cluster'].includes(group) && Object.keys(groupVars).length > 0) {
      notes.push(`Variables of group "${group}" were not imported: Airspray keeps cluster-wide settings only.`);
    }
  }
  const { settings, deployNode } = variablesToSettings(vars, hosts, options.clusterName, notes);
  return { plan: { hosts, deployNode, settings }, notes };
}

/** Parses one group_vars file; a file that is not a mapping is refused with its path. */
export function readGroupVarsFile(text: string, origin: string): Variables {
  const value = parseYaml(text, origin);
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw coreError('bad_request', 'inventory.group-vars-not-mapping', { origin }, 'path');
  return value;
}
