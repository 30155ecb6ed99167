import { FormattedMessage } from 'react-intl';

/** First tab stop; focuses the content directly so the shells never see a navigation. */
export function SkipLink({ targetId }: { targetId: string }) {
  return (
    <a
      className="skip-link"
      href={`#${targetId}`}
      onClick={(event) => {
        event.preventDefault();
        document.getElementById(targetId)?.focus();
      }}
    >
      <FormattedMessage id="frame.skipToContent" />
    </a>
  );
}
