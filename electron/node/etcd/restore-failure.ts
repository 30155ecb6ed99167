import type { AirsprayError } from '../../common/errors';
import type { CoreMessageId } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';
import type { ExecResult } from '../ssh/ssh-connection';

/**
 * Why a restore script failed on `host`, with the fix; the exit codes are documented in restore-check.sh and
 * restore-member.sh (3 and 4 in etcdctl-env.sh). The last lines of the script's own words are kept.
 */
export function restoreFailure(host: string, result: ExecResult): AirsprayError {
  const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  const params = { host, detail: said, hasDetail: said ? 'yes' : 'no', exitCode: result.code ?? 'none' };
  const id = failureIds[result.code ?? -1];
  if (id) return coreError('conflict', id, params, 'member');
  if (/sudo|password/i.test(said)) return coreError('sudo_refused', 'etcd.restore-sudo-refused', params, 'member');
  return coreError('conflict', 'etcd.restore-script-failed', params, 'member');
}

const failureIds: Record<number, CoreMessageId> = {
  3: 'etcd.restore-no-etcdctl',
  4: 'etcd.restore-certificate-missing',
  6: 'etcd.restore-snapshot-damaged',
  8: 'etcd.restore-copy-damaged',
  9: 'etcd.restore-env-mismatch',
  10: 'etcd.restore-failed',
  11: 'etcd.restore-move-failed',
};
