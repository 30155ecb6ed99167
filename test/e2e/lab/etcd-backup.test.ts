import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdBackupList, EtcdBackupResult } from '../../../electron/common/etcd-api';
import type { HealthReport } from '../../../electron/common/health-api';
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
import {
  etcdCertDir,
  etcdctlOnHost,
  etcdRevision,
  removeLabEtcd,
  startKubesprayShapedEtcd,
} from '../../support/lab-etcd';

/**
 * etcd backups against a real etcd: Debian's etcd 3.4.23 runs on lab2 (the fixture's control plane and etcd member)
 * with TLS in kubespray v2.23.3's layout. The stand-in part is how it got there: the test copies the binaries into
 * /usr/local/bin and makes the PKI with openssl, where kubespray's etcd role would download etcd and run
 * make-ssl-etcd.sh. Everything on Airspray's side is real: the deploy key, sudo, etcdctl snapshot save and status on
 * the member, the SFTP copy, the sha256, the index and the retention, through the built CLI and the API.
 */
const keyPassphrase = 'etcd-backup-lab-passphrase';
const member = { name: 'lab2', address: hostAddress(2) };
let lab: ServedFixtureCluster;
let api: ApiClient;
let dataDir: string;
let passwordFile: string;
let projectId: string, credentialId: string;
let cli: BundleCli;

const etcdctl = (args: string) => etcdctlOnHost(member.name, member.address, args);

const currentRevision = () => etcdRevision(member.name, member.address);

beforeAll(async () => {
  await requireLab();
  ({ dataDir, passwordFile, cli } = await labCliFolder('airspray-etcd-', keyPassphrase));
  await startKubesprayShapedEtcd(member.name, member.address);
  for (let index = 1; index <= 10; index++) await etcdctl(`put /airspray-test/key${index} value${index}`);
  lab = await serveFixtureCluster(dataDir, 'etcd', { trusted: [1, 2, 3], keyPassphrase });
  ({ api, projectId, credentialId } = lab);
}, 240_000);

afterAll(async () => {
  await lab?.close();
  await removeLabEtcd([member.name]);
});

/** The CLI as an operator runs it (built from the sources), on this test's project and data folder. */
const airspray = (args: string[]) => cli(...args, '--project', 'etcd', '--data-dir', dataDir);

const backupArgs = () => ['etcd', 'backup', ...opsLoginArgs(passwordFile)];
const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** etcdctl snapshot status on this machine's own etcdctl, on the copied file. */
function localStatus(path: string): { revision: number; totalKey: number; hash: number } {
  const output = execFileSync('/usr/bin/etcdctl', ['snapshot', 'status', path, '-w', 'json'], {
    env: { ...process.env, ETCDCTL_API: '3' },
  });
  return JSON.parse(output.toString()) as { revision: number; totalKey: number; hash: number };
}

describe('airspray etcd backup on a real etcd in kubespray layout', () => {
  it('copies a checked snapshot into the project folder: sha256, revision and keys as etcd has them', async () => {
    const revision = await currentRevision();
    const { code, stdout, stderr } = await airspray([...backupArgs(), '--json']);
    expect(code, stderr).toBe(0);
    expect(`${stdout}${stderr}`).not.toContain(labAccounts.ops.password);
    const result = JSON.parse(stdout) as EtcdBackupResult;
    const path = join(result.folder, result.backup.file);
    expect(result.backup).toMatchObject({ member, revision, sizeBytes: (await stat(path)).size });
    expect(await sha256Of(path)).toBe(result.backup.sha256);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const status = localStatus(path);
    expect(status).toMatchObject({ revision, totalKey: result.backup.totalKeys, hash: result.backup.etcdHash });
    // The ten keys written, at least (etcd keeps a few of its own).
    expect(result.backup.totalKeys).toBeGreaterThanOrEqual(10);
    expect(await execOnHost(member.name, 'ls -d /var/tmp/airspray-etcd.* 2>/dev/null || true')).toBe('');
  }, 120_000);

  it('keeps the last etcdBackupsKept, newest first, and removes the older files', async () => {
    const project = await api.call('projects.open', { id: projectId });
    await api.call('projects.savePlan', {
      id: projectId,
      revision: project.revision,
      hosts: project.cluster.hosts,
      deployNode: project.cluster.deployNode,
      settings: { ...project.cluster.settings, etcdBackupsKept: 2 },
    });
    await etcdctl('put /airspray-test/key11 value11');
    const second = await api.call('etcd.backup', { projectId, credentialId, keyPassphrase });
    await etcdctl('put /airspray-test/key12 value12');
    const third = await api.call('etcd.backup', { projectId, credentialId, keyPassphrase });
    expect(third.backup.revision).toBe(second.backup.revision + 1);
    expect(third.removed).toHaveLength(1);
    const { code, stdout } = await airspray(['etcd', 'backups', '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as EtcdBackupList;
    expect(list.kept).toBe(2);
    expect(list.backups.map((backup) => backup.file)).toEqual([third.backup.file, second.backup.file]);
    expect((await readdir(list.folder)).sort()).toEqual(['index.json', second.backup.file, third.backup.file].sort());
    const table = await airspray(['etcd', 'backups']);
    expect(table.stdout).toMatch(new RegExp(`lab2 +${third.backup.revision} +${third.backup.totalKeys} `));
  }, 120_000);

  it('puts the members, their health, the database size and the last backup into the health report', async () => {
    const json = await airspray(['report', 'health', ...opsLoginArgs(passwordFile), '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as HealthReport;
    expect(report.etcd).toMatchObject({
      read: true,
      from: 'lab2',
      members: [{ name: 'etcd1', endpoint: `https://${member.address}:2379`, healthy: true, leader: true }],
    });
    const members = report.etcd.read ? report.etcd.members : [];
    expect(members[0]?.version).toMatch(/^3\.4\./);
    expect(members[0]?.dbSizeBytes).toBeGreaterThan(0);
    const newest = JSON.parse((await airspray(['etcd', 'backups', '--json'])).stdout) as EtcdBackupList;
    expect(report.lastBackup).toEqual(newest.backups[0]);
    // kubespray names members etcd1, etcd2, … The lab runs no Kubernetes: nodes are read only where an earlier lab
    // test left the kubectl stand-in and an admin.conf; otherwise the part says why and the rest is still read.
    const kubectlThere = await execOnHost(
      member.name,
      'test -x /usr/local/bin/kubectl && test -f /etc/kubernetes/admin.conf && echo yes || echo no',
    );
    if (kubectlThere.trim() === 'yes') expect(report.nodes).toMatchObject({ read: true, from: 'lab2' });
    else expect(report.nodes.read ? '' : report.nodes.error).toContain('kubectl get nodes failed on lab2');
    const page = join(dataDir, '..', 'health.html');
    const html = await airspray(['report', 'health', ...opsLoginArgs(passwordFile), '--out', page]);
    expect(html.code, html.stderr).toBe(0);
    const text = await readFile(page, 'utf8');
    expect(text).toContain('<h1>Cluster health: etcd</h1>');
    expect(text).toContain(`<td>https://${member.address}:2379</td>`);
    expect(text).not.toContain(labAccounts.ops.password);
    // Operate saves the same page through the API.
    const fromApi = await api.call('health.page', { projectId, credentialId, keyPassphrase });
    expect(fromApi.fileName).toMatch(/^airspray-etcd-health-\d{4}-\d\d-\d\d\.html$/);
    expect(fromApi.html).toContain(`<td>https://${member.address}:2379</td>`);
  }, 120_000);

  it('names the host and the missing certificate when the admin key is not there', async () => {
    const key = `${etcdCertDir}/admin-lab2-key.pem`;
    await execOnHost(member.name, `mv ${key} ${key}.aside`);
    try {
      const { code, stderr } = await airspray(backupArgs());
      expect(code).toBe(1);
      expect(stderr).toContain(`etcd backup on lab2: the certificate ${key} is missing`);
    } finally {
      await execOnHost(member.name, `mv ${key}.aside ${key}`);
    }
  }, 60_000);

  it('names the endpoint and the fix when etcd is down, and keeps nothing', async () => {
    const before = JSON.parse((await airspray(['etcd', 'backups', '--json'])).stdout) as EtcdBackupList;
    await execOnHost(member.name, 'systemctl stop etcd.service');
    try {
      const { code, stderr } = await airspray(backupArgs());
      expect(code).toBe(1);
      expect(stderr).toContain(`etcd backup on lab2: etcd at https://${member.address}:2379 is not healthy`);
      expect(stderr).toContain('systemctl status etcd');
    } finally {
      await execOnHost(member.name, 'systemctl start etcd.service');
    }
    const after = JSON.parse((await airspray(['etcd', 'backups', '--json'])).stdout) as EtcdBackupList;
    expect(after.backups).toEqual(before.backups);
    expect((await readdir(after.folder)).filter((file) => file.endsWith('.db'))).toHaveLength(2);
  }, 90_000);
});
