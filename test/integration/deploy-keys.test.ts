import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CredentialInput } from '../../electron/common/credentials';
import { DeployKeyStore } from '../../electron/node/deploy/deploy-key-store';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh, execCommand } from '../../electron/node/ssh/ssh-connection';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { requireLab } from '../support/lab';

const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
};
const hosts = [1, 2, 3, 4].map((index) => ({ name: `lab${index}`, address: hostAddress(index) }));

let workDir: string;

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-deploy-keys-'));
});

describe('deploy key bootstrap on real lab hosts', () => {
  it('installs the key once on every host, keeps 700/600 and the owner, proves key login and sudo, and is idempotent', async () => {
    const hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
    const keys = new DeployKeyStore((id) => join(workDir, id));
    const { key, created } = await keys.getOrCreate('p1', 'lab cluster', 'deploy-key-passphrase');
    expect(created).toBe(true);
    expect(key.protection).toBe('passphrase');
    // A last line without its newline must not swallow the appended key.
    await execOnHost(
      'lab2',
      "install -d -m 700 -o ops -g ops /home/ops/.ssh && printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherOperatorKeyWithoutNewline0000000000000 other' > /home/ops/.ssh/authorized_keys && chown ops:ops /home/ops/.ssh/authorized_keys",
    );

    const first = await bootstrapDeployKey(hosts, { credential: ops, key, hostKeys, acceptNewHostKeys: true });
    expect(
      first.map((outcome) => [
        outcome.name,
        outcome.ok,
        outcome.authorizedKey,
        outcome.keyLogin,
        outcome.sudo,
        outcome.message,
      ]),
    ).toEqual(hosts.map((host) => [host.name, true, 'added', true, 'works', undefined]));

    // A fresh store reads the key back from disk with the passphrase: the same key, no new one.
    const reopened = await new DeployKeyStore((id) => join(workDir, id)).getOrCreate(
      'p1',
      'lab cluster',
      'deploy-key-passphrase',
    );
    expect(reopened.created).toBe(false);
    expect(reopened.key.fingerprint).toBe(key.fingerprint);
    const second = await bootstrapDeployKey(hosts, { credential: ops, key: reopened.key, hostKeys });
    expect(second.map((outcome) => [outcome.ok, outcome.authorizedKey])).toEqual(hosts.map(() => [true, 'present']));

    for (const host of hosts) {
      const listing = await execOnHost(
        host.name,
        'stat -c "%a %U" /home/ops/.ssh /home/ops/.ssh/authorized_keys; cat /home/ops/.ssh/authorized_keys',
      );
      const [dirMode, fileMode, ...lines] = listing.trim().split('\n');
      expect([dirMode, fileMode]).toEqual(['700 ops', '600 ops']);
      expect(lines.filter((line) => line === key.publicKey)).toHaveLength(1);
      if (host.name === 'lab2') expect(lines).toHaveLength(2);
    }

    // The key alone logs in, and sudo takes the password on stdin.
    const session = await connectSsh(
      { host: hostAddress(3), port: 22 },
      { credential: { user: 'ops', auth: key.credential }, hostKeys },
    );
    const whoami = await execCommand(session.client, "sudo -k -S -p '' id -u", `${labAccounts.ops.password}\n`);
    session.client.end();
    expect(whoami.stdout.trim()).toBe('0');
  });

  it('refuses a wrong passphrase by name, and reports a host whose sudo refuses the user', async () => {
    await expect(new DeployKeyStore((id) => join(workDir, id)).get('p1', 'wrong')).rejects.toMatchObject({
      field: 'keyPassphrase',
    });
    const hostKeys = new HostKeyStore(join(workDir, 'known_hosts-auditor'));
    const { key } = await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('p2', 'auditor');
    expect(key.protection).toBe('memory');
    const auditor: CredentialInput = {
      label: 'auditor',
      user: labAccounts.noSudo.user,
      auth: { kind: 'password', password: labAccounts.noSudo.password },
    };
    const [outcome] = await bootstrapDeployKey([hosts[0]!], {
      credential: auditor,
      key,
      hostKeys,
      acceptNewHostKeys: true,
    });
    expect(outcome).toMatchObject({
      ok: false,
      authorizedKey: 'added',
      keyLogin: true,
      sudo: 'refused',
      message: expect.stringContaining('sudo refused'),
    });
  });
});
