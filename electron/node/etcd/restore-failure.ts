import { AirsprayError } from '../../common/errors';
import type { ExecResult } from '../ssh/ssh-connection';

/**
 * Why a restore script failed on `host`, with the fix; the exit codes are documented in restore-check.sh and
 * restore-member.sh (3 and 4 in etcdctl-env.sh). The last lines of the script's own words are kept.
 */
export function restoreFailure(host: string, result: ExecResult): AirsprayError {
  const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  const words = failureWords[result.code ?? -1];
  if (words) return new AirsprayError('conflict', `etcd restore on ${host}: ${words(said)}`, 'member');
  if (/sudo|password/i.test(said))
    return new AirsprayError(
      'sudo_refused',
      `etcd restore on ${host}: sudo refused (${said}): check the profile's sudo password on the Access step (or --sudo-password-file).`,
      'member',
    );
  return new AirsprayError(
    'conflict',
    `etcd restore on ${host}: the script failed (exit ${result.code ?? 'none'}): ${said || 'no output'}`,
    'member',
  );
}

const failureWords: Record<number, (said: string) => string> = {
  3: (said) =>
    `${said || 'etcdctl'} is not there: this host is not an etcd member deployed by kubespray (etcd_deployment_type host).`,
  4: (said) => `the certificate ${said} is missing: run cluster.yml --tags etcd, or check the host's name in the plan.`,
  6: (said) => `the snapshot failed etcdctl snapshot status there (${said}): it is damaged; restore another backup.`,
  8: (said) =>
    `the snapshot arrived with ${said}, not the sha256 its index records: the copy was damaged on the way; try again.`,
  9: (said) =>
    `/etc/etcd.env says ${said || 'nothing'}, not kubespray's layout for this member (the plan's etcd order names etcd1, etcd2, …; data in /var/lib/etcd): check the plan's hosts and their order.`,
  10: (said) =>
    `etcdctl snapshot restore failed (${said}): etcd is stopped on every member and the old data is still in /var/lib/etcd; start etcd again (systemctl start etcd) or fix the cause and restore again.`,
  11: (said) =>
    `moving the data folders failed (${said}): etcd is stopped; look at /var/lib/etcd* there before starting it again.`,
};
