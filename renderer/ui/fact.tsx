import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../i18n/catalogs';

/** One term of a fact list (`<dl className="facts">`): its label from the catalog, then its value. */
export function Fact({
  labelId,
  className,
  children,
}: {
  labelId: MessageId;
  className?: string;
  children: ReactNode;
}) {
  return (
    <>
      <dt>
        <FormattedMessage id={labelId} />
      </dt>
      <dd className={className}>{children}</dd>
    </>
  );
}
