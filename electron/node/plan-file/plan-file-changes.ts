import { hostRoles } from '../../common/cluster-plan';
import type { PlanFile, PlanFileHostKey } from '../../common/plan-file';
import { fingerprintOf, knownHostName } from '../ssh/known-hosts';

const rolesOf = (plan: PlanFile, host: string) => hostRoles.filter((role) => plan.roles[role].includes(host));
const listOrNone = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');

function hostChanges(before: PlanFile, after: PlanFile): string[] {
  const previous = new Map(before.hosts.map((host) => [host.name, host]));
  const next = new Set(after.hosts.map((host) => host.name));
  const lines: string[] = [];
  for (const host of after.hosts) {
    const was = previous.get(host.name);
    if (!was) {
      lines.push(`add host ${host.name} ${host.address} (roles: ${listOrNone(rolesOf(after, host.name))})`);
      continue;
    }
    if (was.address !== host.address) lines.push(`change address of ${host.name}: ${was.address} → ${host.address}`);
    const [rolesBefore, rolesAfter] = [listOrNone(rolesOf(before, host.name)), listOrNone(rolesOf(after, host.name))];
    if (rolesBefore !== rolesAfter) lines.push(`change roles of ${host.name}: ${rolesBefore} → ${rolesAfter}`);
  }
  for (const host of before.hosts) if (!next.has(host.name)) lines.push(`remove host ${host.name} ${host.address}`);
  // The inventory lists hosts in plan order, and the first control plane is kubespray's first master.
  const keptBefore = before.hosts.filter((host) => next.has(host.name)).map((host) => host.name);
  const keptAfter = after.hosts.filter((host) => previous.has(host.name)).map((host) => host.name);
  if (keptBefore.join() !== keptAfter.join())
    lines.push(`reorder hosts: ${keptBefore.join(', ')} → ${keptAfter.join(', ')}`);
  return lines;
}

const shown = (value: unknown) =>
  value === undefined ? 'unset' : typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One line per setting that differs, nested settings by their dotted path; the expert YAML by its size only. */
function settingChanges(before: unknown, after: unknown, path: string): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (path === 'settings.extraVarsYaml') {
    const lines = (text: unknown) => (typeof text === 'string' ? text.split('\n').filter(Boolean).length : 0);
    return [`change settings.extraVarsYaml: ${lines(before)} line(s) → ${lines(after)} line(s)`];
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => settingChanges(before[key], after[key], `${path}.${key}`));
  }
  return [`change ${path}: ${shown(before)} → ${shown(after)}`];
}

const describeLogin = (login: PlanFile['login']) =>
  login
    ? Object.entries(login)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')
    : 'none';

const keyId = (hostKey: PlanFileHostKey) =>
  `${knownHostName(hostKey.host, hostKey.port ?? 22)} ${hostKey.type} ${hostKey.key}`;
const describeKey = (hostKey: PlanFileHostKey) =>
  `${knownHostName(hostKey.host, hostKey.port ?? 22)} ${hostKey.type} ${fingerprintOf(Buffer.from(hostKey.key, 'base64'))}`;

function hostKeyChanges(before: PlanFile, after: PlanFile): string[] {
  const had = new Set(before.hostKeys.map(keyId));
  const has = new Set(after.hostKeys.map(keyId));
  return [
    ...after.hostKeys
      .filter((hostKey) => !had.has(keyId(hostKey)))
      .map((hostKey) => `trust host key ${describeKey(hostKey)}`),
    ...before.hostKeys
      .filter((hostKey) => !has.has(keyId(hostKey)))
      .map((hostKey) => `forget host key ${describeKey(hostKey)}`),
  ];
}

/** What applying `after` over `before` changes, one line each, in the order of the file; empty when nothing. */
export function describePlanChanges(before: PlanFile, after: PlanFile): string[] {
  const lines = hostChanges(before, after);
  if (before.deployNode !== after.deployNode)
    lines.push(`change deploy node: ${before.deployNode ?? 'none'} → ${after.deployNode ?? 'none'}`);
  if (JSON.stringify(before.bundle) !== JSON.stringify(after.bundle))
    lines.push(`change bundle: ${before.bundle?.id ?? 'none'} → ${after.bundle?.id ?? 'none'}`);
  if (JSON.stringify(before.login) !== JSON.stringify(after.login))
    lines.push(`change login: ${describeLogin(before.login)} → ${describeLogin(after.login)}`);
  return [...lines, ...settingChanges(before.settings, after.settings, 'settings'), ...hostKeyChanges(before, after)];
}
