import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AirsprayError } from '../../electron/common/errors';
import { maxSweepAddresses, parseTargets } from '../../electron/node/discovery/parse-targets';
import { expectOnlyAirsprayErrors, propertyRuns } from './only-airspray-errors';

const octet = fc.oneof(fc.nat(255), fc.integer({ min: 256, max: 99_999 }), fc.constant(-1));
const dottedQuad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));
// Mostly small blocks so a case stays fast; /0-/16 and nonsense prefixes are in the mix too.
const prefix = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 22, max: 32 }) },
  fc.integer({ min: 0, max: 21 }),
  fc.integer({ min: 33, max: 999 }),
  fc.constantFrom('', 'x', '-1', '24.5'),
);
const token = fc.oneof(
  fc.tuple(dottedQuad, prefix).map(([address, bits]) => `${address}/${bits}`),
  fc.tuple(dottedQuad, fc.oneof(fc.nat(300), dottedQuad)).map(([from, to]) => `${from}-${to}`),
  dottedQuad,
  fc.constantFrom(
    '::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '10.0.0.0/8/8',
    '1.2.3.4-',
    '-5',
    '.',
    '/',
    '...',
    'a..b',
    '-a',
    'a-',
  ),
  fc.stringMatching(/^[a-z0-9.-]{1,70}$/),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
);
const separator = fc.constantFrom(' ', ',', '\n', ', ', '\t', '\r\n');
const targetText = fc.tuple(fc.array(token, { maxLength: 6 }), separator).map(([tokens, sep]) => tokens.join(sep));

describe('parseTargets on hostile input', () => {
  it('returns targets within the limit or throws an AirsprayError naming the token and the fix', async () => {
    await fc.assert(
      fc.asyncProperty(targetText, async (text) => {
        const outcome = await expectOnlyAirsprayErrors(() => parseTargets(text));
        if (outcome instanceof AirsprayError) {
          expect(outcome.field).toBe('targets');
        } else {
          expect(outcome.length).toBeGreaterThan(0);
          expect(outcome.length).toBeLessThanOrEqual(maxSweepAddresses);
          for (const target of outcome) expect(target.address ?? target.hostName).toBeTruthy();
        }
      }),
      { numRuns: propertyRuns },
    );
  });
});
