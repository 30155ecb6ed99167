import type { CoreMessage } from './core-messages';

/**
 * Codes every transport reports; the UI acts on them (never on message text) and tests assert them. `conflict` is
 * what is left when none of the specific ones fits: the state of the world refuses the request.
 */
export const apiErrorCodes = [
  'bad_request',
  'unknown_method',
  'invalid_params',
  'not_found',
  'conflict',
  /** The caller's revision is not the stored one: re-read and apply the change again. */
  'stale_revision',
  /** The project has no deploy key yet: install it on the hosts first. */
  'no_deploy_key',
  /** The operator cancelled the operation; nothing to report as a failure. */
  'cancelled',
  /** The same operation is running already for this project or path. */
  'already_running',
  /** The deploy node lacks a program the operation needs there (python3, ansible-playbook). */
  'missing_on_node',
  /** sudo on a host refused (a wrong or missing sudo password). */
  'sudo_refused',
  'unsupported',
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/**
 * The project's own error type: every failure that reaches a user carries a code and a message naming the problem and
 * the fix. Built from the core catalog (coreError in electron/node/i18n), it also carries the message's id and values,
 * so the window can say it in the operator's language.
 */
export class AirsprayError extends Error {
  override readonly name = 'AirsprayError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly i18n?: CoreMessage,
  ) {
    super(message);
  }
}

/**
 * A refusal decided in electron/common, which formats no ICU: its id and values, the id standing as its message until
 * electron/node gives it the English the CLI prints (`inEnglish`, electron/node/i18n/format-core-message.ts).
 */
export class CoreRefusal extends AirsprayError {
  constructor(code: ApiErrorCode, id: CoreMessage['id'], params: CoreMessage['params'], field?: string) {
    super(code, id, field, { id, params });
  }
}
