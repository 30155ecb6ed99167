import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AirsprayError } from '../../../../electron/common/errors';
import { acceptListedKeys } from '../../../../electron/node/access/access-handlers';
import { HostKeyList } from '../../../../electron/node/ssh/host-key-list';
import { HostKeyStore } from '../../../../electron/node/ssh/host-key-store';
import { fingerprintOf, formatKnownHostLine } from '../../../../electron/node/ssh/known-hosts';

/** A fresh ed25519 host key, as the SSH wire blob a host presents (string "ssh-ed25519", string key). */
function hostKey(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
  return Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
}

const [keyA, keyB, keyC, keyD] = [hostKey(), hostKey(), hostKey(), hostKey()];

describe('a data center’s host key list', () => {
  it('reads known_hosts lines and fingerprint lines in either order, and judges a presented key by host', () => {
    const list = HostKeyList.parse(
      [
        '# from the CMDB',
        formatKnownHostLine('10.0.0.11', 22, keyA),
        `10.0.0.12 ${fingerprintOf(keyB)}`,
        `${fingerprintOf(keyC)} 10.0.0.13`,
        `[10.0.0.14]:2222 ssh-ed25519 ${fingerprintOf(keyD)}`,
        '',
      ].join('\n'),
    );
    expect(list.judge('10.0.0.11', 22, keyA)).toBe('listed');
    expect(list.judge('10.0.0.12', 22, keyB)).toBe('listed');
    expect(list.judge('10.0.0.13', 22, keyC)).toBe('listed');
    expect(list.judge('10.0.0.14', 2222, keyD)).toBe('listed');
    expect(list.judge('10.0.0.14', 22, keyD)).toBe('unlisted');
    expect(list.judge('10.0.0.12', 22, keyA)).toBe('differs');
    expect(list.fingerprintsFor('10.0.0.12', 22)).toEqual([fingerprintOf(keyB)]);
    expect(list.judge('10.0.0.99', 22, keyA)).toBe('unlisted');
  });

  it('refuses the whole list naming the lines it cannot read, and a list with no key', () => {
    const text = [
      `10.0.0.12 ${fingerprintOf(keyB)}`,
      '10.0.0.13 MD5:aa:bb',
      'just words here',
      `10.0.0.14 SHA256:short`,
    ].join('\n');
    const refusal = (list: string) => {
      try {
        HostKeyList.parse(list);
      } catch (error) {
        return error as AirsprayError;
      }
      throw new Error('the list was accepted');
    };
    expect(refusal(text)).toMatchObject({
      field: 'list',
      i18n: { id: 'ssh.host-key-list-unreadable', params: { lines: '2, 3, 4', moreCount: 0 } },
    });
    const manyBad = Array.from({ length: 8 }, (_, index) => `bad line ${index}`).join('\n');
    expect(refusal(manyBad).i18n?.params).toMatchObject({ moreCount: 8 - 5 });
    expect(refusal('# nothing\n\n').i18n).toEqual({ id: 'ssh.host-key-list-empty', params: {} });
  });
});

describe('confirming the keys hosts presented against the list', () => {
  it('records the listed ones only, reports the differing and the unlisted, and leaves keys on record alone', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'airspray-keylist-')), 'known_hosts');
    await writeFile(file, `${formatKnownHostLine('10.0.0.14', 22, keyD)}\n`);
    const store = new HostKeyStore(file);
    const list = HostKeyList.parse(
      [`10.0.0.11 ${fingerprintOf(keyA)}`, `10.0.0.12 ${fingerprintOf(keyA)}`, `10.0.0.14 ${fingerprintOf(keyA)}`].join(
        '\n',
      ),
    );
    const outcome = await acceptListedKeys(store, list, [
      { address: '10.0.0.11', port: 22, blob: keyA },
      { address: '10.0.0.12', port: 22, blob: keyB },
      { address: '10.0.0.13', port: 22, blob: keyC },
      // On record with keyD: a changed key (here: one the list names) is never accepted this way.
      { address: '10.0.0.14', port: 22, blob: keyA },
      { address: '10.0.0.14', port: 22, blob: keyD },
    ]);
    expect(outcome.accepted.map((key) => key.address)).toEqual(['10.0.0.11']);
    expect(outcome.differing).toEqual([
      { address: '10.0.0.12', presented: fingerprintOf(keyB), listed: [fingerprintOf(keyA)] },
    ]);
    expect(outcome.unlisted.map((key) => [key.address, key.fingerprint])).toEqual([['10.0.0.13', fingerprintOf(keyC)]]);
    expect((await store.judge('10.0.0.11', 22, keyA)).verdict).toBe('known');
    expect((await store.judge('10.0.0.14', 22, keyA)).verdict).toBe('changed');
    expect(await readFile(file, 'utf8')).not.toContain(keyB.toString('base64'));
  });
});
