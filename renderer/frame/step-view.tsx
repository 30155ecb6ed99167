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
import { RenderErrorBoundary } from '../ui/render-error-boundary';
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

/** The current step's heading and body; a body that fails to render shows why, and the frame keeps working. */
export function StepView() {
  const step = useAirspray((state) => state.step);
  const index = useAirspray(selectStepIndex);
  const goBack = useAirspray((state) => state.goBack);
  const Body = stepBodies[step];
  const title = wizardSteps[index]?.title ?? step;
  const previous = wizardSteps[index - 1];
  return (
    <article className="step-view" aria-labelledby="step-title">
      <header className="step-view__header">
        <p className="step-view__eyebrow">
          Step {index + 1} of {wizardSteps.length}
        </p>
        <h1 id="step-title" className="step-view__title">
          {title}
        </h1>
      </header>
      {/* Keyed by step: another step starts with a fresh boundary, not the last step's error. */}
      <RenderErrorBoundary
        key={step}
        where={`The ${title} step`}
        back={previous && { label: `Back to ${previous.title}`, go: goBack }}
        hint="The rest of the window still works: try again, open another step, or copy the details for a bug report."
      >
        <Body />
      </RenderErrorBoundary>
    </article>
  );
}
