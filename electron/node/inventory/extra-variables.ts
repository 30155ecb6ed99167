import { parse, stringify } from 'yaml';
import type { PlanFinding } from '../../common/plan-validation';
import { looksLikeSecret, managedVariableNames, type Variables } from './inventory-variables';

export type ExtraVariablesResult = { ok: true; variables: Variables } | { ok: false; problem: string };

/** The expert YAML as a variable map; empty text is no variables. */
export function parseExtraVariables(text: string): ExtraVariablesResult {
  if (text.trim() === '') return { ok: true, variables: {} };
  let value: unknown;
  try {
    value = parse(text, { version: '1.1', logLevel: 'error' });
  } catch (error) {
    return { ok: false, problem: (error as Error).message.split('\n')[0] ?? 'not YAML' };
  }
  if (value === null || value === undefined) return { ok: true, variables: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, problem: 'it is not a mapping of variable names to values' };
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
  const field = 'settings.extraVarsYaml';
  if (!parsed.ok) {
    return [
      {
        rule: 'extra-vars-invalid',
        severity: 'error',
        field,
        message: `Extra variables are not usable YAML (${parsed.problem}): write one "name: value" per line.`,
      },
    ];
  }
  const findings: PlanFinding[] = [];
  for (const name of Object.keys(parsed.variables).sort()) {
    if (looksLikeSecret(name)) {
      findings.push({
        rule: 'extra-vars-secret',
        severity: 'error',
        field,
        message: `Extra variable "${name}" looks like a secret, and secrets never go into an export: remove it; Airspray asks for secrets at deploy time.`,
      });
    } else if (managedVariableNames.has(name)) {
      findings.push({
        rule: 'extra-vars-managed',
        severity: 'error',
        field,
        message: `Extra variable "${name}" is set by Airspray from the plan: remove it and use the matching setting instead.`,
      });
    }
  }
  return findings;
}
