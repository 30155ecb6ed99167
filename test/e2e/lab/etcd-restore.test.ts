import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdBackup, EtcdRestoreResult } from '../../../electron/common/etcd-api';
import { execOnHost } from '../../lab/lab';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import type { ApiClient } from '../../support/api-client';
import type { BundleCli } from '../../support/bundle-cli';
import {
  labCliFolder,
  opsLoginArgs,
  serveFixtureCluster,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { requireLab } from '../../support/lab';
import { etcdctlOnHost, planEtcdMembers, removeLabEtcd, startKubesprayShapedEtcdCluster } from '../../support/lab-etcd';

/**
 * A guided etcd restore against a real three-member etcd: Debian's etcd 3.4.23 on lab2, lab3 and lab4 with TLS in
 * kubespray v2.23.3's layout (test/support/lab-etcd.ts says what is a stand-in: the binaries and the PKI). Airspray
 * takes a backup, more is written and deleted, and the restore runs through the built CLI: the keys of the snapshot
 * come back on every member, the later ones are gone, and each member's old data dir is kept aside.
 */
const keyPassphrase = 'etcd-restore-lab-passphrase';
const members = [2, 3, 4].map((index) => ({ name: `lab${index}`, address: hostAddress(index) }));
let lab: ServedFixtureCluster;
let api: ApiClient;
let dataDir: string;
let passwordFile: string;
let cli: BundleCli;
let backup: EtcdBackup;

const etcdctl = (index: number, args: string) => etcdctlOnHost(members[index]!.name, members[index]!.address, args);
const keysOn = async (index: number) =>
  (await etcdctl(index, 'get /airspray-test/ --prefix --keys-only')).split('\n').filter(Boolean).sort();
const airspray = (args: string[]) => cli(...args, '--project', 'etcd-restore', '--data-dir', dataDir);
const restoreArgs = () => ['etcd', 'restore', ...opsLoginArgs(passwordFile), '--backup', backup.file];

beforeAll(async () => {
  await requireLab();
  ({ dataDir, passwordFile, cli } = await labCliFolder('airspray-etcd-restore-', keyPassphrase));
  await startKubesprayShapedEtcdCluster(members);
  for (let index = 1; index <= 5; index++) await etcdctl(0, `put /airspray-test/before${index} value${index}`);
  lab = await serveFixtureCluster(dataDir, 'etcd-restore', { workers: [3, 4], trusted: [1, 2, 3, 4], keyPassphrase });
  api = lab.api;
  // lab2..lab4 in that order: kubespray's etcd1..etcd3.
  await planEtcdMembers(api, lab.projectId, ['lab3', 'lab4']);
  ({ backup } = await api.call('etcd.backup', {
    projectId: lab.projectId,
    credentialId: lab.credentialId,
    keyPassphrase,
  }));
  await etcdctl(1, 'put /airspray-test/after1 later');
  await etcdctl(2, 'put /airspray-test/after2 later');
  await etcdctl(0, 'del /airspray-test/before1');
}, 300_000);

afterAll(async () => {
  await lab?.close();
  await removeLabEtcd(members.map(({ name }) => name));
});

describe('airspray etcd restore on a real three-member etcd in kubespray layout', () => {
  it('refuses without --confirm, naming what is lost, and changes nothing', async () => {
    const { code, stderr } = await airspray(restoreArgs());
    expect(code).toBe(1);
    expect(stderr).toContain(
      `every write to the cluster after ${backup.takenAt} (etcd revision ${backup.revision}) is lost`,
    );
    expect(stderr).toContain('--confirm');
    expect(await keysOn(2)).toContain('/airspray-test/after2');
  }, 60_000);

  it('restores the snapshot on every member: its keys back, the later writes gone, the old data kept aside', async () => {
    const { code, stdout, stderr } = await airspray([...restoreArgs(), '--confirm', '--json']);
    expect(code, stderr).toBe(0);
    expect(`${stdout}${stderr}`).not.toContain(labAccounts.ops.password);
    const result = JSON.parse(stdout) as EtcdRestoreResult;
    expect(result.members.map((member) => [member.host, member.etcdName])).toEqual([
      ['lab2', 'etcd1'],
      ['lab3', 'etcd2'],
      ['lab4', 'etcd3'],
    ]);
    expect(result.health.map((member) => [member.name, member.healthy]).sort()).toEqual([
      ['etcd1', true],
      ['etcd2', true],
      ['etcd3', true],
    ]);
    const expected = [1, 2, 3, 4, 5].map((index) => `/airspray-test/before${index}`);
    for (const index of [0, 1, 2]) expect(await keysOn(index)).toEqual(expected);
    for (const [index, member] of result.members.entries()) {
      expect(member.movedAside).toMatch(/^\/var\/lib\/etcd\.before-restore-\d{8}T\d{9}Z$/);
      // The old data dir still holds the later write.
      const aside = await execOnHost(members[index]!.name, `ls ${member.movedAside}/member`);
      expect(aside).toContain('snap');
    }
    const leftovers = await execOnHost(
      'lab2',
      'ls -d /var/tmp/airspray-etcd.* /var/lib/etcd.restored-* 2>/dev/null || true',
    );
    expect(leftovers).toBe('');
  }, 180_000);

  it('takes writes again after the restore, as one cluster', async () => {
    await etcdctl(0, 'put /airspray-test/after-restore yes');
    expect((await etcdctl(2, 'get /airspray-test/after-restore --print-value-only')).trim()).toBe('yes');
  }, 60_000);
});
