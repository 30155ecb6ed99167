import type { ReactNode } from 'react';

/** A question's two answers, side by side: go ahead (primary) and leave it as it is (ghost). */
export function ConfirmButtons({
  confirm,
  keep,
  disabled,
  onConfirm,
  onKeep,
}: {
  confirm: ReactNode;
  keep: ReactNode;
  disabled?: boolean;
  onConfirm(): void;
  onKeep(): void;
}) {
  return (
    <>
      <button type="button" className="btn btn--primary" disabled={disabled} onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" className="btn btn--ghost" onClick={onKeep}>
        {keep}
      </button>
    </>
  );
}
