import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caFileStem, parseCaCertificates } from '../../../../electron/node/deploy/harbor/trust-ca';
import { makeTestCa, type TestCa } from '../../../support/auth-registry';

let dir: string;
let ca: TestCa;
let other: TestCa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airspray-trust-ca-'));
  ca = await makeTestCa(join(dir, 'ca'), 'Harbor');
  other = await makeTestCa(join(dir, 'other'), 'Intermediate');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Harbor CA as the hosts get it', () => {
  it('reads each certificate of a pasted chain, re-encoded as 64-column PEM whatever the line endings', () => {
    const pasted = `  ${other.caPem.replaceAll('\n', '\r\n')}\r\nsome comment\r\n${ca.caPem}`;
    expect(parseCaCertificates(pasted)).toEqual([other.caPem, ca.caPem]);
  });

  it('refuses a missing, empty, certificate-less or damaged CA naming settings.registry.caCertificate', () => {
    const damaged = ca.caPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');
    for (const pem of [undefined, '  ', 'not a certificate', damaged]) {
      expect(() => parseCaCertificates(pem), String(pem)).toThrow(
        expect.objectContaining({ field: 'settings.registry.caCertificate' }),
      );
    }
  });

  it('names the file after the Harbor project, never with "--" (which separates a chain\'s further files) or a path', () => {
    expect(caFileStem('k8s')).toBe('airspray-harbor-k8s');
    expect(caFileStem('Team.Images_1')).toBe('airspray-harbor-team.images_1');
    expect(caFileStem('../etc/passwd')).toBe('airspray-harbor-etc-passwd');
    expect(caFileStem('a--b  c')).toBe('airspray-harbor-a-b-c');
    expect(caFileStem('///')).toBe('airspray-harbor-project');
  });
});
