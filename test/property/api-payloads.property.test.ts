import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMethodNames, apiMethods, type ApiMethodName } from '../../electron/common/api';
import { AirsprayError } from '../../electron/common/errors';
import { createAirsprayCore, type AirsprayCore } from '../../electron/node/api/airspray-core';
import { dispatchApiCall, type ApiHandlers } from '../../electron/node/api/dispatch-api-call';
import { propertyRuns, prototypeNames } from './only-airspray-errors';
import { arbitraryFromSchema } from './schema-arbitrary';

/**
 * Methods whose handlers run for real here: they touch only the temp data folder and local files. Every other
 * method (a sweep, an SSH connection, a run, and any method added later until it is listed) sends traffic to the
 * addresses in its payload, so its handler is replaced by a refusal: for those the schema check is what is fuzzed.
 */
const localMethods = new Set<string>([
  'app.info',
  'bundles.list',
  'projects.list',
  'projects.create',
  'projects.open',
  'projects.setStep',
  'discovery.suggestTargets',
  'discovery.cancel',
  'credentials.list',
  'credentials.add',
  'credentials.remove',
  'access.acceptHostKeys',
  'bundles.verify',
  'bundles.cancelVerification',
  'bundles.verifications',
  'bundles.describePublisherKey',
  'bundles.trustPublisher',
  'projects.setHosts',
  'projects.savePlan',
  'projects.chooseBundle',
  'inventory.validate',
  'inventory.preview',
  'inventory.exportArchive',
  'inventory.saveArchive',
  'inventory.import',
  'inventory.previewImportFiles',
  'inventory.importFiles',
  'cluster.access',
  'cluster.exportKubeconfig',
]);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '/etc/shadow',
    '\u0000',
    "'; rm -rf / #",
    '$(reboot)',
    '`id`',
    'a\nb',
    ...prototypeNames,
    '10.0.0.1',
    'lab',
    'x'.repeat(5000),
    'ÿ\uD800',
    '{{ lookup("pipe","id") }}',
  ),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/**
 * Payloads built from the method's schema (most reach the handler), with the method's field names and hostile
 * values, or anything at all.
 */
function shapedPayload(method: ApiMethodName): fc.Arbitrary<unknown> {
  const params = apiMethods[method].params;
  // A few names only: every project created stays, and each create reads them all, so 10,000 distinct ones would be
  // quadratic. After the first of each, every create takes the conflict path.
  if (method === 'projects.create')
    return fc.oneof(fc.record({ name: fc.constantFrom('lab', 'prod-dc1', 'a', 'x-1') }), value, fc.anything());
  const keys = params instanceof z.ZodObject ? Object.keys(params.shape) : [];
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 4, arbitrary: arbitraryFromSchema(params) },
    { weight: 2, arbitrary: shaped },
    value,
    fc.anything(),
  );
}

const methodName = fc.oneof(
  fc.constantFrom(...apiMethodNames),
  fc.constantFrom('', 'app.info ', 'APP.INFO', 'projects.', ...prototypeNames, 'projects.create\u0000'),
  fc.string({ maxLength: 30 }),
  value,
);

describe('every API method on hostile payloads, through the real dispatcher and a real core', () => {
  let dataDir: string;
  let core: AirsprayCore;
  let handlers: ApiHandlers;
  const internalFailures: unknown[] = [];
  const logError = (error: unknown) => internalFailures.push(error);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'airspray-api-fuzz-'));
    core = createAirsprayCore({
      shell: 'browser',
      version: '0.0.0-fuzz',
      dataDir: { dir: dataDir, source: 'option' },
      bundleLocations: [],
    });
    const refuse = async () => {
      throw new AirsprayError(
        'unsupported',
        'Not run by the fuzz test: this method sends traffic to the addresses in its payload.',
      );
    };
    handlers = Object.fromEntries(
      apiMethodNames.map((method) => [method, localMethods.has(method) ? core.handlers[method] : refuse]),
    ) as ApiHandlers;
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /**
   * The reply is an ok, or an error with a known code and a message naming the problem; nothing escapes as 'internal'.
   */
  async function expectCleanReply(method: unknown, params: unknown) {
    const reply = await dispatchApiCall(handlers, method, params, logError);
    if (!reply.ok) {
      expect(reply.error.code).not.toBe('internal');
      expect(reply.error.message.length).toBeGreaterThan(10);
    }
    expect(internalFailures).toEqual([]);
    return reply;
  }

  it('refuses unknown method names with unknown_method, whatever the payload', async () => {
    await fc.assert(
      fc.asyncProperty(methodName, value, async (method, params) => {
        const reply = await expectCleanReply(method, params);
        if (typeof method !== 'string' || !apiMethodNames.includes(method as ApiMethodName)) {
          expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
        }
      }),
      { numRuns: propertyRuns },
    );
  });

  it.each(apiMethodNames)(
    '%s: a payload that fails its schema is refused as invalid_params; any other ends in a clean reply',
    async (method) => {
      const schema = apiMethods[method].params;
      await fc.assert(
        fc.asyncProperty(shapedPayload(method), async (params) => {
          const reply = await expectCleanReply(method, params);
          if (!schema.safeParse(params ?? {}).success)
            expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
        }),
        { numRuns: propertyRuns },
      );
    },
    120_000,
  );
});
