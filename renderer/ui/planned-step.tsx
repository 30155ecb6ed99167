import type { ReactNode } from 'react';
import { InfoIcon } from './icons';

/** What an unbuilt step will do, said plainly, so nobody mistakes it for a working screen. */
export function PlannedStep({ children }: { children: ReactNode }) {
  return (
    <section className="planned-step" aria-labelledby="planned-step-title">
      <div className="planned-step__head">
        <InfoIcon />
        <h2 id="planned-step-title" className="planned-step__title">
          Not built yet
        </h2>
      </div>
      <p className="planned-step__text">{children}</p>
      <p className="planned-step__note">Nothing on this step is saved or sent yet.</p>
    </section>
  );
}
