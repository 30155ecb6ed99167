import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

interface ActionFormProps {
  className: string;
  /** The form's accessible name, from the catalog. */
  labelId: MessageId;
  /** Runs on submit, in place of the browser's page load. */
  onSubmit: () => void;
  children: ReactNode;
}

/** A form named from the catalog whose submit runs an action; no browser checks: the core's errors name the field. */
export function ActionForm({ className, labelId, onSubmit, children }: ActionFormProps) {
  const intl = useIntl();
  return (
    <form
      className={className}
      aria-label={intl.formatMessage({ id: labelId })}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
