import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost } from '../../../../electron/common/cluster-plan';
import type { EtcdBackup, EtcdTimerSnapshot } from '../../../../electron/common/etcd-api';
import { AirsprayError } from '../../../../electron/common/errors';
import { scheduleRequest, timerLines } from '../../../../electron/node/cli/etcd-commands';
import { remoteEtcdTimerDir } from '../../../../electron/node/deploy/remote-layout';
import { timerHost } from '../../../../electron/node/etcd/etcd-timer';
import { asBackup, parseTimerList, snapshotsToCollect } from '../../../../electron/node/etcd/timer-report';
import {
  installScript,
  parseEvery,
  removeScript,
  serviceUnit,
  timerUnitFile,
} from '../../../../electron/node/etcd/timer-units';

const scriptsDir = join(__dirname, '../../../../electron/node/etcd');
const member = { name: 'lab2', address: '10.231.0.12' };
const sha = (digit: string) => digit.repeat(64);

function snapshot(takenAt: string, revision = 7): EtcdTimerSnapshot {
  return {
    name: takenAt.replace(/[-:]/g, ''),
    takenAt,
    member,
    sizeBytes: 20480,
    sha256: sha('c'),
    status: { hash: 11, revision, totalKey: 9, totalSize: 20480 },
  };
}

const handTaken = (takenAt: string): EtcdBackup => ({ ...asBackup(snapshot(takenAt)), takenBy: undefined });

describe('the timer duration', () => {
  it('takes a whole number and m, h or d', () => {
    expect(['6h', '30m', '1d', ' 12h '].map((text) => parseEvery(text))).toEqual(['6h', '30m', '1d', '12h']);
  });

  it('refuses anything else, naming the flag and the form', () => {
    for (const bad of ['6 hours', '0h', '6', 'h', '1w', '1.5h', '-1h', '']) {
      const error = (() => {
        try {
          parseEvery(bad, '--every');
        } catch (caught) {
          return caught;
        }
      })() as AirsprayError;
      expect(error, bad).toBeInstanceOf(AirsprayError);
      expect(error.i18n).toEqual({ id: 'etcd.duration-invalid', params: { field: '--every', text: bad } });
      expect(error.field).toBe('--every');
    }
  });
});

describe('the units', () => {
  it('runs the snapshot as a oneshot service from the timer folder', () => {
    const unit = serviceUnit();
    expect(unit).toContain('Type=oneshot');
    expect(unit).toContain(`ExecStart=/bin/sh ${remoteEtcdTimerDir}/run.sh`);
  });

  it('fires every DURATION after it starts and after the last run, in systemd spans, at boot too', () => {
    const unit = timerUnitFile('30m');
    expect(unit).toContain('OnActiveSec=30min\n');
    expect(unit).toContain('OnUnitActiveSec=30min\n');
    expect(unit).toContain('WantedBy=timers.target');
    expect(timerUnitFile('1d')).toContain('OnUnitActiveSec=1d\n');
  });

  it("checks the member's certificates before anything is written, then enables the timer", () => {
    const script = installScript({ member, every: '6h', keep: 3 });
    const check = script.indexOf('admin-$1-key.pem');
    expect(check).toBeGreaterThan(-1);
    expect(check).toBeLessThan(script.indexOf('set -e'));
    expect(script).toContain("set -- 'lab2' '10.231.0.12'\n");
    expect(script.trimEnd().split('\n').slice(-2)).toEqual([
      'systemctl enable --quiet airspray-etcd-snapshot.timer',
      'systemctl restart airspray-etcd-snapshot.timer',
    ]);
  });

  it('removes both units and the folder with its snapshots', () => {
    const script = removeScript();
    expect(script).toContain('systemctl disable --now --quiet airspray-etcd-snapshot.timer');
    expect(script).toContain(
      'rm -f /etc/systemd/system/airspray-etcd-snapshot.timer /etc/systemd/system/airspray-etcd-snapshot.service',
    );
    expect(script).toContain(`rm -rf ${remoteEtcdTimerDir}`);
  });
});

/** timer-snapshot.sh run here with a stand-in snapshot.sh (prints what the real one prints); then timer-list.sh. */
async function runTimerScripts(runs: number, keep: number): Promise<{ dir: string; listed: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'airspray-timer-'));
  const fake = [
    'echo "snapshot of $1 at $2" > "$3/snapshot.db"',
    'echo \'status {"hash":11,"revision":7,"totalKey":9,"totalSize":20480}\'',
    'echo "sha256 $(sha256sum "$3/snapshot.db" | cut -d" " -f1)"',
  ].join('\n');
  await writeFile(join(dir, 'snapshot.sh'), fake);
  for (let run = 0; run < runs; run++) {
    const args = [member.name, member.address, JSON.stringify(member), String(keep), dir];
    execFileSync('sh', [join(scriptsDir, 'timer-snapshot.sh'), ...args]);
    // Names are the time to the millisecond: let the clock move on.
    execFileSync('sleep', ['0.01']);
  }
  await writeFile(join(dir, 'schedule.json'), JSON.stringify({ every: '6h', keep, member }));
  await chmod(dir, 0o700);
  const listed = execFileSync('sh', [join(scriptsDir, 'timer-list.sh'), dir, 'airspray-none.service']).toString();
  return { dir, listed };
}

describe('the timer scripts', () => {
  it('write each snapshot with its record, keep the newest N, and list them for Airspray', async () => {
    const { dir, listed } = await runTimerScripts(3, 2);
    const files = (await readdir(join(dir, 'snapshots'))).sort();
    expect(files).toHaveLength(4);
    const timer = parseTimerList(member, listed);
    expect(timer).toMatchObject({ host: member, every: '6h', keep: 2 });
    expect(timer.snapshots.map((taken) => `${taken.name}.db`)).toEqual(
      files.filter((file) => file.endsWith('.db')).reverse(),
    );
    const [newest] = timer.snapshots;
    const content = await readFile(join(dir, 'snapshots', `${newest!.name}.db`));
    expect(newest).toMatchObject({ member, sizeBytes: content.length, status: { revision: 7, totalKey: 9 } });
    expect(newest!.sha256).toBe(
      execFileSync('sha256sum', [join(dir, 'snapshots', `${newest!.name}.db`)])
        .toString()
        .slice(0, 64),
    );
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/^work\./));
  });

  it('leave nothing when the snapshot fails, and fail with its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airspray-timer-'));
    await writeFile(join(dir, 'snapshot.sh'), 'exit 7');
    const args = [member.name, member.address, JSON.stringify(member), '2', dir];
    expect(() => execFileSync('sh', [join(scriptsDir, 'timer-snapshot.sh'), ...args], { stdio: 'pipe' })).toThrow(
      expect.objectContaining({ status: 7 }),
    );
    expect(await readdir(join(dir, 'snapshots'))).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['snapshot.sh', 'snapshots']);
  });
});

describe("the timer's report", () => {
  it('says no timer when the list is empty', () => {
    expect(parseTimerList(member, '')).toEqual({ host: member, every: null, keep: null, lastRun: null, snapshots: [] });
  });

  it("reads the last run's result and refuses a record that is not one, naming it", () => {
    const schedule = `schedule {"every":"1d","keep":4,"member":${JSON.stringify(member)}}`;
    expect(parseTimerList(member, `${schedule}\nresult exit-code\n`).lastRun).toBe('exit-code');
    expect(() => parseTimerList(member, `${schedule}\nrecord 20261206T021500.123Z {"takenAt":1}\n`)).toThrow(
      /record 20261206T021500\.123Z\.json is not readable/,
    );
  });

  it('prints where, how often, the newest and a failed last run with where to look', () => {
    const timer = {
      host: member,
      every: '6h',
      keep: 5,
      lastRun: 'exit-code',
      snapshots: [snapshot('2026-12-06T02:15:00.123Z')],
    };
    const lines = timerLines(timer);
    expect(lines[0]).toBe(
      `etcd snapshot timer on lab2 (10.231.0.12): every 6h, keeps the last 5 there (${remoteEtcdTimerDir}/snapshots)`,
    );
    expect(lines[1]).toMatch(/^newest snapshot there: 2026-12-06T02:15:00.123Z, revision 7, .*; 1 kept$/);
    expect(lines[2]).toBe(
      'the last run failed (exit-code): journalctl -u airspray-etcd-snapshot.service on lab2 says why',
    );
    expect(timerLines({ ...timer, every: null })).toEqual(['no etcd snapshot timer on lab2 (10.231.0.12)']);
  });
});

describe('collecting', () => {
  it("records a timer snapshot as a backup taken by the timer, named as a hand backup's", () => {
    expect(asBackup(snapshot('2026-12-06T02:15:00.123Z'))).toEqual({
      file: '20261206T021500.123Z-lab2.db',
      takenAt: '2026-12-06T02:15:00.123Z',
      member,
      sizeBytes: 20480,
      sha256: sha('c'),
      revision: 7,
      totalKeys: 9,
      etcdHash: 11,
      takenBy: 'timer',
    });
  });

  it('fetches only what the stick lacks and would keep', () => {
    const onStick = [asBackup(snapshot('2026-12-06T04:00:00.000Z')), handTaken('2026-12-06T05:00:00.000Z')];
    const onMember = [
      snapshot('2026-12-06T06:00:00.000Z'),
      snapshot('2026-12-06T04:00:00.000Z'),
      snapshot('2026-12-06T03:00:00.000Z'),
      snapshot('2026-12-06T01:00:00.000Z'),
    ];
    const names = (kept: number) => snapshotsToCollect(onStick, onMember, kept).map((taken) => taken.takenAt);
    expect(names(3)).toEqual(['2026-12-06T06:00:00.000Z']);
    expect(names(4)).toEqual(['2026-12-06T06:00:00.000Z', '2026-12-06T03:00:00.000Z']);
    expect(names(10)).toEqual(['2026-12-06T06:00:00.000Z', '2026-12-06T03:00:00.000Z', '2026-12-06T01:00:00.000Z']);
    expect(snapshotsToCollect(onStick, [], 5)).toEqual([]);
  });
});

describe('where the timer runs', () => {
  const host = (name: string, etcd: boolean): ClusterHost => ({
    name,
    address: `10.0.0.${name.slice(-1)}`,
    roles: { ...noRoles, etcd },
  });
  const hosts = [host('node1', false), host('node2', true), host('node3', true)];

  it('is the deploy node when it is an etcd member, else the first etcd member', () => {
    expect(timerHost({ hosts, deployNode: 'node3' }).name).toBe('node3');
    expect(timerHost({ hosts, deployNode: 'node1' }).name).toBe('node2');
    expect(timerHost({ hosts, deployNode: null }).name).toBe('node2');
  });

  it('is refused without an etcd member', () => {
    expect(() => timerHost({ hosts: [host('node1', false)], deployNode: 'node1' })).toThrow(
      expect.objectContaining({ i18n: { id: 'roles.no-etcd-member', params: {} } }),
    );
  });
});

describe('the schedule flags', () => {
  it('take --every with an optional --keep, or --off', () => {
    expect(scheduleRequest({ project: 'p', user: 'ops', every: '6h' })).toEqual({ every: '6h' });
    expect(scheduleRequest({ project: 'p', user: 'ops', every: '30m', keep: '3' })).toEqual({ every: '30m', keep: 3 });
    expect(scheduleRequest({ project: 'p', user: 'ops', off: true })).toEqual({ every: null });
  });

  it('refuse neither or both, a bad --every and a bad --keep', () => {
    expect(() => scheduleRequest({ project: 'p', user: 'ops' })).toThrow('Give --every DURATION');
    expect(() => scheduleRequest({ project: 'p', user: 'ops', every: '6h', off: true })).toThrow('or --off');
    expect(() => scheduleRequest({ project: 'p', user: 'ops', every: 'daily' })).toThrow(
      '--every "daily" is not a duration',
    );
    expect(() => scheduleRequest({ project: 'p', user: 'ops', every: '6h', keep: '0' })).toThrow(
      '--keep "0" must be a whole number from 1 to 100.',
    );
  });
});
