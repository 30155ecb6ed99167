import { mkdtempSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, defaultClusterSettings, noRoles } from '../../../../electron/common/cluster-plan';
import type { EtcdBackup } from '../../../../electron/common/etcd-api';
import { AirsprayError } from '../../../../electron/common/errors';
import { backupTable } from '../../../../electron/node/cli/etcd-commands';
import {
  keepNewest,
  readBackupIndex,
  recordBackup,
  snapshotFileName,
} from '../../../../electron/node/etcd/backup-index';
import { snapshotFailure } from '../../../../electron/node/etcd/snapshot-failure';
import { parseSnapshotReport } from '../../../../electron/node/etcd/snapshot-status';
import { onHost, pickEtcdMember } from '../../../../electron/node/etcd/take-snapshot';
import { applySettings } from '../../../../electron/node/projects/plan-settings';

const sha = (digit: string) => digit.repeat(64);
// What etcdctl 3.4.23 printed for a real snapshot (Debian's etcd-client).
const realStatus = '{"hash":1674744245,"revision":2,"totalKey":5,"totalSize":20480}';

function backup(takenAt: string, file = `${takenAt.replace(/[-:]/g, '')}-lab2.db`): EtcdBackup {
  return {
    file,
    takenAt,
    member: { name: 'lab2', address: '10.231.0.12' },
    sizeBytes: 20480,
    sha256: sha('a'),
    revision: 2,
    totalKeys: 5,
    etcdHash: 1,
  };
}

describe('the snapshot script report', () => {
  it("reads etcdctl's status JSON and the member's sha256", () => {
    expect(parseSnapshotReport(`status ${realStatus}\nsha256 ${sha('b')}\n`)).toEqual({
      status: { hash: 1674744245, revision: 2, totalKey: 5, totalSize: 20480 },
      sha256: sha('b'),
    });
  });

  it('refuses a report without its lines, with output that is not JSON, or without the fields', () => {
    expect(() => parseSnapshotReport(`status ${realStatus}\n`)).toThrow(/did not print its status and sha256/);
    expect(() => parseSnapshotReport(`status Error: bad\nsha256 ${sha('b')}`)).toThrow(/printed no JSON: Error: bad/);
    expect(() => parseSnapshotReport(`status {"hash":1}\nsha256 ${sha('b')}`)).toThrow(/lacks hash, revision/);
  });

  it('refuses an empty snapshot', () => {
    const empty = '{"hash":0,"revision":0,"totalKey":0,"totalSize":0}';
    expect(() => parseSnapshotReport(`status ${empty}\nsha256 ${sha('c')}`)).toThrow(/empty snapshot/);
  });
});

describe('snapshot file names', () => {
  it('carry the time to the millisecond and the member, and sort by time', () => {
    const first = snapshotFileName(new Date('2026-12-06T02:15:00.120Z'), 'lab2');
    const second = snapshotFileName(new Date('2026-12-06T02:15:00.950Z'), 'lab2');
    expect(first).toBe('20261206T021500.120Z-lab2.db');
    expect([second, first].sort()).toEqual([first, second]);
  });

  it('keep only safe characters of the host name', () => {
    expect(snapshotFileName(new Date('2026-12-06T02:15:00.000Z'), 'a/b c')).toBe('20261206T021500.000Z-a-b-c.db');
  });
});

describe('retention', () => {
  it('keeps the newest N whatever the order they come in', () => {
    const backups = ['2026-12-03T00:00:00.000Z', '2026-12-05T00:00:00.000Z', '2026-12-04T00:00:00.000Z'].map((at) =>
      backup(at),
    );
    const { kept, removed } = keepNewest(backups, 2);
    expect(kept.map((entry) => entry.takenAt)).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-04T00:00:00.000Z']);
    expect(removed.map((entry) => entry.takenAt)).toEqual(['2026-12-03T00:00:00.000Z']);
  });

  it('records each backup in the index and removes the files beyond N', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'etcd-backups-'));
    const taken = ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z'].map((at) =>
      backup(at),
    );
    const removed: string[] = [];
    for (const entry of taken) {
      await writeFile(join(folder, entry.file), 'snapshot');
      removed.push(...(await recordBackup(folder, entry, 2)).map((old) => old.file));
    }
    expect(removed).toEqual([taken[0]!.file]);
    expect((await readBackupIndex(folder)).backups).toEqual([taken[2], taken[1]]);
    expect((await readdir(folder)).sort()).toEqual([taken[1]!.file, taken[2]!.file, 'index.json'].sort());
    expect(JSON.parse(await readFile(join(folder, 'index.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('starts empty without an index, and refuses a damaged one naming the file and the fix', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'etcd-backups-'));
    expect(await readBackupIndex(folder)).toEqual({ version: 1, backups: [] });
    await writeFile(join(folder, 'index.json'), '{"version":1,"backups":[{"file":"x"}]}');
    const refusal = await readBackupIndex(folder).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AirsprayError);
    expect(refusal).toMatchObject({
      field: 'index',
      i18n: { id: 'etcd.backup-index-unreadable', params: { path: join(folder, 'index.json') } },
    });
  });
});

describe('the etcdBackupsKept setting', () => {
  it('is optional, and set from the command line as a number', () => {
    const settings = defaultClusterSettings('prod');
    expect(ClusterSettingsSchema.parse(settings).etcdBackupsKept).toBeUndefined();
    expect(applySettings(settings, [{ key: 'etcdBackupsKept', value: '3' }]).etcdBackupsKept).toBe(3);
  });

  it('refuses 0, 101 and fractions naming the field', () => {
    for (const value of [0, 101, 2.5]) {
      const result = ClusterSettingsSchema.safeParse({ ...defaultClusterSettings('prod'), etcdBackupsKept: value });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/^etcdBackupsKept must be/);
    }
    expect(() => applySettings(defaultClusterSettings('prod'), [{ key: 'etcdBackupsKept', value: '0' }])).toThrow(
      /etcdBackupsKept/,
    );
  });
});

describe('the member', () => {
  const host = (name: string, etcd: boolean) => ({
    name,
    address: `10.0.0.${name.length}`,
    roles: { ...noRoles, etcd },
  });

  it("is the plan's first etcd host, or the one named", () => {
    const hosts = [host('w1', false), host('cp1', true), host('cp22', true)];
    expect(pickEtcdMember(hosts).name).toBe('cp1');
    expect(pickEtcdMember(hosts, 'cp22').name).toBe('cp22');
  });

  it('is refused with the fix when the plan has none, or the named host is not one', () => {
    expect(() => pickEtcdMember([host('w1', false)])).toThrow(
      expect.objectContaining({ field: 'hosts', i18n: { id: 'roles.no-etcd-member', params: {} } }),
    );
    expect(() => pickEtcdMember([host('w1', false), host('cp1', true)], 'w1')).toThrow(
      /w1 is not an etcd member of the plan: pick one of cp1/,
    );
  });
});

describe('snapshot failures', () => {
  const fail = (code: number, stderr: string) => snapshotFailure('lab2', '10.231.0.12', { code, stdout: '', stderr });

  it('name the host, what is missing and the fix', () => {
    expect(fail(3, '/usr/local/bin/etcdctl\n')).toMatchObject({
      code: 'missing_on_node',
      field: 'member',
      i18n: { id: 'etcd.backup-no-etcdctl', params: { host: 'lab2', detail: '/usr/local/bin/etcdctl' } },
    });
    expect(fail(4, '/etc/ssl/etcd/ssl/admin-lab2.pem\n').i18n).toMatchObject({
      id: 'etcd.backup-certificate-missing',
      params: { host: 'lab2', detail: '/etc/ssl/etcd/ssl/admin-lab2.pem' },
    });
  });

  it('tell a full disk from etcd not answering, keeping etcdctl last words', () => {
    const full = 'log line / Error: write /var/tmp/x/snapshot.db.part: no space left on device';
    expect(fail(5, full.replace(' / ', '\n')).i18n).toMatchObject({
      id: 'etcd.backup-disk-full',
      params: { host: 'lab2', detail: full },
    });
    expect(fail(7, 'Error: unhealthy cluster').i18n).toMatchObject({
      id: 'etcd.backup-unhealthy',
      params: { address: '10.231.0.12', detail: 'Error: unhealthy cluster' },
    });
    expect(fail(5, 'Error: rpc error: code = Unavailable').i18n).toMatchObject({
      id: 'etcd.backup-save-failed',
      params: { address: '10.231.0.12', detail: 'Error: rpc error: code = Unavailable' },
    });
    expect(fail(6, 'Error: snapshot file integrity check failed').i18n?.id).toBe('etcd.backup-check-failed');
    // The English the CLI prints keeps etcdctl's words and the fix.
    expect(fail(7, 'Error: unhealthy cluster').message).toMatch(
      /etcd at https:\/\/10.231.0.12:2379 is not healthy \(Error: unhealthy cluster\): check that etcd runs there/,
    );
  });

  it('name the host when what failed is not worded yet, and keep the worded ones as they are', () => {
    const raw = onHost('lab2', new Error('the snapshot script did not print its status and sha256 lines'));
    expect(raw).toBeInstanceOf(AirsprayError);
    expect(raw.i18n).toEqual({
      id: 'etcd.backup-failed',
      params: { host: 'lab2', detail: 'the snapshot script did not print its status and sha256 lines' },
    });
    const worded = fail(3, '/usr/local/bin/etcdctl');
    expect(onHost('lab2', worded)).toBe(worded);
  });

  it('name a refused sudo as such', () => {
    expect(fail(1, 'Sorry, try again.\nsudo: 1 incorrect password attempt')).toMatchObject({ code: 'sudo_refused' });
  });
});

describe('the backups table', () => {
  it('has one row per snapshot with its revision, keys and size', () => {
    const rows = backupTable([backup('2026-12-06T02:15:00.000Z')]);
    expect(rows[0]).toEqual(['TAKEN', 'MEMBER', 'REVISION', 'KEYS', 'SIZE', 'SHA256', 'FILE']);
    expect(rows[1]).toEqual([
      '2026-12-06T02:15:00.000Z',
      'lab2',
      '2',
      '5',
      '20 kB',
      'a'.repeat(16),
      '20261206T021500.000Z-lab2.db',
    ]);
  });
});
