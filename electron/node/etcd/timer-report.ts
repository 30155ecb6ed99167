import { z } from 'zod';
import type { ClusterHost } from '../../common/cluster-plan';
import {
  EtcdTimerEverySchema,
  EtcdTimerSnapshotSchema,
  type EtcdBackup,
  type EtcdTimer,
  type EtcdTimerSnapshot,
} from '../../common/etcd-api';
import { keepNewest, safeJson, snapshotFileName } from './backup-index';

const ScheduleSchema = z.object({ every: EtcdTimerEverySchema, keep: z.number().int().positive() });

function parseLine<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`the timer's ${what} is not readable: ${JSON.stringify(json)}`);
  return parsed.data;
}

/** A record line: the snapshot's name on the member, then its JSON record. */
function parseRecord(name: string, text: string): EtcdTimerSnapshot {
  const json = safeJson(text);
  const named = typeof json === 'object' && json !== null ? { ...json, name } : json;
  return parseLine(EtcdTimerSnapshotSchema, named, `record ${name}.json`);
}

/** What timer-list.sh printed: no lines means no timer; each record line is a snapshot waiting on the member. */
export function parseTimerList(host: Pick<ClusterHost, 'name' | 'address'>, stdout: string): EtcdTimer {
  const member = { name: host.name, address: host.address };
  const scheduleLine = /^schedule (.*)$/m.exec(stdout)?.[1];
  if (scheduleLine === undefined) return { host: member, every: null, keep: null, lastRun: null, snapshots: [] };
  const schedule = parseLine(ScheduleSchema, safeJson(scheduleLine), 'schedule.json');
  const snapshots = [...stdout.matchAll(/^record (\S+) (.*)$/gm)].map(([, name, text]) => parseRecord(name!, text!));
  return {
    host: member,
    every: schedule.every,
    keep: schedule.keep,
    lastRun: /^result (.*)$/m.exec(stdout)?.[1]?.trim() || null,
    snapshots: snapshots.sort((a, b) => b.takenAt.localeCompare(a.takenAt)),
  };
}

/** A timer snapshot as the stick's index records it, once copied. */
export function asBackup(snapshot: EtcdTimerSnapshot): EtcdBackup {
  const { takenAt, member, sizeBytes, sha256, status } = snapshot;
  return {
    file: snapshotFileName(new Date(takenAt), member.name),
    takenAt,
    member,
    sizeBytes,
    sha256,
    revision: status.revision,
    totalKeys: status.totalKey,
    etcdHash: status.hash,
    takenBy: 'timer',
  };
}

/**
 * The timer's snapshots to copy: those not on the stick yet that the stick would keep among its newest `kept`, so a
 * snapshot retention already removed (or would remove at once) is not fetched again.
 */
export function snapshotsToCollect(
  onStick: readonly EtcdBackup[],
  onMember: readonly EtcdTimerSnapshot[],
  kept: number,
): EtcdTimerSnapshot[] {
  const have = new Set(onStick.map((backup) => backup.file));
  const fresh = onMember.filter((snapshot) => !have.has(asBackup(snapshot).file));
  const keeps = new Set(keepNewest([...onStick, ...fresh.map(asBackup)], kept).kept.map((backup) => backup.file));
  return fresh.filter((snapshot) => keeps.has(asBackup(snapshot).file));
}
