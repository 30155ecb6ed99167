import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { execOnHost } from '../lab/lab';
import { labAccounts } from '../lab/lab-network';
import { deployKeyOnLab1, labDeployNode } from '../support/deploy-key';
import { requireLab } from '../support/lab';
import { requireKubesprayRelease } from '../support/kubespray-release-path';
import { buildReleaseBundle } from '../support/release-bundle';

const deployNode = labDeployNode;

let bundleDir: string;
let manifest: BundleManifest;
let connect: () => Promise<Client>;

beforeAll(async () => {
  await requireLab();
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-links-push-'));
  bundleDir = join(workDir, 'bundle');
  manifest = await buildReleaseBundle(requireKubesprayRelease(), bundleDir, generateSigningKey().privateKeyPem);
  ({ connect } = await deployKeyOnLab1(workDir, 'links'));
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
