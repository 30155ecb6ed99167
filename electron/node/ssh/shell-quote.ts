import { AirsprayError } from '../../common/errors';

/**
 * Quotes one value for a POSIX shell so it arrives as exactly one argument, verbatim: wrapped in single quotes,
 * each embedded single quote written as '\''. Every value that reaches a remote command goes through here.
 */
export function quoteShellArg(value: string): string {
  if (value.includes('\0')) throw new AirsprayError('invalid_params', 'A value for a remote command contains a NUL byte: remove it.');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins a command and its arguments, each quoted. */
export const shellCommand = (words: readonly string[]) => words.map(quoteShellArg).join(' ');
