import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** A function of `count` statement lines, with a blank line and a comment line after each statement. */
const longFunction = (count: number) =>
  [
    'export function sum(): number {',
    '  let total = 0;',
    ...Array.from({ length: count - 4 }, (_, index) => `  total += ${index};\n\n  // the next one`),
    '  return total;',
    '}',
  ].join('\n');

/** The max-lines-per-function messages for `code` linted as if it were the file at `pretendPath`. */
async function longFunctionMessages(code: string, pretendPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(root, pretendPath) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'max-lines-per-function')
    .map((message) => message.message);
}

describe('the function length lint (issue #20)', () => {
  it('fails a function in electron/node over 80 lines, counting neither blank nor comment lines', async () => {
    expect(await longFunctionMessages(longFunction(80), 'electron/node/lint-fixture.ts')).toEqual([]);
    expect(await longFunctionMessages(longFunction(81), 'electron/node/lint-fixture.ts')).toEqual([
      "Function 'sum' has too many lines (81). Maximum allowed is 80.",
    ]);
  });

  it('counts an immediately invoked function too', async () => {
    const iife = `void (() => {\n${longFunction(81)}\n})();`.replace('export function', 'function');
    expect(await longFunctionMessages(iife, 'electron/node/lint-fixture.ts')).toHaveLength(2);
  });

  it('lets a disable comment with its reason excuse one function', async () => {
    const excused = `// eslint-disable-next-line max-lines-per-function -- a table, one line per entry\n${longFunction(81)}`;
    expect(await longFunctionMessages(excused, 'electron/node/lint-fixture.ts')).toEqual([]);
  });

  it('leaves the other layers alone', async () => {
    expect(await longFunctionMessages(longFunction(81), 'renderer/features/lint-fixture.ts')).toEqual([]);
  });
});
