import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunDigestSchema } from '../../electron/common/run';
import { AnsibleOutputParser } from '../../electron/node/runs/ansible-output-parser';
import { expectOnlyAirsprayErrors, propertyRuns } from './only-airspray-errors';

// Lines shaped like ansible-playbook's, broken in every way a hostile or broken host could make them.
const host = fc.constantFrom(
  'node1',
  'node2',
  'node1 -> node2',
  '',
  ' ',
  '[',
  ']',
  '__proto__',
  'constructor',
  'ünï',
  'a'.repeat(300),
);
const colour = fc.constantFrom(
  '',
  '\x1b[0;32m',
  '\x1b[0;31m',
  '\x1b[1;35m',
  '\x1b[0m',
  '\x1b[',
  '\x1b[999;999m',
  '\x1b[?25l',
);
const line = fc.oneof(
  fc.tuple(fc.string({ maxLength: 20 }), fc.nat(80)).map(([name, stars]) => `TASK [${name}] ${'*'.repeat(stars)}`),
  fc.tuple(fc.string({ maxLength: 20 })).map(([name]) => `PLAY [${name}] ****`),
  fc
    .tuple(
      fc.constantFrom('ok', 'changed', 'skipping', 'fatal', 'failed', 'unreachable', 'rescued', 'ignored', 'included'),
      host,
      fc.constantFrom('', ': FAILED! => ', ': UNREACHABLE! => ', ' => '),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 40 }),
      ),
    )
    .map(([status, name, sep, rest]) => `${status}: [${name}]${sep}${rest}`),
  fc.constantFrom('...ignoring', 'PLAY RECAP *********', 'NO MORE HOSTS LEFT', '', '   ', '\r'),
  fc
    .tuple(
      host,
      fc.array(
        fc.tuple(
          fc.constantFrom('ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored', 'bogus'),
          fc.oneof(fc.nat(), fc.constantFrom(-1, 1e300, Number.NaN)),
        ),
        { maxLength: 8 },
      ),
    )
    .map(([name, counts]) => `${name} : ${counts.map(([key, value]) => `${key}=${value}`).join(' ')}`),
  fc.string({ maxLength: 60 }),
);
const output = fc
  .array(fc.tuple(colour, line), { maxLength: 25 })
  .map((lines) => lines.map(([paint, text]) => `${paint}${text}\x1b[0m`).join('\n'));

function parseInChunks(text: string, cuts: number[], tasksPlanned?: number) {
  const parser = new AnsibleOutputParser(tasksPlanned);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(text.slice(at, cut));
    parser.snapshot();
    at = Math.max(at, cut);
  }
  parser.push(text.slice(at));
  return parser.end();
}

describe('the Ansible output parser on hostile output', () => {
  it('never throws, gives a digest that fits its schema, and the same digest however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        output,
        fc.array(fc.nat(2000), { maxLength: 6 }),
        fc.option(fc.nat(500), { nil: undefined }),
        async (text, cuts, planned) => {
          const whole = await expectOnlyAirsprayErrors(() => parseInChunks(text, [], planned));
          const chunked = await expectOnlyAirsprayErrors(() =>
            parseInChunks(
              text,
              cuts.map((cut) => cut % (text.length + 1)),
              planned,
            ),
          );
          expect(RunDigestSchema.safeParse(whole).success).toBe(true);
          expect(chunked).toEqual(whole);
        },
      ),
      { numRuns: propertyRuns },
    );
  }, 120_000);

  it('gives the same digest with colour codes anywhere in a line and CRLF line ends', async () => {
    // Text without ESC or CR, so that taking the codes and CRs off again gives it back exactly.
    const plain = fc
      .array(
        line.filter((text) => !text.includes('\x1b') && !text.includes('\r')),
        { maxLength: 25 },
      )
      .map((lines) => lines.join('\n'));
    const code = fc.constantFrom('\x1b[0;32m', '\x1b[0m', '\x1b[1;35m', '\x1b[?25l', '\x1b[0 q');
    await fc.assert(
      fc.asyncProperty(
        plain,
        fc.array(fc.tuple(fc.nat(2000), code), { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.nat(2000), { maxLength: 6 }),
        async (text, insertions, crlf, cuts) => {
          // Codes go between characters of the plain text, never inside another code.
          let painted = '';
          let at = 0;
          for (const [cut, paint] of insertions
            .map(([position, paint]) => [position % (text.length + 1), paint] as const)
            .sort(([a], [b]) => a - b)) {
            painted += text.slice(at, cut) + paint;
            at = cut;
          }
          painted += text.slice(at);
          if (crlf) painted = painted.replaceAll('\n', '\r\n');
          const expected = await expectOnlyAirsprayErrors(() => parseInChunks(text, []));
          expect(
            await expectOnlyAirsprayErrors(() =>
              parseInChunks(
                painted,
                cuts.map((cut) => cut % (painted.length + 1)),
              ),
            ),
          ).toEqual(expected);
        },
      ),
      { numRuns: propertyRuns },
    );
  }, 120_000);
});
