import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdBackupList, EtcdCollectResult, EtcdTimer } from '../../../electron/common/etcd-api';
import { remoteEtcdTimerDir } from '../../../electron/node/deploy/remote-layout';
import { execOnHost } from '../../lab/lab';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import type { ApiClient } from '../../support/api-client';
import type { BundleCli } from '../../support/bundle-cli';
import {
  labCliFolder,
  opsProjectArgs,
  serveFixtureCluster,
  type ServedFixtureCluster,
} from '../../support/fixture-cluster';
import { requireLab } from '../../support/lab';
import {
  etcdctlOnHost,
  etcdRevision,
  planEtcdMembers,
  removeLabEtcd,
  startKubesprayShapedEtcdCluster,
} from '../../support/lab-etcd';

/**
 * The etcd snapshot timer against a real three-member etcd (Debian's etcd 3.4.23 on lab2, lab3 and lab4 with TLS in
 * kubespray v2.23.3's layout; test/support/lab-etcd.ts says what is a stand-in). lab3 is made the deploy node, so the
 * timer runs there with lab3's own certificates. The units are real systemd units in the lab host; the test starts
 * the service itself instead of waiting hours for the timer, then collects through the built CLI and the API.
 */
const keyPassphrase = 'etcd-timer-lab-passphrase';
const members = [2, 3, 4].map((index) => ({ name: `lab${index}`, address: hostAddress(index) }));
const deployNode = members[1]!;
let lab: ServedFixtureCluster;
let api: ApiClient;
let dataDir: string;
let passwordFile: string;
let cli: BundleCli;

const etcdctl = (args: string) => etcdctlOnHost(deployNode.name, deployNode.address, args);
const airspray = (args: string[]) => cli('etcd', ...args, ...opsProjectArgs('etcd-timer', dataDir, passwordFile));
const onNode = (command: string) => execOnHost(deployNode.name, command);
const snapshotsOnNode = async () =>
  (await onNode(`ls ${remoteEtcdTimerDir}/snapshots`)).split('\n').filter(Boolean).sort();

const currentRevision = () => etcdRevision(deployNode.name, deployNode.address);

beforeAll(async () => {
  await requireLab();
  ({ dataDir, passwordFile, cli } = await labCliFolder('airspray-etcd-timer-', keyPassphrase));
  await startKubesprayShapedEtcdCluster(members);
  for (let index = 1; index <= 5; index++) await etcdctl(`put /airspray-test/key${index} value${index}`);
  lab = await serveFixtureCluster(dataDir, 'etcd-timer', { workers: [3, 4], trusted: [1, 2, 3, 4], keyPassphrase });
  api = lab.api;
  await planEtcdMembers(api, lab.projectId, ['lab3', 'lab4'], deployNode.name);
}, 300_000);

afterAll(async () => {
  await lab?.close();
  await removeLabEtcd(members.map(({ name }) => name));
});

describe('airspray etcd schedule and collect on a real etcd, with systemd in the lab host', () => {
  it('refuses a bad duration naming the flag and the form, before logging in', async () => {
    const { code, stderr } = await airspray(['schedule', '--every', '6 hours']);
    expect(code).toBe(1);
    expect(stderr).toContain('--every "6 hours" is not a duration: write a whole number and m, h or d, such as 6h');
  }, 60_000);

  it('installs the timer on the deploy node, an etcd member, enabled and waiting', async () => {
    const { code, stdout, stderr } = await airspray(['schedule', '--every', '6h', '--keep', '2', '--json']);
    expect(code, stderr).toBe(0);
    expect(`${stdout}${stderr}`).not.toContain(labAccounts.ops.password);
    const timer = JSON.parse(stdout) as EtcdTimer;
    expect(timer).toEqual({ host: deployNode, every: '6h', keep: 2, lastRun: 'success', snapshots: [] });
    expect((await onNode('systemctl is-enabled airspray-etcd-snapshot.timer')).trim()).toBe('enabled');
    expect((await onNode('systemctl is-active airspray-etcd-snapshot.timer')).trim()).toBe('active');
    expect(await onNode('systemctl cat airspray-etcd-snapshot.timer')).toContain('OnUnitActiveSec=6h');
    expect((await onNode(`stat -c %a ${remoteEtcdTimerDir}`)).trim()).toBe('700');
  }, 120_000);

  it('takes a snapshot when its service runs, and collect copies it checked, at the revision etcd had', async () => {
    const revision = await currentRevision();
    await onNode('systemctl start airspray-etcd-snapshot.service');
    const [db, record] = await snapshotsOnNode();
    expect(db).toMatch(/^\d{8}T\d{6}\.\d{3}Z\.db$/);
    expect(record).toBe(db!.replace(/\.db$/, '.json'));
    expect((await onNode(`stat -c %a ${remoteEtcdTimerDir}/snapshots/${db}`)).trim()).toBe('600');
    const { code, stdout, stderr } = await airspray(['collect', '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as EtcdCollectResult;
    expect(result.collected).toHaveLength(1);
    const [backup] = result.collected;
    expect(backup).toMatchObject({ member: deployNode, revision, takenBy: 'timer' });
    const path = join(result.folder, backup!.file);
    expect(
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    ).toBe(backup!.sha256);
    const status = JSON.parse(
      execFileSync('/usr/bin/etcdctl', ['snapshot', 'status', path, '-w', 'json'], {
        env: { ...process.env, ETCDCTL_API: '3' },
      }).toString(),
    ) as { revision: number; totalKey: number };
    expect(status).toMatchObject({ revision, totalKey: backup!.totalKeys });
    expect(await onNode('ls -d /var/tmp/airspray-etcd.* 2>/dev/null || true')).toBe('');
    const again = await api.call('etcd.collect', {
      projectId: lab.projectId,
      credentialId: lab.credentialId,
      keyPassphrase,
    });
    expect(again.collected).toEqual([]);
    expect(again.timer.snapshots.map((taken) => taken.takenAt)).toEqual([backup!.takenAt]);
  }, 180_000);

  it('keeps the last --keep on the node, and collect brings the ones the stick lacks', async () => {
    for (const index of [6, 7]) {
      await etcdctl(`put /airspray-test/key${index} value${index}`);
      await onNode('systemctl start airspray-etcd-snapshot.service');
    }
    expect((await snapshotsOnNode()).filter((file) => file.endsWith('.db'))).toHaveLength(2);
    const { code, stdout, stderr } = await airspray(['collect']);
    expect(code, stderr).toBe(0);
    expect(stdout.match(/^collected .*sha256 [0-9a-f]{64} checked$/gm)).toHaveLength(2);
    const list = JSON.parse(
      (await cli('etcd', 'backups', '--project', 'etcd-timer', '--data-dir', dataDir, '--json')).stdout,
    ) as EtcdBackupList;
    expect(list.backups.map((backup) => backup.takenBy)).toEqual(['timer', 'timer', 'timer']);
    expect(list.backups[0]!.revision).toBe(await currentRevision());
  }, 180_000);

  it('--off removes the units and the folder', async () => {
    const { code, stdout, stderr } = await airspray(['schedule', '--off']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`no etcd snapshot timer on ${deployNode.name}`);
    const left = await onNode(
      `ls /etc/systemd/system/airspray-etcd-snapshot.* ${remoteEtcdTimerDir} 2>/dev/null; systemctl list-timers --all --no-legend | grep airspray || true`,
    );
    expect(left.trim()).toBe('');
  }, 120_000);
});
