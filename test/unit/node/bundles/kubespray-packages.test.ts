import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubesprayPackages } from '../../../../electron/node/bundles/build/kubespray-packages';
import { openRealKubespray, preinstallVars } from '../../../support/real-kubespray';

let release: { dir: string; cleanup: () => Promise<void> };
const debian12 = { id: 'debian', version: '12' };

/** A list variable of one of the release's YAML files, as the release wrote it. */
async function releaseList(path: string, variable: string): Promise<string[]> {
  const document = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  return document[variable] as string[];
}

beforeAll(async () => {
  release = await openRealKubespray();
});
afterAll(() => release?.cleanup());

describe("kubespray 2.23.3's OS packages for Debian 12, from the release's own tasks", () => {
  it('lists what its bootstrap-os and preinstall roles install on Debian 12, and nothing meant for other systems', async () => {
    const packages = await kubesprayPackages(release.dir, debian12);
    // preinstall's vars/debian-12.yml (the first file its include_vars finds for Debian 12) and the defaults' common
    // list.
    const debian12List = await releaseList(preinstallVars(release.dir, 'vars/debian-12.yml'), 'required_pkgs');
    expect(debian12List).toContain('mergerfs');
    for (const name of debian12List) expect(packages).toContain(name);
    const common = (await releaseList(preinstallVars(release.dir, 'defaults/main.yml'), 'common_required_pkgs')).filter(
      (name) => !name.includes('{{'),
    );
    for (const name of common) expect(packages).toContain(name);
    // The Jinja entries, rendered for Debian: openssl rather than openSUSE's openssl-1_1; ipvsadm and ipset for the
    // default ipvs proxy.
    expect(packages).toEqual(expect.arrayContaining(['openssl', 'ipvsadm', 'ipset']));
    // bootstrap-os: python3 through its raw apt-get line (a minimal Debian has none), dbus for the hostname module.
    expect(packages).toEqual(expect.arrayContaining(['python3-minimal', 'dbus']));
    // preinstall pings each host's access_ip, which Airspray's inventory always sets: the real run on the lab failed
    // without it ("No package matching 'iputils-ping' is available").
    expect(packages).toContain('iputils-ping');

    // vars/debian.yml is only the fallback for Debian releases without their own file.
    const fallbackOnly = (await releaseList(preinstallVars(release.dir, 'vars/debian.yml'), 'required_pkgs')).filter(
      (name) => !debian12List.includes(name),
    );
    expect(fallbackOnly).toEqual(expect.arrayContaining(['aufs-tools', 'python-apt']));
    // Off by default or for other systems: NTP (ntp_enabled), ceph (rbd_provisioner_enabled), RedHat's and SUSE's.
    for (const name of [
      ...fallbackOnly,
      'ntp',
      'chrony',
      'ceph-common',
      'openssl-1_1',
      'epel-release',
      'python3-dnf',
      'ethtool',
    ])
      expect(packages).not.toContain(name);
    expect(new Set(packages).size).toBe(packages.length);
  }, 60_000);

  it("follows the inventory: iptables proxy mode drops ipvsadm and ipset, NTP on adds Debian's ntp", async () => {
    const packages = await kubesprayPackages(release.dir, debian12, {
      variables: { kube_proxy_mode: 'iptables', ntp_enabled: true },
    });
    expect(packages).not.toContain('ipvsadm');
    expect(packages).not.toContain('ipset');
    expect(packages).toContain('ntp');
    expect(packages).not.toContain('chrony');
  }, 60_000);

  it('refuses an OS it has no facts for, naming what it supports, and a folder that is not a release, naming the file', async () => {
    await expect(kubesprayPackages(release.dir, { id: 'ubuntu', version: '22.04' })).rejects.toThrow(
      /ubuntu-22.04.*debian-12/,
    );
    const notRelease = await mkdtemp(join(tmpdir(), 'airspray-not-kubespray-'));
    await expect(kubesprayPackages(notRelease, debian12)).rejects.toThrow(
      `${notRelease} has no roles/bootstrap-os/tasks/main.yml`,
    );
  });
});
