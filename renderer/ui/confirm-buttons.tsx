import type { ReactNode } from 'react';

/** A question's two answers: go ahead (`tone`: danger for what stops or destroys) and leave it as it is. */
export function ConfirmButtons({
  confirm,
  keep,
  tone = 'primary',
  disabled,
  onConfirm,
  onKeep,
}: {
  confirm: ReactNode;
  keep: ReactNode;
  tone?: 'primary' | 'danger';
  disabled?: boolean;
  onConfirm(): void;
  onKeep(): void;
}) {
  return (
    <>
      <button type="button" className={`btn btn--${tone}`} disabled={disabled} onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" className="btn btn--ghost" onClick={onKeep}>
        {keep}
      </button>
    </>
  );
}
