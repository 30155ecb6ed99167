import { IntlMessageFormat } from 'intl-messageformat';
import { coreMessages, type CoreMessageId, type CoreMessageParams } from '../../common/core-messages';
import { AirsprayError, CoreRefusal, type ApiErrorCode } from '../../common/errors';
import { planFindingMessageId, type PlanFinding } from '../../common/plan-validation';

const compiled = new Map<CoreMessageId, IntlMessageFormat>();

/** A core message in English, with the ICU semantics the window's react-intl uses: what the CLI prints and logs. */
export function formatCoreMessage(id: CoreMessageId, params: CoreMessageParams = {}): string {
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(coreMessages[id], 'en');
    compiled.set(id, format);
  }
  return String(format.format(params));
}

/**
 * An error whose message comes from the catalog: its English is what the CLI prints, its id and values go beside it so
 * the window says it in the operator's language.
 */
export const coreError = (code: ApiErrorCode, id: CoreMessageId, params: CoreMessageParams = {}, field?: string) =>
  new AirsprayError(code, formatCoreMessage(id, params), field, { id, params });

/** Runs a rule of electron/common that refuses by id (`CoreRefusal`), giving its refusal the English the CLI prints. */
export function inEnglish<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof CoreRefusal) || !error.i18n) throw error;
    throw coreError(error.code, error.i18n.id, error.i18n.params, error.field);
  }
}

/** What a plan finding says, in English. */
export const planFindingMessage = (finding: PlanFinding) =>
  formatCoreMessage(planFindingMessageId(finding.rule), finding.params);

/** A finding as the API and `--json` report it: its id and values, and the English text beside them. */
export const withEnglishMessage = (finding: PlanFinding) => ({ ...finding, message: planFindingMessage(finding) });
