import type { ReactNode } from 'react';

/** The tags the catalog's messages may use, the same in every message (react-intl's defaultRichTextElements). */
export const richTextElements = {
  code: (chunks: ReactNode[]) => <code>{chunks}</code>,
  strong: (chunks: ReactNode[]) => <strong>{chunks}</strong>,
};
