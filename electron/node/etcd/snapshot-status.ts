import { SnapshotStatusSchema, type SnapshotStatus } from '../../common/etcd-api';

/** What the snapshot script printed on success: etcdctl's status and the member's sha256 of the file. */
export interface SnapshotReport {
  status: SnapshotStatus;
  sha256: string;
}

/**
 * The `status` and `sha256` lines of the snapshot script; throws naming what is wrong, so a snapshot that fails its
 * check is never kept.
 */
export function parseSnapshotReport(stdout: string): SnapshotReport {
  const statusLine = /^status (.*)$/m.exec(stdout)?.[1];
  const sha256 = /^sha256 ([0-9a-f]{64})$/m.exec(stdout)?.[1];
  if (statusLine === undefined || sha256 === undefined)
    throw new Error(`the snapshot script did not print its status and sha256 lines (it printed: ${stdout.trim()})`);
  let json: unknown;
  try {
    json = JSON.parse(statusLine);
  } catch {
    throw new Error(`etcdctl snapshot status printed no JSON: ${statusLine}`);
  }
  const parsed = SnapshotStatusSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`etcdctl snapshot status lacks hash, revision, totalKey or totalSize: ${statusLine}`);
  if (parsed.data.totalSize === 0) throw new Error('etcdctl snapshot status reports an empty snapshot');
  return { status: parsed.data, sha256 };
}
