import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import {
  runOptionsText,
  type LifecycleProcedure,
  type LifecycleRequest,
  type ManualStep,
} from '../../../electron/common/node-lifecycle';
import { formatSentText } from '../../i18n/core-message';
import { joinItems } from '../../i18n/join-items';
import type { FieldError } from '../../store/field-error';
import { useAirspray } from '../../store/store-context';

function ManualStepItem({ step }: { step: ManualStep }) {
  const intl = useIntl();
  return (
    <li>
      <FormattedMessage
        id={`operate.procedure.manual.${step.kind}`}
        values={{
          hosts: joinItems(intl, step.hosts),
          members: joinItems(intl, step.members ?? []),
          code: (chunks) => <code>{chunks}</code>,
        }}
      />
    </li>
  );
}

/**
 * kubespray's procedure for adding or removing control plane and etcd members: its runs in order, the steps to do by
 * hand, or why kubespray refuses; and how the last one started here stands.
 */
export function NodeProcedure({ request }: { request: LifecycleRequest }) {
  const intl = useIntl();
  const { preview, watch, record, error } = useAirspray(
    useShallow((state) => ({
      preview: state.previewNodeProcedure,
      watch: state.watchNodeChanges,
      record: state.nodeChange,
      error: state.nodeChangeError,
    })),
  );
  const [shown, setShown] = useState<LifecycleProcedure | FieldError | null>(null);
  const key = JSON.stringify(request);
  useEffect(() => {
    let current = true;
    void preview(JSON.parse(key) as LifecycleRequest).then((answer) => current && setShown(answer));
    return () => void (current = false);
  }, [preview, key]);
  useEffect(() => watch(), [watch]);
  const mine = record && JSON.stringify(record.procedure.request) === key ? record : null;
  const procedure = mine?.procedure ?? (shown && 'runs' in shown ? shown : null);
  return (
    <div className="operate-procedure">
      <p className="small">
        <FormattedMessage id="operate.procedure.help" />
      </p>
      {shown && 'message' in shown && (
        <p className="field-error" role="alert">
          {shown.message}
        </p>
      )}
      {procedure && (
        <>
          <ol className="small" aria-label={intl.formatMessage({ id: 'operate.procedure.runs' })}>
            {procedure.runs.map((run, index) => (
              <li key={index}>
                <code>{runOptionsText(run.options)}</code>
                {mine && (
                  <span className="muted">
                    {' '}
                    <FormattedMessage id={`operate.procedure.state.${run.state}`} />
                  </span>
                )}
              </li>
            ))}
          </ol>
          {procedure.manualSteps.length > 0 && (
            <>
              <p className="small">
                <FormattedMessage id="operate.procedure.manual" />
              </p>
              <ul className="small">
                {procedure.manualSteps.map((step) => (
                  <ManualStepItem key={step.kind} step={step} />
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {mine?.message && (
        <p className="field-error" role="status">
          {formatSentText(intl, mine)}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
