import type { ComponentType } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
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
  const intl = useIntl();
  const step = useAirspray((state) => state.step);
  const index = useAirspray(selectStepIndex);
  const goBack = useAirspray((state) => state.goBack);
  const Body = stepBodies[step];
  const title = intl.formatMessage({ id: `step.${step}.title` });
  const previous = wizardSteps[index - 1];
  const previousTitle = previous && intl.formatMessage({ id: `step.${previous.id}.title` });
  return (
    <article className="step-view" aria-labelledby="step-title">
      <header className="step-view__header">
        <p className="step-view__eyebrow">
          <FormattedMessage id="frame.step.position" values={{ number: index + 1, count: wizardSteps.length }} />
        </p>
        <h1 id="step-title" className="step-view__title">
          {title}
        </h1>
      </header>
      {/* Keyed by step: another step starts with a fresh boundary, not the last step's error. */}
      <RenderErrorBoundary
        key={step}
        where={intl.formatMessage({ id: 'frame.step.where' }, { step: title })}
        back={
          previousTitle
            ? { label: intl.formatMessage({ id: 'frame.step.backTo' }, { step: previousTitle }), go: goBack }
            : undefined
        }
        hint={intl.formatMessage({ id: 'frame.step.failedHint' })}
      >
        <Body />
      </RenderErrorBoundary>
    </article>
  );
}
