import { describe, expect, it } from 'vitest';
import { longFunctions, longFunctionsIn } from '../../build/long-functions.mjs';

/** A function body of `count` statement lines. */
const body = (count: number) => Array.from({ length: count }, (_, index) => `  total += ${index};`).join('\n');

describe('the long-function check', () => {
  it("names functions, methods and arrows over the limit by their own or their variable's name, with their line and length", () => {
    const text = [
      'export function short(): number {\n  let total = 0;\n  return total;\n}',
      `export function long(): number {\n  let total = 0;\n${body(10)}\n  return total;\n}`,
      `class Service {\n  method(): number {\n    let total = 0;\n${body(10)}\n    return total;\n  }\n}`,
      `const arrow = () => {\n  let total = 0;\n${body(10)}\n  return total;\n};`,
    ].join('\n\n');
    const found = longFunctionsIn(text, 'sample.ts', 12);
    expect(found.map(({ name, line, lines }) => ({ name, line, lines }))).toEqual([
      { name: 'long', line: 6, lines: 14 },
      { name: 'method', line: 22, lines: 14 },
      { name: 'arrow', line: 38, lines: 14 },
    ]);
    expect(found.every((entry) => entry.reason === undefined)).toBe(true);
  });

  it('takes the reason from a "// long-function:" line directly above, and only there', () => {
    const long = (name: string) => `function ${name}(): number {\n  let total = 0;\n${body(10)}\n  return total;\n}`;
    const text = [
      `/** Doc. */\n// long-function: a table, one line per entry.\nexport ${long('excused')}`,
      `// long-function: a table.\n\n${long('gapped')}`,
      `// long-function:\n${long('empty')}`,
    ].join('\n\n');
    const found = longFunctionsIn(text, 'sample.ts', 12);
    expect(found.map(({ name, reason }) => ({ name, reason }))).toEqual([
      { name: 'excused', reason: 'a table, one line per entry.' },
      { name: 'gapped', reason: undefined },
      { name: 'empty', reason: undefined },
    ]);
  });

  it('finds no function in electron/node over 80 lines without a reason', async () => {
    const unexcused = (await longFunctions(['electron/node'], 80)).filter((entry) => !entry.reason);
    expect(unexcused.map((entry) => `${entry.file}:${entry.line} ${entry.name} (${entry.lines} lines)`)).toEqual([]);
  });
});
