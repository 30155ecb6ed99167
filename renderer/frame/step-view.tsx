import type { ComponentType } from 'react';
import { wizardSteps, type WizardStepId } from '../../electron/common/wizard';
import { AccessStep } from '../features/access/access-step';
import { BundleStep } from '../features/bundle/bundle-step';
import { DeployStep } from '../features/deploy/deploy-step';
import { DiscoverStep } from '../features/discover/discover-step';
import { OperateStep } from '../features/operate/operate-step';
import { ReviewStep } from '../features/review/review-step';
import { RolesStep } from '../features/roles/roles-step';
import { SettingsStep } from '../features/settings/settings-step';
import { useAirspray } from '../store/store-context';
import { selectStepIndex } from '../store/wizard-slice';

const stepBodies: Record<WizardStepId, ComponentType> = {
  bundle: BundleStep,
  discover: DiscoverStep,
  access: AccessStep,
  roles: RolesStep,
  settings: SettingsStep,
  review: ReviewStep,
  deploy: DeployStep,
  operate: OperateStep,
};

/** The current step's heading and body. */
export function StepView() {
  const step = useAirspray((state) => state.step);
  const index = useAirspray(selectStepIndex);
  const Body = stepBodies[step];
  return (
    <article className="step-view" aria-labelledby="step-title">
      <header className="step-view__header">
        <p className="step-view__eyebrow">
          Step {index + 1} of {wizardSteps.length}
        </p>
        <h1 id="step-title" className="step-view__title">
          {wizardSteps[index]?.title}
        </h1>
      </header>
      <Body />
    </article>
  );
}
