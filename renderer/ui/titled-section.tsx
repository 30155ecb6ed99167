import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

interface TitledSectionProps {
  /** The catalog id of the heading; it names the section too unless `labelId` says otherwise. */
  titleId: MessageId;
  labelId?: MessageId;
  className?: string;
  children: ReactNode;
}

/** A section of a page: its heading from the catalog, and the section named for assistive technology. */
export function TitledSection({ titleId, labelId = titleId, className, children }: TitledSectionProps) {
  const intl = useIntl();
  return (
    <section className={className} aria-label={intl.formatMessage({ id: labelId })}>
      <h2 className="section-title">
        <FormattedMessage id={titleId} />
      </h2>
      {children}
    </section>
  );
}
