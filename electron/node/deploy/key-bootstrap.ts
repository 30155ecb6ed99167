import type { KeyBootstrapOutcome } from '../../common/deploy-api';
import type { CredentialInput } from '../../common/credentials';
import type { HostKeyStore } from '../ssh/host-key-store';
import { connectSsh, execCommand, SshAccessError, type SshTarget } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import type { DeployKey } from './deploy-key-store';
import { sudoPasswordOf } from './remote-shell';
import { mapLimited } from '../map-limited';

export interface DeployHost {
  name: string;
  address: string;
  port?: number;
}

export interface KeyBootstrapOptions {
  /**
   * The operator's profile (password or own key): logs in to install the deploy key; its sudo password is checked over
   * the key login.
   */
  credential: CredentialInput;
  key: DeployKey;
  hostKeys: HostKeyStore;
  acceptNewHostKeys?: boolean;
  concurrency?: number;
  onOutcome?: (outcome: KeyBootstrapOutcome, done: number, total: number) => void;
}

/**
 * Appends the key unless its blob is already on a line (so a second run adds nothing), ends a last line that lacks
 * its newline first, keeps ~/.ssh 700 and the file 600, and reports the modes and owners sshd's StrictModes checks.
 */
export function installKeyScript(publicKey: string): string {
  const blob = publicKey.split(' ')[1] ?? publicKey;
  return [
    'set -e',
    'umask 077',
    'd="$HOME/.ssh"; f="$d/authorized_keys"',
    'mkdir -p "$d"; chmod 700 "$d"; touch "$f"; chmod 600 "$f"',
    `if grep -qF -- ${quoteShellArg(blob)} "$f"; then echo present; else`,
    '  if [ -s "$f" ] && [ -n "$(tail -c1 "$f")" ]; then echo >> "$f"; fi',
    `  printf '%s\\n' ${quoteShellArg(publicKey)} >> "$f"; echo added`,
    'fi',
    'echo "owner $(id -un)"',
    'stat -c "%a %U %n" "$d" "$f"',
  ].join('\n');
}

const sudoCheck = "sudo -k; sudo -S -p '' true";

async function bootstrapHost(host: DeployHost, options: KeyBootstrapOptions): Promise<KeyBootstrapOutcome> {
  const target: SshTarget = { host: host.address, port: host.port ?? 22 };
  const outcome: KeyBootstrapOutcome = {
    name: host.name,
    address: host.address,
    ok: false,
    authorizedKey: null,
    keyLogin: false,
    sudo: 'not-checked',
  };
  const connectOptions = {
    hostKeys: options.hostKeys,
    ...(options.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
  };
  try {
    const operator = await connectSsh(target, { ...connectOptions, credential: options.credential });
    try {
      const installed = await execCommand(operator.client, installKeyScript(options.key.publicKey));
      const lines = installed.stdout.trim().split('\n');
      if (installed.code !== 0 || !/^(added|present)$/.test(lines[0] ?? '')) {
        return {
          ...outcome,
          message: `Installing the key failed: ${(installed.stderr || installed.stdout).trim() || `exit ${installed.code}`}`,
        };
      }
      outcome.authorizedKey = lines[0] as 'added' | 'present';
      const user = /^owner (.+)$/.exec(lines[1] ?? '')?.[1];
      const wrong = lines.slice(2).filter((line) => {
        const [mode, owner] = line.split(' ');
        return owner !== user || (line.endsWith('/.ssh') ? mode !== '700' : mode !== '600');
      });
      if (wrong.length > 0)
        return {
          ...outcome,
          message: `sshd would refuse the key: ${wrong.join('; ')} (want 700 for ~/.ssh and 600 for authorized_keys, owned by ${user}).`,
        };
    } finally {
      operator.client.end();
    }

    const viaKey = await connectSsh(target, {
      ...connectOptions,
      credential: { user: options.credential.user, auth: options.key.credential },
    }).catch((error: unknown) => {
      throw new SshAccessError(
        error instanceof SshAccessError ? error.kind : 'auth-refused',
        `The deploy key was installed but logging in with it failed: ${(error as Error).message}`,
      );
    });
    outcome.keyLogin = true;
    try {
      const sudoPassword = sudoPasswordOf(options.credential);
      if (sudoPassword === undefined) {
        outcome.sudo = 'no-password-given';
      } else {
        const check = await execCommand(viaKey.client, sudoCheck, `${sudoPassword}\n`);
        outcome.sudo = check.code === 0 ? 'works' : 'refused';
      }
    } finally {
      viaKey.client.end();
    }
    const sudoOk = outcome.sudo === 'works';
    return {
      ...outcome,
      ok: sudoOk,
      ...(sudoOk
        ? {}
        : {
            message:
              outcome.sudo === 'refused'
                ? "sudo refused the password over the key login: fix the profile's sudo password or the user's sudo rights."
                : 'No sudo password in the profile: kubespray needs one to become root.',
          }),
    };
  } catch (error) {
    return { ...outcome, message: (error as Error).message };
  }
}

/**
 * Installs the project's deploy key on every host with the operator's profile, then proves key login and sudo on each.
 */
export async function bootstrapDeployKey(
  hosts: readonly DeployHost[],
  options: KeyBootstrapOptions,
): Promise<KeyBootstrapOutcome[]> {
  return mapLimited(hosts, options.concurrency ?? 16, (host) => bootstrapHost(host, options), options.onOutcome);
}
