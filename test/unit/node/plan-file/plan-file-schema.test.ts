import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planFileSchemaFileName, planFileSchemaText } from '../../../../electron/node/plan-file/export-plan-file';
import { parsePlanFile } from '../../../../electron/node/plan-file/parse-plan-file';

const docs = join(import.meta.dirname, '..', '..', '..', '..', 'docs');

/** The "complete example" block of docs/plan-file.md. */
async function docsExample(): Promise<string> {
  const page = await readFile(join(docs, 'plan-file.md'), 'utf8');
  const example = /## A complete example\n+```yaml\n([\s\S]*?)```/.exec(page)?.[1];
  if (!example) throw new Error('docs/plan-file.md has no "A complete example" yaml block');
  return example;
}

/**
 * ajv (draft 7, as editors' YAML servers read it) with the formats the generated schema names; their patterns do the
 * checking.
 */
async function validator() {
  const ajv = new Ajv({ strict: true, allErrors: true, formats: { ipv4: true } });
  return ajv.compile(JSON.parse(await readFile(join(docs, planFileSchemaFileName), 'utf8')) as object);
}

describe('the plan file JSON Schema', () => {
  it('shipped in docs/ is exactly the one generated from the zod schema (regenerate it when the schema changes)', async () => {
    expect(await readFile(join(docs, planFileSchemaFileName), 'utf8')).toBe(planFileSchemaText());
  });

  it('accepts the complete example of docs/plan-file.md, which apply accepts too', async () => {
    const example = await docsExample();
    const validate = await validator();
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
    const { plan } = parsePlanFile(example, 'example.plan.yaml');
    expect(plan.hosts.map((host) => host.name)).toEqual(['node1', 'node2', 'node3', 'node4']);
    expect(example.split('\n')[0]).toBe(`# yaml-language-server: $schema=${planFileSchemaFileName}`);
  });

  it('flags in the editor what apply refuses field by field: an unknown key, a wrong type, a port other than 22', async () => {
    const validate = await validator();
    const example = parse(await docsExample()) as {
      hosts: Record<string, unknown>[];
      settings: Record<string, unknown>;
    };
    const variants = [
      { ...example, hosts: [{ ...example.hosts[0], adress: '10.0.0.1' }] },
      { ...example, settings: { ...example.settings, nodePrefix: '24' } },
      { ...example, hosts: [{ ...example.hosts[0], port: 2222 }] },
      { ...example, planFileVersion: 2 },
    ];
    expect(variants.map((variant) => validate(variant))).toEqual([false, false, false, false]);
  });
});
