import { AirsprayError } from '../../common/errors';
import type { ExecResult } from '../ssh/ssh-connection';

/**
 * Why the snapshot script failed on `host`, with the fix; its exit codes are documented in snapshot.sh. The last lines
 * of etcdctl's own words are kept: they name the cause (a full disk, a refused certificate, etcd not answering).
 */
export function snapshotFailure(host: string, address: string, result: ExecResult): AirsprayError {
  const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
  const fix = failureFix(host, address, result.code, said);
  return new AirsprayError(fix.code, `etcd backup on ${host}: ${fix.message}`, 'member');
}

function failureFix(
  host: string,
  address: string,
  code: number | null,
  said: string,
): { code: 'missing_on_node' | 'sudo_refused' | 'conflict'; message: string } {
  if (code === 3)
    return {
      code: 'missing_on_node',
      message: `${said || 'etcdctl'} is not there: this host is not an etcd member deployed by kubespray (etcd_deployment_type host); deploy the cluster first, or pick the member that runs etcd.`,
    };
  if (code === 4)
    return {
      code: 'conflict',
      message: `the certificate ${said} is missing: kubespray's etcd role makes it (roles/etcd/tasks/gen_certs_script.yml); run cluster.yml --tags etcd, or check that the host's name in the plan is its inventory name.`,
    };
  if (/no space left on device/i.test(said))
    return {
      code: 'conflict',
      message: `the disk holding /var/tmp is full (${said}): free space there (the snapshot is about the size of /var/lib/etcd) and try again.`,
    };
  if (code === 7)
    return {
      code: 'conflict',
      message: `etcd at https://${address}:2379 is not healthy (${said}): check that etcd runs there (systemctl status etcd) and that the address in the plan is the one etcd listens on.`,
    };
  if (code === 5)
    return {
      code: 'conflict',
      message: `etcdctl snapshot save failed against https://${address}:2379 (${said}): check etcd's log there (journalctl -u etcd) and try again.`,
    };
  if (code === 6)
    return {
      code: 'conflict',
      message: `the snapshot failed its check, etcdctl snapshot status (${said}): it was not kept; take another.`,
    };
  if (/sudo|password/i.test(said))
    return {
      code: 'sudo_refused',
      message: `sudo refused (${said}): check the profile's sudo password on the Access step (or --sudo-password-file).`,
    };
  return { code: 'conflict', message: `the snapshot script failed (exit ${code ?? 'none'}): ${said || 'no output'}` };
}
