import type { IntlShape } from 'react-intl';
import type { CoreMessage } from '../../electron/common/core-messages';
import { planFindingMessageId, type PlanFinding } from '../../electron/common/plan-validation';

/** A message from the core, by its id and values, in the window's language (the CLI prints the same id in English). */
export const formatCoreMessage = (intl: IntlShape, message: CoreMessage) =>
  intl.formatMessage({ id: message.id }, message.params);

/** Where a procedure's record (a node change, an upgrade) stands: by id when the core sent one, else as it came. */
export const formatRecordMessage = (intl: IntlShape, record: { message?: string; i18n?: CoreMessage | undefined }) =>
  record.i18n ? formatCoreMessage(intl, record.i18n) : record.message;

/** What a plan finding says, in the window's language. */
export const formatPlanFinding = (intl: IntlShape, finding: PlanFinding) =>
  formatCoreMessage(intl, { id: planFindingMessageId(finding.rule), params: finding.params });
