import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import type { CredentialInput } from '../../electron/common/credentials';
import { DeployKeyStore, type DeployKey } from '../../electron/node/deploy/deploy-key-store';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import {
  checkFromHost,
  healthChecks,
  startOfflineServices,
  unitStates,
  waitHealthyFromLaptop,
  type HealthCheck,
} from '../../electron/node/deploy/offline-services';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { connectSsh } from '../../electron/node/ssh/ssh-connection';
import { powerOff, powerOn } from '../lab/lab';
import { hostAddress, labAccounts } from '../lab/lab-network';
import { kubeadmUrlPath, writeDeployBundle } from '../support/deploy-bundle';
import { requireLab } from '../support/lab';

const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
};
const hosts = [1, 2, 3, 4].map((index) => ({ name: `lab${index}`, address: hostAddress(index) }));
const endpoints = { address: hostAddress(1), registryPort: 5000, filesPort: 8080 };

let workDir: string;
let bundle: { dir: string; manifest: BundleManifest };
let key: DeployKey;
let hostKeys: HostKeyStore;
let checks: HealthCheck[];
const connect = (address: string) =>
  connectSsh({ host: address, port: 22 }, { credential: { user: 'ops', auth: key.credential }, hostKeys }).then(
    (session) => session.client,
  );

/** Waits up to `timeoutMs` for every check to pass from this computer, then checks from every host once. */
async function expectHealthyEverywhere(timeoutMs: number): Promise<void> {
  const fromLaptop = await waitHealthyFromLaptop(checks, timeoutMs);
  expect(fromLaptop.checks.filter((check) => !check.ok)).toEqual([]);
  for (const report of await checkFromEveryHost())
    expect(
      report.checks.filter((check) => !check.ok),
      report.from,
    ).toEqual([]);
}

async function checkFromEveryHost() {
  const reports = [];
  for (const host of hosts) {
    const client = await connect(host.address);
    try {
      reports.push(await checkFromHost(client, host.name, checks));
    } finally {
      client.end();
    }
  }
  return reports;
}

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-deploy-services-'));
  bundle = await writeDeployBundle(join(workDir, 'bundle'), {
    largeFiles: 1,
    largeBytes: 9 * 1024 * 1024,
    smallFiles: 20,
    smallBytes: 1024,
    withServices: true,
  });
  hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  key = (await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('services', 'services')).key;
  const outcomes = await bootstrapDeployKey(hosts, { credential: ops, key, hostKeys, acceptNewHostKeys: true });
  expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  await pushBundle({
    bundleDir: bundle.dir,
    manifest: bundle.manifest,
    connect: () => connect(endpoints.address),
    sudoPassword: labAccounts.ops.password,
  });
  checks = healthChecks(bundle.manifest, endpoints);
}, 120_000);

describe('offline services on the deploy node (lab)', () => {
  it('serves images read-only and files by their original URL path, to the laptop and to every host, and survives a reboot', async () => {
    expect(checks.map((check) => check.name)).toEqual(['registry', 'image', 'file', 'repo']);
    expect(checks.find((check) => check.name === 'file')?.url).toBe(
      `http://${endpoints.address}:8080/${kubeadmUrlPath}`,
    );
    const client = await connect(endpoints.address);
    try {
      await startOfflineServices(client, {
        bundleDir: `/var/lib/airspray/bundles/${bundle.manifest.bundleId}`,
        manifest: bundle.manifest,
        endpoints,
        sudoPassword: labAccounts.ops.password,
      });
      expect(await unitStates(client)).toEqual({
        'airspray-registry.service': { enabled: 'enabled', active: 'active' },
        'airspray-files.service': { enabled: 'enabled', active: 'active' },
      });
    } finally {
      client.end();
    }
    await expectHealthyEverywhere(15_000);

    // Read-only: an upload is refused, so nothing on the node can change the bundle's images.
    const upload = await fetch(`http://${endpoints.address}:5000/v2/calico/node/blobs/uploads/`, { method: 'POST' });
    expect(upload.status).not.toBe(202);
    // The bytes served are the bundle's own.
    const kubeadm = await fetch(`http://${endpoints.address}:8080/${kubeadmUrlPath}`);
    const served = createHash('sha256')
      .update(Buffer.from(await kubeadm.arrayBuffer()))
      .digest('hex');
    expect(served).toBe(bundle.manifest.files.find((file) => file.path === `files/${kubeadmUrlPath}`)?.sha256);

    await powerOff('lab1');
    const whileDown = await waitHealthyFromLaptop(checks, 0);
    expect(whileDown.ok).toBe(false);
    await powerOn('lab1');
    await requireLab();
    await expectHealthyEverywhere(30_000);
  }, 120_000);
});
