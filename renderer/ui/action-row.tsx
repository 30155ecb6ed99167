import type { ReactNode } from 'react';

/** Buttons in a row and, beside them, a short note of what is going on (working, or why to wait); none when falsy. */
export function ActionRow({ className, note, children }: { className: string; note?: ReactNode; children: ReactNode }) {
  return (
    <div className={className}>
      {children}
      {note && <span className="small muted">{note}</span>}
    </div>
  );
}
