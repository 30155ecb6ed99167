import { AirsprayError } from '../../common/errors';

/** What `airspray up` exits with; docs/cli.md lists them. */
export const upExitCodes = { done: 0, stageFailed: 1, badInput: 2, interrupted: 130 } as const;

/** One step of `airspray up`: whether it is done, read from real state, and the work that does it. */
export interface UpStage {
  name: string;
  /** Why nothing needs doing (the state already holds it), or null when the stage must run. */
  done(): Promise<string | null>;
  /** Does the work and says what it did in a few words; throws when it fails. */
  run(signal: AbortSignal): Promise<string>;
  /** A failure here is the operator's input refused (the plan file, a missing secret): exit 2, not 1. */
  input?: boolean;
}

/**
 * A failure that is the operator's input, whatever stage finds it (a secret the plan file names but the environment
 * lacks). Any AirsprayError coded invalid_params counts as input too (a wrong passphrase, no sudo password given).
 */
export class UpInputError extends AirsprayError {
  constructor(message: string, field?: string) {
    super('invalid_params', message, field);
  }
}

export interface UpOutcome {
  exitCode: (typeof upExitCodes)[keyof typeof upExitCodes];
  /** The stage that failed or was interrupted. */
  stage?: string;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs the stages in order, each skipped when its state says it is done, one line each through `print`; stops at
 * the first failure. A stage left half-way (interrupted, killed, a dead link) is found not done by the next call
 * and resumes there, since every stage's work continues from the state it finds.
 */
export async function runUpStages(
  stages: readonly UpStage[],
  signal: AbortSignal,
  print: (line: string) => void,
): Promise<UpOutcome> {
  for (const stage of stages) {
    if (signal.aborted) return { exitCode: upExitCodes.interrupted, stage: stage.name };
    try {
      const skip = await stage.done();
      if (skip !== null) {
        print(`${stage.name}: skip (${skip})`);
        continue;
      }
      print(`${stage.name}: done (${await stage.run(signal)})`);
    } catch (error) {
      if (signal.aborted) {
        print(`${stage.name}: interrupted; airspray up again resumes here`);
        return { exitCode: upExitCodes.interrupted, stage: stage.name };
      }
      print(`${stage.name}: failed: ${reasonOf(error)}`);
      const input = stage.input === true || (error instanceof AirsprayError && error.code === 'invalid_params');
      return { exitCode: input ? upExitCodes.badInput : upExitCodes.stageFailed, stage: stage.name };
    }
  }
  return { exitCode: upExitCodes.done };
}
