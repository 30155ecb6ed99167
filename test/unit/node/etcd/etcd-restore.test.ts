import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { noRoles } from '../../../../electron/common/cluster-plan';
import type { EtcdBackup, EtcdMemberStatus } from '../../../../electron/common/etcd-api';
import type { ProjectDocument } from '../../../../electron/common/project';
import type { KeySession } from '../../../../electron/node/deploy/deploy-operations';
import { etcdBackupFolder } from '../../../../electron/node/etcd/backup-index';
import { restoreEtcd, type RestoreRemote } from '../../../../electron/node/etcd/restore-etcd';
import { restoreFailure } from '../../../../electron/node/etcd/restore-failure';
import { initialCluster, memberMismatch, restoreTargets } from '../../../../electron/node/etcd/restore-plan';
import type { StagedMember } from '../../../../electron/node/etcd/restore-steps';
import { airsprayRefusal } from '../../../support/airspray-refusal';
import { storeBackup } from '../../../support/stored-backup';

const host = (name: string, index: number, etcd = true) => ({
  name,
  address: `10.0.0.${index}`,
  roles: { ...noRoles, etcd, controlPlane: etcd },
});
const hosts = [host('deploy', 1, false), host('cp1', 2), host('cp2', 3), host('cp3', 4)];
const project = { cluster: { hosts } } as unknown as ProjectDocument;
const session = {
  credential: { user: 'ops', auth: { kind: 'password', password: 'pw' } },
} as unknown as KeySession;
const snapshotBytes = Buffer.from('an etcd snapshot');
const running = (names = ['etcd1', 'etcd2', 'etcd3']): EtcdMemberStatus[] =>
  names.map((name, index) => ({
    name,
    endpoint: `https://10.0.0.${index + 2}:2379`,
    healthy: true,
    leader: index === 0,
  }));

let projectFolder: string;
let backup: EtcdBackup;
let calls: string[];

/** A remote that records what it was asked, member by member; `override` replaces a step. */
function fakeRemote(override: Partial<RestoreRemote> = {}): RestoreRemote {
  const note = (what: string, member: StagedMember) => calls.push(`${what} ${member.target.host.name}`);
  return {
    readMembers: () => Promise.resolve(running()),
    stage: (target) => {
      calls.push(`stage ${target.host.name}`);
      return Promise.resolve({ target, client: {} as StagedMember['client'], snapshot: '/var/tmp/x/snapshot.db' });
    },
    check: (member) => Promise.resolve(void note('check', member)),
    control: (member, _sudo, action) => Promise.resolve(void note(action, member)),
    restore: (member) => {
      note('restore', member);
      return Promise.resolve('/var/lib/etcd.before-restore-x');
    },
    release: (member) => Promise.resolve(void note('release', member)),
    healthAttempts: 1,
    ...override,
  };
}

beforeEach(async () => {
  projectFolder = mkdtempSync(join(tmpdir(), 'etcd-restore-'));
  backup = await storeBackup(etcdBackupFolder(projectFolder), snapshotBytes, {
    file: '20261206T021500.123Z-cp1.db',
    takenAt: '2026-12-06T02:15:00.123Z',
    member: { name: 'cp1', address: '10.0.0.2' },
    revision: 40213,
  });
  calls = [];
});

const restore = (remote: RestoreRemote, options: { confirm?: boolean; ignoreMemberMismatch?: boolean } = {}) =>
  restoreEtcd(project, projectFolder, session, { backup: backup.file, confirm: true, ...options }, remote);

describe("the plan's etcd members as kubespray names them", () => {
  it('are etcd1, etcd2, … in the plan order, with peer URLs on 2380', () => {
    const targets = restoreTargets(hosts);
    expect(targets.map((target) => [target.host.name, target.etcdName, target.peerUrl])).toEqual([
      ['cp1', 'etcd1', 'https://10.0.0.2:2380'],
      ['cp2', 'etcd2', 'https://10.0.0.3:2380'],
      ['cp3', 'etcd3', 'https://10.0.0.4:2380'],
    ]);
    expect(initialCluster(targets)).toBe(
      'etcd1=https://10.0.0.2:2380,etcd2=https://10.0.0.3:2380,etcd3=https://10.0.0.4:2380',
    );
  });

  it('match the running members by name and client URL, whatever the order', () => {
    const targets = restoreTargets(hosts);
    expect(memberMismatch([...running()].reverse(), targets)).toBeUndefined();
    expect(memberMismatch(running(['etcd1', 'etcd2']), targets)).toContain("the plan's etcd1 https://10.0.0.2:2379");
    expect(memberMismatch(running(['etcd1', 'etcd2', 'etcd9']), targets)).toContain('etcd9 https://10.0.0.4:2379');
  });
});

describe('a restore', () => {
  it('stages and checks on every member before stopping any, then stops all, restores each, starts all', async () => {
    const result = await restore(fakeRemote());
    const phase = (what: string) => ['cp1', 'cp2', 'cp3'].map((name) => `${what} ${name}`);
    expect(calls).toEqual([
      ...phase('stage'),
      ...phase('check'),
      ...phase('stop'),
      ...phase('restore'),
      ...phase('start'),
      ...phase('release'),
    ]);
    expect(result.members[2]).toEqual({ host: 'cp3', etcdName: 'etcd3', movedAside: '/var/lib/etcd.before-restore-x' });
    expect(result.health).toHaveLength(3);
  });

  it('is refused without a confirmation, naming what is lost, and touches no member', async () => {
    const error = await airsprayRefusal(restore(fakeRemote(), { confirm: false }));
    expect(error.code).toBe('invalid_params');
    expect(error.field).toBe('confirm');
    expect(error.i18n).toMatchObject({
      id: 'etcd.restore-needs-confirm',
      params: { file: backup.file, takenAt: '2026-12-06T02:15:00.123Z', revision: 40213 },
    });
    expect(calls).toEqual([]);
  });

  it('is refused when the stored file is not the one the index records, and touches no member', async () => {
    await writeFile(join(etcdBackupFolder(projectFolder), backup.file), 'changed on the stick');
    const error = await airsprayRefusal(restore(fakeRemote()));
    expect(error.i18n).toMatchObject({ id: 'etcd.snapshot-changed-on-disk', params: { expected: backup.sha256 } });
    expect(calls).toEqual([]);
  });

  it('is refused for a backup the index does not name', async () => {
    const error = await airsprayRefusal(
      restoreEtcd(project, projectFolder, session, { backup: 'other.db', confirm: true }, fakeRemote()),
    );
    expect(error.code).toBe('not_found');
    expect(error.i18n).toEqual({
      id: 'etcd.backup-not-found',
      params: { file: 'other.db', known: backup.file, knownCount: 1 },
    });
  });

  it("is refused when the running members are not the plan's, or cannot be read, unless told to proceed", async () => {
    const other = fakeRemote({ readMembers: () => Promise.resolve(running(['etcd1', 'etcd2'])) });
    const error = await airsprayRefusal(restore(other));
    expect(error.field).toBe('ignoreMemberMismatch');
    expect(error.i18n?.id).toBe('etcd.members-mismatch');
    expect(calls).toEqual([]);
    const down = fakeRemote({ readMembers: () => Promise.reject(new Error('context deadline exceeded')) });
    expect((await airsprayRefusal(restore(down))).i18n?.params.detail).toContain(
      'member list could not be read on cp1 (context deadline',
    );
    expect(calls).toEqual([]);
    // Told to proceed, it does not ask before (etcd may be down); it reads the members only after the restart.
    const readAfter = () => {
      calls.push('members');
      return Promise.resolve(running());
    };
    await restore(fakeRemote({ readMembers: readAfter }), { ignoreMemberMismatch: true });
    expect(calls.indexOf('members')).toBeGreaterThan(calls.indexOf('start cp3'));
    expect(calls.filter((call) => call.startsWith('restore'))).toHaveLength(3);
  });

  it("stops no member when one member's snapshot fails its check, and removes what it pushed", async () => {
    const status = { code: 6, stdout: '', stderr: 'snapshot file has wrong hash', signal: undefined };
    const failing = fakeRemote({
      check: (member) => {
        calls.push(`check ${member.target.host.name}`);
        return member.target.host.name === 'cp2'
          ? Promise.reject(restoreFailure('cp2', status as never))
          : Promise.resolve();
      },
    });
    const error = await airsprayRefusal(restore(failing));
    expect(error.i18n).toMatchObject({ id: 'etcd.restore-snapshot-damaged', params: { host: 'cp2' } });
    expect(calls.some((call) => /^(stop|restore|start) /.test(call))).toBe(false);
    expect(calls.filter((call) => call.startsWith('release'))).toHaveLength(3);
  });

  it('says where the data is when a member fails after etcd was stopped', async () => {
    const failing = fakeRemote({
      restore: (member) =>
        member.target.host.name === 'cp2'
          ? Promise.reject(restoreFailure('cp2', { code: 10, stdout: '', stderr: 'no space left' } as never))
          : Promise.resolve('/var/lib/etcd.before-restore-x'),
    });
    const error = await airsprayRefusal(restore(failing));
    expect(error.i18n).toMatchObject({
      id: 'etcd.restore-midway',
      params: { restored: 'cp1', restoredCount: 1, stamp: expect.any(String) as string },
    });
    // The member's own failure leads the message, as the CLI prints it.
    expect(error.message).toMatch(/^etcd restore on cp2: etcdctl snapshot restore failed \(no space left\)/);
  });
});

describe('restore script failures', () => {
  const failed = (code: number, stderr: string) => restoreFailure('cp1', { code, stdout: '', stderr } as never).i18n;

  it('name the host, what the member said and the fix', () => {
    const sha = 'sha256 ' + 'b'.repeat(64);
    expect(failed(8, sha)).toMatchObject({ id: 'etcd.restore-copy-damaged', params: { host: 'cp1', detail: sha } });
    expect(failed(9, 'ETCD_NAME=etcd2')).toMatchObject({
      id: 'etcd.restore-env-mismatch',
      params: { detail: 'ETCD_NAME=etcd2' },
    });
    expect(failed(3, '/usr/local/bin/etcdctl')).toMatchObject({
      id: 'etcd.restore-no-etcdctl',
      params: { detail: '/usr/local/bin/etcdctl' },
    });
    expect(
      restoreFailure('cp1', { code: 1, stdout: '', stderr: 'sudo: 1 incorrect password attempt' } as never).code,
    ).toBe('sudo_refused');
  });
});
