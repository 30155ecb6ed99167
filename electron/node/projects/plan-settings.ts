import { z } from 'zod';
import { ClusterSettingsSchema, type ClusterSettings } from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import type { AirsprayError } from '../../common/errors';
import { coreError } from '../i18n/format-core-message';
import { validateExtraVariables } from '../inventory/extra-variables';

/** The part of JSON Schema the settings use, which is all this module reads. */
interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** Each dotted key with the schemas it may hold (one per variant of a choice such as apiLoadBalancing.mode). */
function leavesOf(schema: JsonSchema, prefix: string, into: Map<string, JsonSchema[]>): Map<string, JsonSchema[]> {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    for (const variant of variants) leavesOf(variant, prefix, into);
    return into;
  }
  if (schema.type === 'object' && schema.properties) {
    for (const [key, child] of Object.entries(schema.properties))
      leavesOf(child, prefix ? `${prefix}.${key}` : key, into);
    return into;
  }
  into.set(prefix, [...(into.get(prefix) ?? []), schema]);
  return into;
}

/** Derived from the same zod schema the UI saves through, so a new setting is settable without touching this file. */
const settingLeaves = leavesOf(
  z.toJSONSchema(ClusterSettingsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  '',
  new Map(),
);

/** Every settable dotted key, such as dns.mode or apiLoadBalancing.address. */
export const settingKeys = (): string[] => [...settingLeaves.keys()];

/** A choice's key (apiLoadBalancing.mode, registry.kind): changing it starts that part of the settings afresh. */
const isChoiceKey = (key: string) => (settingLeaves.get(key) ?? []).some((schema) => schema.const !== undefined);

function allowedValues(key: string) {
  const values = (settingLeaves.get(key) ?? []).flatMap((schema) =>
    schema.const !== undefined ? [schema.const] : (schema.enum ?? []),
  );
  return { choiceCount: values.length, choices: joinValues(values.map(String)) };
}

/** Text from the command line in the type the setting holds: numbers, true/false, comma-separated lists. */
function coerce(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const type = settingLeaves.get(key)?.[0]?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return value;
}

function unknownKey(key: string): AirsprayError {
  const parent = key.split('.').slice(0, -1).join('.');
  const siblings = settingKeys().filter((known) => parent && known.startsWith(`${parent}.`));
  const known = siblings.length > 0 ? siblings : settingKeys();
  return coreError(
    'invalid_params',
    'project.setting-unknown',
    { key, siblingCount: siblings.length, parent, known: joinValues(known) },
    key,
  );
}

function withValue(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head = '', ...rest] = path;
  if (rest.length === 0) return { ...target, [head]: value };
  const child = target[head];
  return {
    ...target,
    [head]: withValue(
      typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : {},
      rest,
      value,
    ),
  };
}

export interface SettingAssignment {
  key: string;
  value: unknown;
}

/** The settings with the assignments applied, checked as the UI's save checks them; nothing changes on a refusal. */
export function applySettings(settings: ClusterSettings, assignments: readonly SettingAssignment[]): ClusterSettings {
  for (const { key } of assignments) if (!settingLeaves.has(key)) throw unknownKey(key);
  // A choice goes first: switching apiLoadBalancing.mode to external drops the local proxy's `type` before the address
  // is set.
  const ordered = [...assignments].sort((a, b) => Number(isChoiceKey(b.key)) - Number(isChoiceKey(a.key)));
  let next = settings as unknown as Record<string, unknown>;
  for (const { key, value } of ordered) {
    const path = key.split('.');
    const coerced = coerce(key, value);
    const current = path.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], next);
    next =
      isChoiceKey(key) && current !== coerced
        ? withValue(next, path.slice(0, -1), { [path.at(-1)!]: coerced })
        : withValue(next, path, coerced);
  }
  const parsed = ClusterSettingsSchema.safeParse(next);
  if (!parsed.success) throw refusal(parsed.error, next);
  const secret = validateExtraVariables(parsed.data.extraVarsYaml).find(
    (finding) => finding.rule === 'extra-vars-secret',
  );
  if (secret) throw coreError('invalid_params', 'project.setting-extra-vars-secret', secret.params, 'extraVarsYaml');
  return parsed.data;
}

/** The first problem, by its dotted key, with the fix: the value wanted, or the key a new choice needs. */
function refusal(error: z.ZodError, attempted: Record<string, unknown>): AirsprayError {
  const issue = error.issues[0]!;
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return unknownKey([key, ...issue.keys].filter(Boolean).join('.'));
  const value = issue.path.reduce<unknown>(
    (node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part],
    attempted,
  );
  if (value === undefined) {
    return coreError('invalid_params', 'project.setting-needed', { key, ...allowedValues(key) }, key);
  }
  // zod's message lists the choices itself for an enum or a union's discriminator.
  const listed = issue.code === 'invalid_value' || issue.code === 'invalid_union' ? '' : allowedValues(key).choices;
  return coreError(
    'invalid_params',
    'project.setting-refused',
    { key, value: JSON.stringify(value), problem: issue.message, choiceCount: listed ? 1 : 0, choices: listed },
    key,
  );
}

/** The settings as dotted key and value pairs, the form `airspray plan set` takes them in. */
export function settingValues(settings: ClusterSettings): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [key, child] of Object.entries(node)) walk(child, prefix ? `${prefix}.${key}` : key);
    } else pairs.push([prefix, node]);
  };
  walk(settings, '');
  return pairs;
}
