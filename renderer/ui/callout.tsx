import type { ReactNode } from 'react';
import { AlertIcon, CheckIcon, InfoIcon } from './icons';

type Tone = 'danger' | 'attention' | 'info' | 'success';

const toneIcons = { danger: AlertIcon, attention: AlertIcon, info: InfoIcon, success: CheckIcon };

interface CalloutProps {
  /** Colours the box (the tone tokens in components.css) and picks the icon. */
  tone: Tone;
  title: ReactNode;
  className?: string;
  role?: 'alert' | 'status';
  children?: ReactNode;
  /** Stands beside the text, at the box's end (a button that acts on it). */
  action?: ReactNode;
}

/** A box in its tone: the tone's icon beside a bold title and what follows it. */
export function Callout({ tone, title, className, role, children, action }: CalloutProps) {
  const Icon = toneIcons[tone];
  const classes = className ? `callout callout--${tone} ${className}` : `callout callout--${tone}`;
  return (
    <div className={classes} role={role}>
      <Icon />
      <div className="callout__body">
        <p className="callout__title">{title}</p>
        {children}
      </div>
      {action}
    </div>
  );
}
