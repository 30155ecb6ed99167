import type { AirsprayError, ApiErrorCode } from '../../common/errors';
import type { CoreMessageId } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';
import type { ExecResult } from '../ssh/ssh-connection';

/**
 * Why the snapshot script failed on `host`, with the fix; its exit codes are documented in snapshot.sh. The last lines
 * of etcdctl's own words are kept: they name the cause (a full disk, a refused certificate, etcd not answering).
 */
export function snapshotFailure(host: string, address: string, result: ExecResult): AirsprayError {
  const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  const [code, id] = failureFix(result.code, said);
  const exit = { exitCode: result.code ?? 'none', hasDetail: said ? 'yes' : 'no' };
  return coreError(code, id, { host, address, detail: said, ...exit }, 'member');
}

function failureFix(code: number | null, said: string): [ApiErrorCode, CoreMessageId] {
  if (code === 3) return ['missing_on_node', 'etcd.backup-no-etcdctl'];
  if (code === 4) return ['conflict', 'etcd.backup-certificate-missing'];
  if (/no space left on device/i.test(said)) return ['conflict', 'etcd.backup-disk-full'];
  if (code === 7) return ['conflict', 'etcd.backup-unhealthy'];
  if (code === 5) return ['conflict', 'etcd.backup-save-failed'];
  if (code === 6) return ['conflict', 'etcd.backup-check-failed'];
  if (/sudo|password/i.test(said)) return ['sudo_refused', 'etcd.backup-sudo-refused'];
  return ['conflict', 'etcd.backup-script-failed'];
}
