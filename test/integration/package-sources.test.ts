import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialInput } from '../../electron/common/credentials';
import { kubesprayPackages } from '../../electron/node/bundles/build/kubespray-packages';
import type { DeployContext } from '../../electron/node/deploy/deploy-context';
import { DeployKeyStore } from '../../electron/node/deploy/deploy-key-store';
import type { KeySession } from '../../electron/node/deploy/deploy-operations';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { startOfflineServices } from '../../electron/node/deploy/offline-services';
import { pointPackageSources, restorePackageSources } from '../../electron/node/deploy/package-sources';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { remoteBundleDir as bundleDestination } from '../../electron/node/deploy/remote-layout';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../electron/node/ssh/ssh-connection';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { requireLab } from '../support/lab';
import { buildDebianBundle, openRealKubespray } from '../support/real-kubespray';

const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
};
const deployNode = { name: 'lab1', address: hostAddress(1) };
const node = { name: 'lab2', address: hostAddress(2) };
const debian12 = { id: 'debian', version: '12' };
/** One package kubespray's preinstall installs that the lab's image lacks (checked below before it is installed). */
const missingPackage = 'ipvsadm';

let release: { dir: string; cleanup: () => Promise<void> };
let context: DeployContext;
let session: KeySession;

/** Every file of the host's apt sources with its mode and sha256, to compare byte for byte. */
const sourcesFingerprint = () =>
  execOnHost(
    node.name,
    'cd /etc/apt && find sources.list sources.list.d -xdev 2>/dev/null | sort | while read -r f; do printf "%s %s " "$f" "$(stat -c %a "$f")"; [ -f "$f" ] && sha256sum < "$f" || echo dir; done',
  );

beforeAll(async () => {
  await requireLab();
  release = await openRealKubespray();
  const workDir = await mkdtemp(join(tmpdir(), 'airspray-package-sources-'));
  const bundleDir = join(workDir, 'bundle');
  const { manifest } = await buildDebianBundle(bundleDir, release.dir, `os-lab-${Date.now()}`);
  const hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  const key = (await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('os', 'os')).key;
  const outcomes = await bootstrapDeployKey([deployNode, node], {
    credential: ops,
    key,
    hostKeys,
    acceptNewHostKeys: true,
  });
  expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
  session = { credential: ops, key, hostKeys };
  const connect = () =>
    connectSsh(
      { host: deployNode.address, port: 22 },
      { credential: { user: 'ops', auth: key.credential }, hostKeys },
    ).then((connection) => connection.client);
  const remoteBundleDir = bundleDestination(manifest.bundleId);
  await pushBundle({
    bundleDir,
    manifest,
    destination: remoteBundleDir,
    connect,
    sudoPassword: labAccounts.ops.password,
  });
  const endpoints = { address: deployNode.address, registryPort: null, filesPort: 8080 };
  const client = await connect();
  try {
    await startOfflineServices(client, {
      bundleDir: remoteBundleDir,
      manifest,
      endpoints,
      sudoPassword: labAccounts.ops.password,
    });
  } finally {
    client.end();
  }
  context = {
    hosts: [node],
    deployNode,
    bundleDir,
    manifest,
    remoteBundleDir,
    endpoints,
    registry: { kind: 'bundle', registryPort: 5000, filesPort: 8080 },
  };
}, 900_000);
afterAll(() => release?.cleanup());

describe("a lab host without a route out installs kubespray's packages from the deploy node (lab)", () => {
  it('points apt at repos/debian-12, installs a package the host lacks, and restore puts the sources back byte for byte', async () => {
    expect(await kubesprayPackages(release.dir, debian12)).toContain(missingPackage);
    await expect(execOnHost(node.name, `dpkg -s ${missingPackage}`)).rejects.toThrow();
    const before = await sourcesFingerprint();
    expect(before).toContain('sources.list');

    const pointed = await pointPackageSources(context, session);
    expect(pointed.ok, JSON.stringify(pointed)).toBe(true);
    const url = `http://${deployNode.address}:8080/repos/debian-12`;
    expect(pointed.hosts).toEqual([
      expect.objectContaining({
        name: node.name,
        ok: true,
        os: 'debian-12',
        url,
        wrote: ['/etc/apt/sources.list.d/airspray-offline.list'],
      }),
    ]);
    expect(pointed.hosts[0]!.saved.length).toBeGreaterThan(0);
    expect(await execOnHost(node.name, 'cat /etc/apt/sources.list.d/airspray-offline.list')).toBe(
      `deb [trusted=yes] ${url} ./\n`,
    );

    await execOnHost(node.name, `DEBIAN_FRONTEND=noninteractive apt-get install -y ${missingPackage}`);
    expect(await execOnHost(node.name, `dpkg -s ${missingPackage}`)).toMatch(/^Status: install ok installed$/m);

    const restored = await restorePackageSources([node], session);
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(restored.hosts[0]!.restored.sort()).toEqual([...pointed.hosts[0]!.saved].sort());
    expect(await sourcesFingerprint()).toBe(before);
    await expect(execOnHost(node.name, 'test -e /var/lib/airspray/apt-sources')).rejects.toThrow();
  }, 300_000);
});
