import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import type { CredentialInput } from '../../electron/common/credentials';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { DeployKeyStore, type DeployKey } from '../../electron/node/deploy/deploy-key-store';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../electron/node/ssh/ssh-connection';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { requireLab } from '../support/lab';
import { requireKubesprayRelease } from '../support/kubespray-release-path';
import { buildReleaseBundle } from '../support/release-bundle';

const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
};
const deployNode = { name: 'lab1', address: hostAddress(1) };

let bundleDir: string;
let manifest: BundleManifest;
let key: DeployKey;
let hostKeys: HostKeyStore;
const connect = () =>
  connectSsh(
    { host: deployNode.address, port: 22 },
    { credential: { user: 'ops', auth: key.credential }, hostKeys, readyTimeoutMs: 3000 },
  ).then((session) => session.client);

beforeAll(async () => {
  await requireLab();
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-links-push-'));
  bundleDir = join(workDir, 'bundle');
  manifest = await buildReleaseBundle(requireKubesprayRelease(), bundleDir, generateSigningKey().privateKeyPem);
  hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  key = (await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('links', 'links')).key;
  const [outcome] = await bootstrapDeployKey([deployNode], { credential: ops, key, hostKeys, acceptNewHostKeys: true });
  expect(outcome?.ok).toBe(true);
}, 300_000);

describe('the release links on the deploy node (lab)', () => {
  it('recreates every recorded link after the files land, and an unchanged second push keeps them', async () => {
    expect(manifest.links).toHaveLength(18);
    const first = await pushBundle({ bundleDir, manifest, connect, sudoPassword: labAccounts.ops.password });
    const destination = first.destination;
    const readLinks = async () => {
      const listing = manifest.links!.map((link) => `readlink ${destination}/${link.path}`).join('; ');
      return (await execOnHost(deployNode.name, listing)).trim().split('\n');
    };
    expect(await readLinks()).toEqual(manifest.links!.map((link) => link.target));
    // Every link resolves on the node, and ansible's module path finds kube.py through library/.
    const dangling = await execOnHost(deployNode.name, `cd ${destination}/kubespray && find -L . -type l`);
    expect(dangling.trim()).toBe('');
    await execOnHost(
      deployNode.name,
      `test -f ${destination}/kubespray/library/kube.py && test -f ${destination}/kubespray/inventory/local/group_vars/all/all.yml`,
    );

    const second = await pushBundle({ bundleDir, manifest, connect, sudoPassword: undefined });
    expect(second).toMatchObject({ filesSent: 0, bytesSent: 0 });
    expect(await readLinks()).toEqual(manifest.links!.map((link) => link.target));
    await execOnHost(deployNode.name, `test -f ${destination}/kubespray/library/kube.py`);
  });
});
