import { FormattedMessage, useIntl } from 'react-intl';
import { wizardSteps } from '../../electron/common/wizard';
import { useAirspray } from '../store/store-context';
import { selectStepIndex } from '../store/wizard-slice';

/** The steps in order. Any step can be opened: none checks its inputs yet, so none is marked done. */
export function StepNav() {
  const intl = useIntl();
  const currentIndex = useAirspray(selectStepIndex);
  const goToStep = useAirspray((state) => state.goToStep);
  return (
    <nav aria-label={intl.formatMessage({ id: 'frame.stepNav.label' })} className="step-nav">
      <ol className="step-nav__list">
        {wizardSteps.map((step, index) => {
          const current = index === currentIndex;
          return (
            <li key={step.id}>
              <button
                type="button"
                className={current ? 'step-nav__item step-nav__item--current' : 'step-nav__item'}
                aria-current={current ? 'step' : undefined}
                onClick={() => goToStep(step.id)}
              >
                <span className="step-nav__number" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="step-nav__title">
                  <FormattedMessage id={`step.${step.id}.title`} />
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
