import { parse, stringify } from 'yaml';
import type { PlanFinding, PlanRuleId } from '../../common/plan-validation';
import { looksLikeSecret, managedVariableNames, type Variables } from './inventory-variables';

/** Not parsed: the YAML parser's own words, or not a mapping (a list, a single value). */
export type ExtraVariablesResult =
  | { ok: true; variables: Variables }
  | { ok: false; notMapping: false; problem: string }
  | { ok: false; notMapping: true };

/** The expert YAML as a variable map; empty text is no variables. */
export function parseExtraVariables(text: string): ExtraVariablesResult {
  if (text.trim() === '') return { ok: true, variables: {} };
  let value: unknown;
  try {
    value = parse(text, { version: '1.1', logLevel: 'error' });
  } catch (error) {
    return { ok: false, notMapping: false, problem: (error as Error).message.split('\n')[0] ?? 'not YAML' };
  }
  if (value === null || value === undefined) return { ok: true, variables: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, notMapping: true };
  return { ok: true, variables: value as Variables };
}

/** One stable spelling of a variable map, so import(export(x)) gives back the same text. */
export function formatExtraVariables(variables: Variables): string {
  const names = Object.keys(variables).sort();
  if (names.length === 0) return '';
  return stringify(Object.fromEntries(names.map((name) => [name, variables[name]])), {
    version: '1.1',
    lineWidth: 0,
    indent: 2,
  });
}

/** Rules on the expert YAML; they need a YAML parser, so they run in Node and reach the UI through the API. */
export function validateExtraVariables(text: string): PlanFinding[] {
  const parsed = parseExtraVariables(text);
  const finding = (rule: PlanRuleId, params: PlanFinding['params']): PlanFinding => ({
    rule,
    severity: 'error',
    field: 'settings.extraVarsYaml',
    params,
  });
  if (!parsed.ok) {
    const params = parsed.notMapping
      ? { notMapping: 'yes', problem: '' }
      : { notMapping: 'no', problem: parsed.problem };
    return [finding('extra-vars-invalid', params)];
  }
  return Object.keys(parsed.variables)
    .sort()
    .flatMap((name) => {
      if (looksLikeSecret(name)) return [finding('extra-vars-secret', { name })];
      return managedVariableNames.has(name) ? [finding('extra-vars-managed', { name })] : [];
    });
}
