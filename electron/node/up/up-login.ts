import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { CredentialInput, CredentialReference } from '../../common/credentials';
import { assertUsablePrivateKey } from '../ssh/ssh-connection';
import { UpInputError } from './up-stages';

/** A secret the plan file names by its environment variable; a missing or empty one is refused by name. */
function fromEnvironment(env: NodeJS.ProcessEnv, variable: string, field: string): string {
  const value = env[variable];
  if (!value)
    throw new UpInputError(
      `login.${field} names ${variable}, which is not set: export ${variable} holding the secret, then run again.`,
      `login.${field}`,
    );
  return value;
}

/** The key file's path: `~/` is the home folder, a relative path is read from the plan file's folder. */
export function keyFilePath(keyFile: string, planDir: string): string {
  if (keyFile === '~' || keyFile.startsWith('~/')) return join(homedir(), keyFile.slice(1));
  return isAbsolute(keyFile) ? keyFile : resolve(planDir, keyFile);
}

/**
 * The login a plan file references, with its secrets read now from the environment and the key file: the one
 * place `airspray up` turns references into secrets, which stay in memory only.
 */
export async function credentialFromReference(
  login: CredentialReference | undefined,
  env: NodeJS.ProcessEnv,
  planDir: string,
): Promise<CredentialInput> {
  if (!login)
    throw new UpInputError(
      'The plan file has no login: add login.user and login.keyFile or login.passwordEnv (docs/plan-file.md).',
      'login',
    );
  const sudoPassword = login.sudoPasswordEnv
    ? fromEnvironment(env, login.sudoPasswordEnv, 'sudoPasswordEnv')
    : undefined;
  const base = { label: 'plan file', user: login.user, ...(sudoPassword !== undefined ? { sudoPassword } : {}) };
  if (login.passwordEnv)
    return { ...base, auth: { kind: 'password', password: fromEnvironment(env, login.passwordEnv, 'passwordEnv') } };
  const path = keyFilePath(login.keyFile!, planDir);
  const privateKey = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UpInputError(
      `login.keyFile ${path} cannot be read (${error.code}): give the path of the private key file.`,
      'login.keyFile',
    );
  });
  const passphrase = login.passphraseEnv ? fromEnvironment(env, login.passphraseEnv, 'passphraseEnv') : undefined;
  try {
    assertUsablePrivateKey(privateKey, passphrase);
  } catch (error) {
    throw new UpInputError(`login.keyFile ${path}: ${(error as Error).message}`, 'login.keyFile');
  }
  return { ...base, auth: { kind: 'key', privateKey, ...(passphrase !== undefined ? { passphrase } : {}) } };
}
