import fc from 'fast-check';
import type { z } from 'zod';

interface Check {
  check: string;
  format?: string;
  pattern?: RegExp | string;
  minimum?: number;
  maximum?: number;
  value?: number;
}
interface Definition {
  type: string;
  checks?: { _zod: { def: Check } }[];
  format?: string;
  pattern?: RegExp;
  entries?: Record<string, string | number>;
  values?: unknown[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const definitionOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Definition } })._zod.def;
const checksOf = (definition: Definition) => (definition.checks ?? []).map((check) => check._zod.def);
const isOptional = (schema: z.ZodType) => ['optional', 'default'].includes(definitionOf(schema).type);

function stringArbitrary(definition: Definition): fc.Arbitrary<string> {
  const checks = checksOf(definition);
  const minLength = checks.find((check) => check.check === 'min_length')?.minimum ?? 0;
  const maxLength = Math.min(checks.find((check) => check.check === 'max_length')?.maximum ?? 40, 200);
  if (definition.format === 'url')
    return fc.constantFrom('https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm', 'http://10.0.0.1:8080/files/');
  if (definition.format === 'datetime')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString());
  const pattern = definition.pattern ?? checks.find((check) => check.format === 'regex')?.pattern;
  // Without flags: fast-check cannot honour "i", and what matches without it matches with it too.
  const base = pattern
    ? fc.stringMatching(new RegExp(typeof pattern === 'string' ? pattern : pattern.source))
    : fc.string({ minLength, maxLength });
  return base.filter((text) => text.length >= minLength && text.length <= maxLength);
}

function numberArbitrary(definition: Definition): fc.Arbitrary<number> {
  const checks = checksOf(definition);
  const integer = checks.some((check) => check.check === 'number_format' && /int/.test(check.format ?? ''));
  const min = checks.find((check) => check.check === 'greater_than')?.value ?? (integer ? -1_000 : -1e6);
  const max = checks.find((check) => check.check === 'less_than')?.value ?? (integer ? 100_000 : 1e6);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
}

/**
 * Values shaped by a zod schema (strings by their regex or format, numbers in range, objects with their keys), so
 * fuzz cases get past the schema and into the handler. Mostly valid, not always: refinements are not generated.
 */
export function arbitraryFromSchema(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const definition = definitionOf(schema);
  if (depth > 6) return fc.constant(null);
  const inner = (child: z.ZodType) => arbitraryFromSchema(child, depth + 1);
  switch (definition.type) {
    case 'string':
      return stringArbitrary(definition);
    case 'number':
      return numberArbitrary(definition);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...Object.values(definition.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(definition.values ?? []));
    case 'optional':
    case 'default':
      return fc.option(inner(definition.innerType!), { nil: undefined });
    case 'nullable':
      return fc.option(inner(definition.innerType!), { nil: null });
    case 'pipe':
      return inner(definition.in!);
    case 'lazy':
      return inner(definition.getter!());
    case 'union':
      return fc.oneof(...definition.options!.map(inner));
    case 'array': {
      const checks = checksOf(definition);
      const minLength = checks.find((check) => check.check === 'min_length')?.minimum ?? 0;
      const maxLength = Math.max(
        minLength,
        Math.min(checks.find((check) => check.check === 'max_length')?.maximum ?? 4, 4),
      );
      return fc.array(inner(definition.element!), { minLength, maxLength });
    }
    case 'record':
      return fc.dictionary(stringArbitrary(definitionOf(definition.keyType!)), inner(definition.valueType!), {
        maxKeys: 3,
      });
    case 'object': {
      const shape = definition.shape ?? {};
      const required = Object.keys(shape).filter((key) => !isOptional(shape[key]!));
      return fc.record(Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, inner(child)])), {
        requiredKeys: required,
      });
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
}
