import type { ReactNode } from 'react';
import { AlertIcon, CheckIcon, InfoIcon } from './icons';

type Tone = 'danger' | 'attention' | 'info' | 'success';

const toneIcons = { danger: AlertIcon, attention: AlertIcon, info: InfoIcon, success: CheckIcon };

interface CalloutProps {
  /** Colours the box (the tone tokens in components.css) and picks the icon. */
  tone: Tone;
  /** Bold, above the text; a box of one sentence has none. */
  title?: ReactNode;
  className?: string;
  role?: 'alert' | 'status';
  children?: ReactNode;
  /** Stands beside the text, at the box's end (a button that acts on it). */
  action?: ReactNode;
  /** The text keeps its line breaks (a multi-line error from the core). */
  lines?: boolean;
}

/** A box in its tone: the tone's icon beside a bold title (if any) and what follows it. */
export function Callout({ tone, title, className, role, children, action, lines = false }: CalloutProps) {
  const Icon = toneIcons[tone];
  const classes = className ? `callout callout--${tone} ${className}` : `callout callout--${tone}`;
  return (
    <div className={classes} role={role}>
      <Icon />
      <div className={lines ? 'callout__body callout__body--lines' : 'callout__body'}>
        {title && <p className="callout__title">{title}</p>}
        {children}
      </div>
      {action}
    </div>
  );
}
