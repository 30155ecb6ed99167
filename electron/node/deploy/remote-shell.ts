import type { Client } from 'ssh2';
import { quoteShellArg } from '../ssh/shell-quote';
import { execCommand, type ExecResult } from '../ssh/ssh-connection';

/**
 * Runs `script` as root through sudo. The password is the first line of stdin (sudo -S, never on a command line);
 * -k makes sudo ask for it even when a ticket is cached, so the line is never left for the script to read.
 * Scripts run here never read stdin: content they write travels as base64 arguments instead.
 */
export function execAsRoot(client: Client, script: string, sudoPassword: string | undefined): Promise<ExecResult> {
  return execCommand(client, `sudo -k -S -p '' sh -c ${quoteShellArg(script)}`, `${sudoPassword ?? ''}\n`);
}

/**
 * A shell fragment writing `content` to `path` (mode `mode`), the content carried as base64 so no quoting can break it.
 */
export function writeFileScript(path: string, content: string, mode = '644'): string {
  const encoded = Buffer.from(content).toString('base64');
  return `printf '%s' ${quoteShellArg(encoded)} | base64 -d > ${quoteShellArg(`${path}.tmp`)} && chmod ${mode} ${quoteShellArg(`${path}.tmp`)} && mv -f ${quoteShellArg(`${path}.tmp`)} ${quoteShellArg(path)}`;
}

/** The sudo password of a profile: its own, else the login password (the usual case on a data-center account). */
export function sudoPasswordOf(credential: {
  auth: { kind: string; password?: string };
  sudoPassword?: string | undefined;
}): string | undefined {
  if (credential.sudoPassword !== undefined && credential.sudoPassword !== '') return credential.sudoPassword;
  return credential.auth.kind === 'password' ? credential.auth.password : undefined;
}

/** Whether sudo itself refused (wrong or missing password, no sudo rights), from a command's stderr. */
export const sudoRefused = (stderr: string) =>
  /incorrect password|no password was provided|sorry, try again|not in the sudoers|may not run sudo/i.test(stderr);

/** Fails with the command's own words when it did not exit 0. */
export function assertSucceeded(result: ExecResult, what: string): ExecResult {
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new Error(`${what} failed (exit ${result.code}): ${detail || 'no output'}`);
  }
  return result;
}
