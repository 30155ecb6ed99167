import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployKeyStore } from '../../../../electron/node/deploy/deploy-key-store';

const workDir = await mkdtemp(join(tmpdir(), 'airspray-deploy-keys-'));
afterAll(() => rm(workDir, { recursive: true, force: true }));

describe('deploy keys', () => {
  // ssh2 writes 1 key in 256 malformed (a public key starting with a zero byte): 2000 keys meet that case with
  // probability 1 - (255/256)^2000, above 99.9 %.
  it('makes only keys that ssh2 can load, 2000 in a row', async () => {
    const store = new DeployKeyStore((projectId) => join(workDir, projectId));
    const refused: string[] = [];
    for (let index = 0; index < 2000; index += 1) {
      const { key } = await store.getOrCreate(`project-${index}`, 'lab');
      if (key.credential.kind !== 'key') throw new Error('expected a key credential');
      const parsed = utils.parseKey(key.credential.privateKey);
      if (parsed instanceof Error) refused.push(`${key.publicKey}: ${parsed.message}`);
    }
    expect(refused).toEqual([]);
  });
});
