import { coreError } from '../i18n/format-core-message';

/**
 * Quotes one value as a single POSIX shell word: wrapped in single quotes, each ' written as '\''. Inside single
 * quotes nothing is special ($, `, \, newlines), so the value arrives verbatim as one argument. NUL cannot be
 * carried by any shell argument and would silently cut it short, so it is refused.
 */
export function quoteShellArg(value: string, field = 'value'): string {
  if (value.includes('\0')) {
    throw coreError('invalid_params', 'ssh.nul-character', { field }, field);
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line from its words (the program first), each quoted: `sudo -n true` becomes `'sudo' '-n' 'true'`. */
export function shellCommand(words: readonly string[]): string {
  return words.map((word) => quoteShellArg(word)).join(' ');
}
