import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import type { RegistrySettings } from '../../electron/common/cluster-plan';
import type { CredentialInput } from '../../electron/common/credentials';
import type { DeployContext } from '../../electron/node/deploy/deploy-context';
import { DeployKeyStore, type DeployKey } from '../../electron/node/deploy/deploy-key-store';
import { trustHarborCa } from '../../electron/node/deploy/harbor/trust-ca';
import { bootstrapDeployKey } from '../../electron/node/deploy/key-bootstrap';
import { HostKeyStore } from '../../electron/node/ssh/host-key-store';
import { execOnHost } from '../lab/lab';
import { hostAddress, labAccounts, laptopAddress } from '../lab/lab-network';
import { makeTestCa, startAuthRegistry, type TestCa } from '../support/auth-registry';
import type { RunningRegistry } from '../support/bundle-lab';
import { requireLab } from '../support/lab';

const ops: CredentialInput = {
  label: 'ops',
  user: labAccounts.ops.user,
  auth: { kind: 'password', password: labAccounts.ops.password },
};
const hosts = [1, 2, 3, 4].map((index) => ({ name: `lab${index}`, address: hostAddress(index) }));
const rhelShaped = { name: 'lab5', address: hostAddress(5) };
const caFile = '/usr/local/share/ca-certificates/airspray-harbor-k8s.crt';

let workDir: string;
let ca: TestCa;
let otherCa: TestCa;
let registry: RunningRegistry & { address: string };
let key: DeployKey;
let hostKeys: HostKeyStore;

/** Only the parts trustHarborCa reads: the hosts and the registry setting (no bundle is involved). */
function contextFor(targets: { name: string; address: string }[], caCertificate: string): DeployContext {
  const harbor: RegistrySettings = {
    kind: 'harbor',
    address: registry.address,
    project: 'k8s',
    caCertificate,
    username: 'pusher',
    filesPort: 8080,
  };
  return {
    hosts: targets,
    deployNode: targets[0]!,
    bundleDir: workDir,
    manifest: {} as BundleManifest,
    remoteBundleDir: '/var/lib/airspray/bundles/none',
    endpoints: { address: targets[0]!.address, registryPort: null, filesPort: 8080 },
    registry: harbor,
  };
}

/**
 * The registry's /v2/ as a host's TLS clients see it with the OS trust store: Python (OpenSSL) and wget. curl is
 * not on the lab hosts. `status 401` means the handshake was trusted and the registry asked for a login.
 */
async function probeFrom(hostName: string, env = ''): Promise<{ python: string; wget: string }> {
  const url = `https://${registry.address}/v2/`;
  const python = [
    'import sys, urllib.request, urllib.error',
    'try:',
    '    urllib.request.urlopen(sys.argv[1], timeout=10); print("status 200")',
    'except urllib.error.HTTPError as error: print("status", error.code)',
    'except Exception as error: print("error", error)',
  ].join('\n');
  const output = await execOnHost(
    hostName,
    `${env} python3 -c '${python}' ${url}; ${env} wget -q -O /dev/null ${url}; echo "wget exit $?"`,
  );
  const [pythonLine = '', wgetLine = ''] = output.trim().split('\n');
  return { python: pythonLine, wget: wgetLine };
}

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-harbor-ca-'));
  // Harbor's stand-in on the lab bridge's laptop address, so the hosts reach it; its certificate names that address.
  ca = await makeTestCa(join(workDir, 'ca'), 'Harbor', [laptopAddress]);
  otherCa = await makeTestCa(join(workDir, 'other-ca'), 'Intermediate', [laptopAddress]);
  registry = await startAuthRegistry(
    join(workDir, 'store'),
    ca,
    { kind: 'htpasswd', user: 'pusher', password: 'harbor password' },
    laptopAddress,
  );
  hostKeys = new HostKeyStore(join(workDir, 'known_hosts'));
  key = (await new DeployKeyStore((id) => join(workDir, id)).getOrCreate('harbor-ca', 'harbor-ca')).key;
  const outcomes = await bootstrapDeployKey([...hosts, rhelShaped], {
    credential: ops,
    key,
    hostKeys,
    acceptNewHostKeys: true,
  });
  expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  // Hosts 1-4 stay as built: take the CA out of their store again.
  for (const host of hosts)
    await execOnHost(
      host.name,
      'rm -f /usr/local/share/ca-certificates/airspray-harbor-* && update-ca-certificates --fresh >/dev/null',
    ).catch(() => undefined);
  await execOnHost(
    rhelShaped.name,
    'mv -f /usr/sbin/update-ca-certificates.off /usr/sbin/update-ca-certificates; rm -rf /usr/local/bin/update-ca-trust /etc/pki',
  ).catch(() => undefined);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("the Harbor CA in the hosts' trust store (lab)", () => {
  it('makes every host trust Harbor: refused before, trusted after, and a second run changes nothing', async () => {
    const before = await probeFrom('lab2');
    expect(before.python).toMatch(/^error .*CERTIFICATE_VERIFY_FAILED/);
    // wget exit 5: SSL verification failure.
    expect(before.wget).toBe('wget exit 5');

    const first = await trustHarborCa(contextFor(hosts, ca.caPem), { credential: ops, key, hostKeys });
    expect(first.ok).toBe(true);
    expect(first.file).toBe('airspray-harbor-k8s.crt');
    expect(first.hosts.map((host) => [host.name, host.ok, host.store, host.certificate, host.message])).toEqual(
      hosts.map((host) => [host.name, true, 'debian', 'installed', undefined]),
    );

    for (const host of hosts) {
      expect(await execOnHost(host.name, `stat -c '%a %U' ${caFile}`)).toBe('644 root\n');
      // wget exit 6: the registry's login challenge, so the TLS handshake itself was trusted.
      expect(await probeFrom(host.name), host.name).toEqual({ python: 'status 401', wget: 'wget exit 6' });
    }
    expect(await execOnHost('lab3', `cat ${caFile}`)).toBe(ca.caPem.replace(/\r/g, ''));

    const second = await trustHarborCa(contextFor(hosts, ca.caPem), { credential: ops, key, hostKeys });
    expect(second.hosts.map((host) => [host.ok, host.certificate])).toEqual(hosts.map(() => [true, 'present']));
  });

  it('keeps one file per certificate of a pasted chain and removes the ones the plan dropped', async () => {
    const chain = await trustHarborCa(contextFor([hosts[1]!], `${otherCa.caPem}\n${ca.caPem}`), {
      credential: ops,
      key,
      hostKeys,
    });
    expect(chain.hosts[0]).toMatchObject({ ok: true, certificate: 'installed' });
    expect(await execOnHost('lab2', 'ls /usr/local/share/ca-certificates')).toBe(
      'airspray-harbor-k8s--2.crt\nairspray-harbor-k8s.crt\n',
    );
    expect(await execOnHost('lab2', 'cat /usr/local/share/ca-certificates/airspray-harbor-k8s--2.crt')).toBe(
      ca.caPem.replace(/\r/g, ''),
    );

    const back = await trustHarborCa(contextFor([hosts[1]!], ca.caPem), { credential: ops, key, hostKeys });
    expect(back.hosts[0]).toMatchObject({ ok: true, certificate: 'installed' });
    expect(await execOnHost('lab2', 'ls /usr/local/share/ca-certificates')).toBe('airspray-harbor-k8s.crt\n');
    const otherBody = otherCa.caPem.split('\n')[5]!;
    expect(await execOnHost('lab2', `grep -c -F '${otherBody}' /etc/ssl/certs/ca-certificates.crt || true`)).toBe(
      '0\n',
    );
    expect(await probeFrom('lab2')).toEqual({ python: 'status 401', wget: 'wget exit 6' });
  });

  it('reports a host whose sudo refuses the password, and one with no trust store, by name', async () => {
    const wrongSudo: CredentialInput = { ...ops, sudoPassword: 'not the sudo password' };
    const refused = await trustHarborCa(contextFor([hosts[2]!], otherCa.caPem), {
      credential: wrongSudo,
      key,
      hostKeys,
    });
    expect(refused.ok).toBe(false);
    expect(refused.hosts[0]).toMatchObject({
      name: 'lab3',
      ok: false,
      certificate: null,
      message: expect.stringContaining('sudo refused'),
    });
    expect(refused.hosts[0]!.message).not.toContain('not the sudo password');

    await execOnHost(rhelShaped.name, 'mv /usr/sbin/update-ca-certificates /usr/sbin/update-ca-certificates.off');
    const none = await trustHarborCa(contextFor([rhelShaped], ca.caPem), { credential: ops, key, hostKeys });
    expect(none.hosts[0]).toMatchObject({
      ok: false,
      store: null,
      message: expect.stringContaining('install the ca-certificates package'),
    });
  });

  it('uses the RHEL-family store where the host has one', async () => {
    // No RHEL host can run in the lab: lab5 gets RHEL's folders and an update-ca-trust stand-in (a script that
    // builds the extracted bundle from the anchors), enough to prove which store is chosen and that it is rebuilt.
    await execOnHost(
      rhelShaped.name,
      [
        'test -e /usr/sbin/update-ca-certificates.off || mv /usr/sbin/update-ca-certificates /usr/sbin/update-ca-certificates.off',
        // Other files of the same lab run may have trusted a Harbor CA on lab5 through the Debian store.
        'rm -f /usr/local/share/ca-certificates/airspray-harbor-*',
        'mkdir -p /etc/pki/ca-trust/source/anchors /etc/pki/tls/certs',
        `printf '%s\\n' '#!/bin/sh' '[ "$1" = extract ] || exit 2' 'cat /etc/ssl/certs/ca-certificates.crt /etc/pki/ca-trust/source/anchors/*.crt > /etc/pki/tls/certs/ca-bundle.crt' > /usr/local/bin/update-ca-trust`,
        'chmod 755 /usr/local/bin/update-ca-trust',
      ].join(' && '),
    );
    const first = await trustHarborCa(contextFor([rhelShaped], ca.caPem), { credential: ops, key, hostKeys });
    expect(first.hosts[0]).toMatchObject({ ok: true, store: 'rhel', certificate: 'installed' });
    expect(
      await execOnHost(rhelShaped.name, 'ls /etc/pki/ca-trust/source/anchors; ls /usr/local/share/ca-certificates'),
    ).toBe('airspray-harbor-k8s.crt\n');
    // RHEL's OpenSSL reads that bundle by default; Debian's is told to.
    expect(await probeFrom(rhelShaped.name, 'SSL_CERT_FILE=/etc/pki/tls/certs/ca-bundle.crt')).toMatchObject({
      python: 'status 401',
    });
    const second = await trustHarborCa(contextFor([rhelShaped], ca.caPem), { credential: ops, key, hostKeys });
    expect(second.hosts[0]).toMatchObject({ ok: true, store: 'rhel', certificate: 'present' });
  });
});
