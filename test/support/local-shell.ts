import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'ssh2';

/**
 * Stands in for an SSH session only where no sshd can run in a unit test: each `exec` runs the exact command string
 * in a real local `sh -c`, as sshd would hand it to the login shell, with stdin, stdout, stderr and the exit code
 * wired like an ssh2 channel. What the command does is real; only the transport is replaced.
 */
export interface LocalShellOptions {
  /** Folders put first on PATH (stand-ins for sudo, systemd-run, systemctl). */
  path?: string[];
  /**
   * Runs every command in a private mount namespace with /etc, /var/lib and /usr/local/share overlaid by folders
   * under this one, so scripts that write there as root change nothing on this machine (needs root).
   */
  rootOverlay?: string;
  /** The login's environment, e.g. its HOME. */
  env?: Record<string, string>;
  /** Where the login shell starts, as a home folder would be. */
  cwd?: string;
}

const overlaid = ['/etc', '/var/lib', '/usr/local/share'];

/** The upper (written) folder of an overlaid system folder: where a script's writes to `/etc/...` land. */
export const overlayUpper = (root: string, systemDir: string) => join(root, systemDir.replaceAll('/', '_'), 'upper');

export async function localShellClient(options: LocalShellOptions = {}): Promise<Client> {
  const { rootOverlay } = options;
  if (rootOverlay) {
    for (const dir of overlaid) {
      await mkdir(overlayUpper(rootOverlay, dir), { recursive: true });
      await mkdir(join(rootOverlay, dir.replaceAll('/', '_'), 'work'), { recursive: true });
    }
  }
  const env = {
    ...process.env,
    ...options.env,
    PATH: [...(options.path ?? []), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
  };
  const mounts = rootOverlay
    ? overlaid
        .map(
          (dir) =>
            `mount -t overlay overlay -o lowerdir=${dir},upperdir=${overlayUpper(rootOverlay, dir)},workdir=${join(rootOverlay, dir.replaceAll('/', '_'), 'work')} ${dir}`,
        )
        .join(' && ')
    : '';
  const client = new EventEmitter() as EventEmitter & { exec: Client['exec']; end: () => void; destroy: () => void };
  client.exec = ((command: string, callback: (error: Error | undefined, channel: unknown) => void) => {
    // The command is $1 of the outer sh, never spliced into its text: the mounts are ours, the command is the
    // builder's.
    const child = rootOverlay
      ? spawn(
          'unshare',
          ['--mount', '--propagation', 'private', 'sh', '-c', `${mounts} && exec sh -c "$1"`, 'sh', command],
          { env, cwd: options.cwd },
        )
      : spawn('sh', ['-c', command], { env, cwd: options.cwd });
    const channel = new EventEmitter() as EventEmitter & Record<string, unknown>;
    channel.stderr = child.stderr;
    channel.write = (chunk: Buffer) => child.stdin.write(chunk);
    channel.end = (data?: string | Buffer) => child.stdin.end(data);
    channel.resume = () => child.stdout.resume();
    channel.close = () => child.kill('SIGTERM');
    child.stdin.on('error', () => undefined);
    child.stdin.on('drain', () => channel.emit('drain'));
    child.stdout.on('data', (chunk: Buffer) => channel.emit('data', chunk));
    child.on('close', (code) => channel.emit('close', code));
    queueMicrotask(() => callback(undefined, channel));
    return client;
  }) as unknown as Client['exec'];
  client.end = () => undefined;
  client.destroy = () => client.emit('close');
  return client as unknown as Client;
}

/**
 * Stand-ins for what a deploy node has and this machine lacks. Each records its argv (NUL-separated, one call per
 * line of `calls.log` in base64) so a test sees exactly which words arrived:
 * - sudo: takes -k/-S/-p like the real one, reads the password as the first line of stdin, then runs the command
 *   (we are root already);
 * - systemd-run: runs the unit's command in the foreground, with its --setenv variables;
 * - systemctl: answers is-enabled/is-active as a running unit would;
 * - ansible-playbook: records its working folder, argv and the become password file's content.
 */
export async function writeRemoteStandIns(dir: string): Promise<{ bin: string; log: string }> {
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  await mkdir(bin, { recursive: true });
  const record = `{ printf '%s\\0' "$(basename "$0")" "$@" | base64 -w0; echo; } >> '${log}'`;
  const scripts: Record<string, string> = {
    sudo: [
      record,
      'while [ $# -gt 0 ]; do case "$1" in -k|-S) shift ;; -p) shift 2 ;; *) break ;; esac; done',
      'IFS= read -r password || true',
      `printf '%s' "$password" | base64 -w0 >> '${join(dir, 'sudo-passwords.log')}'; echo >> '${join(dir, 'sudo-passwords.log')}'`,
      'exec "$@"',
    ].join('\n'),
    'systemd-run': [
      record,
      'while [ $# -gt 0 ]; do case "$1" in --setenv=*) export "${1#--setenv=}"; shift ;; --*) shift ;; *) break ;; esac; done',
      'exec "$@" < /dev/null',
    ].join('\n'),
    systemctl: [record, 'case "$1" in is-enabled) echo enabled ;; is-active) echo active ;; esac'].join('\n'),
    'ansible-playbook': [
      record,
      `{ printf '%s' "$PWD" | base64 -w0; echo; } >> '${join(dir, 'ansible-cwd.log')}'`,
      'while [ $# -gt 0 ]; do if [ "$1" = --become-password-file ]; then base64 -w0 "$2" >> ' +
        `'${join(dir, 'become.log')}'; echo >> '${join(dir, 'become.log')}'; fi; shift; done`,
      'echo "PLAY RECAP"',
    ].join('\n'),
  };
  for (const [name, body] of Object.entries(scripts))
    await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { bin, log };
}

/** Every recorded call: program name first, then each argument exactly as it arrived. */
export function parseCalls(logText: string): string[][] {
  return logText
    .split('\n')
    .filter(Boolean)
    .map((line) => Buffer.from(line, 'base64').toString().split('\0').slice(0, -1));
}
