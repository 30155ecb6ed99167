import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const coreLogFileName = 'airspray.log';
/** Past this size the log moves to airspray.log.1 (replacing the older one): at most twice this on disk. */
const defaultMaxBytes = 1024 * 1024;
/** A line is for a person reading the log, not a dump: its start says what went wrong. */
const maxLineChars = 1000;

/** Where the core writes the failures it goes on after: something nobody sees is something nobody fixes. */
export interface CoreLog {
  /** `doing` says what was being done ("saving the push journal of bundle x"); the error says what went wrong. */
  failed(doing: string, error: unknown): void;
}

/**
 * The core's log in the data folder: append-only lines, rotated by size. Secrets never reach it: the texts of every
 * secret the core holds (from `secretsHeld`) and any PEM block are cut out before a line is written.
 */
export class FileCoreLog implements CoreLog {
  private readonly path: string;

  constructor(
    private readonly dir: string,
    private readonly secretsHeld: () => Iterable<string> = () => [],
    private readonly maxBytes = defaultMaxBytes,
  ) {
    this.path = join(dir, coreLogFileName);
  }

  failed(doing: string, error: unknown): void {
    // Cut to length only after the secrets are out, so no secret is ever written in part.
    const line = `${new Date().toISOString()} ${this.redact(`${doing}: ${describeFailure(error)}`).slice(0, maxLineChars)}\n`;
    try {
      mkdirSync(this.dir, { recursive: true });
      if ((statSync(this.path, { throwIfNoEntry: false })?.size ?? 0) + line.length > this.maxBytes)
        renameSync(this.path, `${this.path}.1`);
      appendFileSync(this.path, line, { mode: 0o600 });
    } catch {
      // The log is the last resort: a full or read-only disk must not turn a reported failure into a crash.
    }
  }

  private redact(text: string): string {
    let clean = text.replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[key removed]');
    for (const secret of this.secretsHeld())
      if (secret.length >= 4) clean = clean.split(secret).join('[secret removed]');
    return clean.replace(/\s*\n\s*/g, ' / ');
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.name}${code ? ` ${code}` : ''}: ${error.message}`;
}

/** For code run without a data folder (tests, one-off tools): failures go to stderr. */
export const stderrCoreLog: CoreLog = {
  failed: (doing, error) => console.error(`airspray: ${doing}: ${describeFailure(error).slice(0, maxLineChars)}`),
};
