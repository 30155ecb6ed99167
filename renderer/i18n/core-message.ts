import type { IntlShape } from 'react-intl';
import type { CoreMessage } from '../../electron/common/core-messages';
import { planFindingMessageId, type PlanFinding } from '../../electron/common/plan-validation';
import type { MessageId } from './catalogs';

/** A message by id whose values may be messages too, formatted in the same language (the transport's own texts). */
export interface MessageById {
  id: MessageId;
  params: Record<string, string | number | MessageById>;
}

/**
 * A message by its id and values in the window's language: the core's (the CLI prints the same id in English) or the
 * transport's own.
 */
export const formatCoreMessage = (intl: IntlShape, message: MessageById): string =>
  intl.formatMessage(
    { id: message.id },
    Object.fromEntries(
      Object.entries(message.params).map(([name, value]) => [
        name,
        typeof value === 'object' ? formatCoreMessage(intl, value) : value,
      ]),
    ),
  );

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
