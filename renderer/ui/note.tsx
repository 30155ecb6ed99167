import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

/** A quiet line of help or status from the catalog (`.muted`, and `.small` where it sits under a control). */
export function Note({ id, small = false }: { id: MessageId; small?: boolean }) {
  return (
    <p className={small ? 'muted small' : 'muted'}>
      <FormattedMessage id={id} />
    </p>
  );
}
