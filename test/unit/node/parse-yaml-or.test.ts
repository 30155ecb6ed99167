import { describe, expect, it } from 'vitest';
import { parseYamlOr } from '../../../electron/node/parse-yaml-or';

const refusal = (problem: string) => new Error(`refused: ${problem}`);

describe('parseYamlOr', () => {
  it('reads YAML with the options given', () => {
    expect(parseYamlOr('version: 3.10\n', {}, refusal)).toEqual({ version: 3.1 });
    expect(parseYamlOr('version: 3.10\n', { schema: 'failsafe' }, refusal)).toEqual({ version: '3.10' });
  });

  it("throws the caller's refusal made of the parser's first line only", () => {
    let problem = '';
    expect(() =>
      parseYamlOr('a: [1, 2\nb: c\n', {}, (first) => {
        problem = first;
        return refusal(first);
      }),
    ).toThrow(/^refused: /);
    expect(problem).not.toBe('');
    expect(problem).not.toContain('\n');
  });
});
