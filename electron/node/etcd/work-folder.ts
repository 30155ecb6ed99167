import type { Client } from 'ssh2';
import { assertSucceeded } from '../deploy/remote-shell';
import { execCommand } from '../ssh/ssh-connection';

/**
 * A folder of the login's own on the member for a snapshot on its way (on disk, not a tmpfs /tmp: a snapshot is as
 * large as etcd's database).
 */
export async function makeWorkFolder(client: Client): Promise<string> {
  return assertSucceeded(await execCommand(client, 'mktemp -d /var/tmp/airspray-etcd.XXXXXX'), 'mktemp').stdout.trim();
}
