import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrRefuse } from '../../../electron/common/describe-issue';

const refusal = (problem: string) => new Error(`refused: ${problem}`);

describe('parseOrRefuse', () => {
  it('answers with what the schema makes of the value', () => {
    const schema = z.object({ count: z.number().default(3) });
    expect(parseOrRefuse(schema, {}, refusal)).toEqual({ count: 3 });
  });

  it("throws the caller's refusal made of the schema's first complaint", () => {
    const schema = z.object({ name: z.string().min(1, 'Write a name.'), size: z.number() });
    expect(() => parseOrRefuse(schema, { name: '', size: 'x' }, refusal)).toThrow('refused: Write a name.');
  });

  it('refuses what is not JSON (undefined) with the schema’s own words', () => {
    expect(() => parseOrRefuse(z.object({}), undefined, refusal)).toThrow(/^refused: Invalid input/);
  });
});
