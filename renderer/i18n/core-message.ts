import type { IntlShape } from 'react-intl';
import type { CoreMessage } from '../../electron/common/core-messages';
import { planFindingMessageId, type PlanFinding } from '../../electron/common/plan-validation';

/** A message from the core, by its id and values, in the window's language (the CLI prints the same id in English). */
export const formatCoreMessage = (intl: IntlShape, message: CoreMessage) =>
  intl.formatMessage({ id: message.id }, message.params);

/**
 * A text the core sent in English with its id beside it (a procedure's record, a download finding): by id when it
 * came with one, else as it came.
 */
export const formatSentText = (
  intl: IntlShape,
  sent: { message?: string | undefined; i18n?: CoreMessage | undefined },
) => (sent.i18n ? formatCoreMessage(intl, sent.i18n) : sent.message);

/** What a plan finding says, in the window's language. */
export const formatPlanFinding = (intl: IntlShape, finding: PlanFinding) =>
  formatCoreMessage(intl, { id: planFindingMessageId(finding.rule), params: finding.params });
