import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AirsprayError } from '../../../../electron/common/errors';
import { quoteShellArg, shellCommand } from '../../../../electron/node/ssh/shell-quote';

const run = promisify(execFile);

/**
 * Runs `command` in a real sh (dash on Debian) whose args are printed NUL-separated, so we see exactly what arrived.
 */
async function argumentsSeenBy(command: string): Promise<string[]> {
  const { stdout } = await run(
    'sh',
    ['-c', `print_args() { for arg in "$@"; do printf '%s\\0' "$arg"; done; }; ${command}`],
    { encoding: 'buffer' },
  );
  const text = stdout.toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\0');
}

const hostile = [
  "it's",
  "'",
  "''''",
  '"double" quotes',
  '$(touch /tmp/airspray-pwned)',
  '`id`',
  '${HOME}',
  '$HOME',
  'a; rm -rf /',
  'a && reboot',
  'a | tee x',
  'line one\nline two',
  '\r\n',
  'back\\slash\\',
  '*',
  '~',
  '-n',
  '--help',
  '',
  ' leading and trailing ',
  '\t',
  '#comment',
  '!event',
  'ünïcødé ✓',
  "'; echo injected; '",
];

describe('quoteShellArg', () => {
  it('delivers each hostile value verbatim as one argument through a real sh -c', async () => {
    for (const value of hostile) {
      expect(await argumentsSeenBy(`print_args ${quoteShellArg(value)}`)).toEqual([value]);
    }
  });

  it('keeps several hostile values apart, in order', async () => {
    expect(await argumentsSeenBy(shellCommand(['print_args', ...hostile]))).toEqual(hostile);
  });

  it('runs nothing a value says: no substitution, no second command, no new line of script', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'airspray-quote-'));
    const marker = join(folder, 'pwned');
    const attacks = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `x\ntouch ${marker}`,
      `' ; touch ${marker}; '`,
      `$(touch ${marker}`,
    ];
    expect(await argumentsSeenBy(shellCommand(['print_args', ...attacks]))).toEqual(attacks);
    expect(existsSync(marker)).toBe(false);
    await rm(folder, { recursive: true, force: true });
  });

  it('delivers any NUL-free string verbatim (200 random strings through sh)', async () => {
    const values = fc.sample(
      fc
        .string({ unit: 'binary', maxLength: 40 })
        .filter((value) => !value.includes('\0') && !/[\uD800-\uDFFF]/.test(value)),
      { numRuns: 200, seed: 7 },
    );
    expect(await argumentsSeenBy(shellCommand(['print_args', ...values]))).toEqual(values);
  });

  it('refuses NUL with an AirsprayError naming the field', () => {
    expect(() => quoteShellArg('a\0b', 'hosts[0].name')).toThrow(AirsprayError);
    expect(() => quoteShellArg('a\0b', 'hosts[0].name')).toThrow(
      expect.objectContaining({
        field: 'hosts[0].name',
        i18n: { id: 'ssh.nul-character', params: { field: 'hosts[0].name' } },
      }),
    );
  });
});
