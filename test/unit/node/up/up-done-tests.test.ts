import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PushItem } from '../../../../electron/node/deploy/bundle-source';
import { parseKnownHosts, hasKeyOnRecord } from '../../../../electron/node/ssh/known-hosts';
import { chooseClusterRun } from '../../../../electron/node/up/cluster-stages';
import { recordHoldsBundle } from '../../../../electron/node/up/deploy-stages';
import { credentialFromReference } from '../../../../electron/node/up/up-login';
import { UpInputError } from '../../../../electron/node/up/up-stages';
import { finishedRun } from '../../../support/run-record';

const cluster = { playbook: 'cluster.yml' } as const;

describe('the cluster.yml stage reads the run history', () => {
  const plan = { inventory: 'inv-now', bundle: 'bundle-now' };
  const succeeded = finishedRun(cluster, { id: 'r-ok', inventoryDigest: plan.inventory, bundleDigest: plan.bundle });

  it('is done when a cluster.yml succeeded with the inventory and bundle the plan has now', () => {
    expect(chooseClusterRun([succeeded], plan.inventory, plan.bundle)).toEqual({ kind: 'skip', run: succeeded });
  });

  it('runs again when the plan changed since, or the bundle, or the last one failed', () => {
    expect(chooseClusterRun([succeeded], 'inv-other', plan.bundle)).toEqual({ kind: 'start' });
    expect(chooseClusterRun([succeeded], plan.inventory, 'bundle-other')).toEqual({ kind: 'start' });
    expect(
      chooseClusterRun(
        [finishedRun(cluster, { state: 'failed', inventoryDigest: plan.inventory, bundleDigest: plan.bundle })],
        plan.inventory,
        plan.bundle,
      ),
    ).toEqual({ kind: 'start' });
    // Another playbook's success is not a deploy.
    expect(
      chooseClusterRun(
        [finishedRun({ playbook: 'scale.yml' }, { inventoryDigest: plan.inventory, bundleDigest: plan.bundle })],
        plan.inventory,
        plan.bundle,
      ),
    ).toEqual({ kind: 'start' });
  });

  it('follows a cluster.yml that is still running instead of starting a second one, whatever its inventory', () => {
    const running = finishedRun(cluster, { id: 'r-running', state: 'running', inventoryDigest: 'inv-older' });
    expect(chooseClusterRun([running, succeeded], plan.inventory, plan.bundle)).toEqual({
      kind: 'attach',
      run: running,
    });
  });
});

describe("the push stage reads the node's record of its last complete push", () => {
  const item = (path: string, sha256: string, size = 10) => ({ path, sha256, size }) as PushItem;
  const record = (files: Record<string, { sha256: string; size: number }>) =>
    JSON.stringify({
      formatVersion: 1,
      files: Object.fromEntries(Object.entries(files).map(([path, file]) => [path, { ...file, mtime: '1' }])),
    });
  const items = [item('manifest.json', 'a'.repeat(64)), item('files/kubeadm', 'b'.repeat(64), 99)];
  /** Whether a record of manifest.json as pushed plus `files` holds the bundle `items`. */
  const holds = (files: Record<string, { sha256: string; size: number }>) =>
    recordHoldsBundle(record({ 'manifest.json': { sha256: 'a'.repeat(64), size: 10 }, ...files }), items);

  it('is done when every file of the bundle is recorded with its sha256 and size', () => {
    expect(
      holds({
        'files/kubeadm': { sha256: 'b'.repeat(64), size: 99 },
        'files/old': { sha256: 'c'.repeat(64), size: 1 },
      }),
    ).toBe(true);
  });

  it('is not done with a file missing, another sha256 or size, or a torn record', () => {
    expect(holds({})).toBe(false);
    expect(holds({ 'files/kubeadm': { sha256: 'c'.repeat(64), size: 99 } })).toBe(false);
    expect(holds({ 'files/kubeadm': { sha256: 'b'.repeat(64), size: 98 } })).toBe(false);
    expect(recordHoldsBundle('{"formatVersion":1,"fil', items)).toBe(false);
    expect(recordHoldsBundle('', items)).toBe(false);
  });
});

describe('the host keys stage', () => {
  it('finds a key on record for a host by its plain, hashed or wildcard pattern, and none for another host or port', () => {
    const entries = parseKnownHosts(
      [
        '10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA',
        '|1|c2FsdA==|wBHBEIFkUjYnAae/tAs2SUMnZUg= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA',
        '10.0.1.* ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA',
        '@revoked 10.0.0.13 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA',
      ].join('\n'),
    );
    expect(hasKeyOnRecord(entries, '10.0.0.11', 22)).toBe(true);
    expect(hasKeyOnRecord(entries, '10.0.0.14', 22)).toBe(true);
    expect(hasKeyOnRecord(entries, '10.0.1.7', 22)).toBe(true);
    expect(hasKeyOnRecord(entries, '10.0.0.11', 2222)).toBe(false);
    expect(hasKeyOnRecord(entries, '10.0.0.12', 22)).toBe(false);
    // A revoked key is no key to log in with.
    expect(hasKeyOnRecord(entries, '10.0.0.13', 22)).toBe(false);
  });
});

describe("the plan file's login, resolved from its references", () => {
  it('reads the password and sudo password from the variables the file names', async () => {
    const credential = await credentialFromReference(
      { user: 'ops', passwordEnv: 'PW', sudoPasswordEnv: 'SUDO' },
      { PW: 'pw-value', SUDO: 'sudo-value' },
      '/nowhere',
    );
    expect(credential).toEqual({
      label: 'plan file',
      user: 'ops',
      sudoPassword: 'sudo-value',
      auth: { kind: 'password', password: 'pw-value' },
    });
  });

  it('refuses a variable that is not set as input, naming it', async () => {
    const refused = credentialFromReference(
      { user: 'ops', passwordEnv: 'PW', sudoPasswordEnv: 'SUDO' },
      { PW: 'x' },
      '/nowhere',
    );
    await expect(refused).rejects.toBeInstanceOf(UpInputError);
    await expect(refused).rejects.toThrow('login.sudoPasswordEnv names SUDO, which is not set: export SUDO');
    await expect(credentialFromReference(undefined, {}, '/nowhere')).rejects.toThrow('The plan file has no login');
  });

  it("reads a key file relative to the plan file's folder, and refuses one that is not a key", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airspray-up-login-'));
    await writeFile(join(dir, 'not-a-key'), 'hello\n');
    const refused = credentialFromReference({ user: 'ops', keyFile: 'not-a-key' }, {}, dir);
    await expect(refused).rejects.toBeInstanceOf(UpInputError);
    await expect(refused).rejects.toThrow(`login.keyFile ${join(dir, 'not-a-key')}: The private key cannot be read`);
    await expect(credentialFromReference({ user: 'ops', keyFile: 'missing' }, {}, dir)).rejects.toThrow(
      `login.keyFile ${join(dir, 'missing')} cannot be read (ENOENT)`,
    );
  });
});
