import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CredentialInput } from '../../../../electron/common/credentials';
import { CredentialVault, type SecretSealer } from '../../../../electron/node/access/credential-vault';

/** Stands in for Electron safeStorage, which needs the Electron binary this machine cannot download. */
function aesSealer(): SecretSealer {
  const key = randomBytes(32);
  return {
    unavailableReason: () => undefined,
    seal: (text) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    unseal: (data) => {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const marker = 'MARKER-secret-6f1c2e';
const credential: CredentialInput = {
  label: 'ops',
  user: 'ops',
  auth: { kind: 'password', password: marker },
  sudoPassword: `${marker}-sudo`,
};

describe('CredentialVault', () => {
  it('keeps a profile in memory, and lists it without its secrets', async () => {
    const vault = new CredentialVault(await mkdtemp(join(tmpdir(), 'airspray-vault-')));
    const summary = await vault.add(credential, false);
    expect(summary).toMatchObject({ label: 'ops', kind: 'password', hasSudoPassword: true, persisted: false });
    expect(JSON.stringify(await vault.list())).not.toContain(marker);
    expect((await vault.get(summary.id)).auth).toEqual(credential.auth);
  });

  it('refuses to persist without a keychain, writing nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'airspray-vault-'));
    await expect(new CredentialVault(dataDir).add(credential, true)).rejects.toMatchObject({
      code: 'unsupported',
      field: 'persist',
      i18n: { id: 'access.profile-not-sealable' },
    });
    const plainTextOnly: SecretSealer = { ...aesSealer(), unavailableReason: () => 'it would be stored as plain text' };
    await expect(new CredentialVault(dataDir, plainTextOnly).add(credential, true)).rejects.toMatchObject({
      i18n: { id: 'access.profile-not-sealable', params: { reason: 'it would be stored as plain text' } },
    });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses a profile id it does not hold, naming the field', async () => {
    const vault = new CredentialVault(await mkdtemp(join(tmpdir(), 'airspray-vault-')));
    await expect(vault.get('no-such-profile')).rejects.toMatchObject({
      code: 'not_found',
      field: 'credentialId',
      i18n: { id: 'access.profile-missing', params: {} },
    });
  });

  it('persists sealed: no secret in the file, and a new start reads the profile back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'airspray-vault-'));
    const sealer = aesSealer();
    const summary = await new CredentialVault(dataDir, sealer).add(credential, true);
    const [file] = await readdir(dataDir);
    const text = await readFile(join(dataDir, file!), 'utf8');
    expect(text).not.toContain(marker);
    const reopened = new CredentialVault(dataDir, sealer);
    expect(await reopened.get(summary.id)).toEqual(credential);
    expect(await reopened.remove(summary.id)).toBe(true);
    expect(await new CredentialVault(dataDir, sealer).list()).toEqual([]);
  });

  it('names a private key it cannot read', async () => {
    const vault = new CredentialVault(await mkdtemp(join(tmpdir(), 'airspray-vault-')));
    await expect(
      vault.add({ label: 'k', user: 'ops', auth: { kind: 'key', privateKey: 'not a key' } }, false),
    ).rejects.toMatchObject({ field: 'auth.privateKey' });
  });
});
