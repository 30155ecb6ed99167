import { FormattedMessage } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { wizardSteps } from '../../electron/common/wizard';
import { useAirspray } from '../store/store-context';
import { selectCanGoBack, selectCanGoNext, selectStepIndex } from '../store/wizard-slice';
import { ArrowLeftIcon, ArrowRightIcon } from '../ui/icons';

/** Back / Next, where the step's progress is saved, and what comes next. */
export function StepFooter() {
  const { canGoBack, canGoNext, index, projectName, saving, saveError } = useAirspray(
    useShallow((state) => ({
      canGoBack: selectCanGoBack(state),
      canGoNext: selectCanGoNext(state),
      index: selectStepIndex(state),
      projectName: state.currentProject?.name ?? null,
      saving: state.stepSaving,
      saveError: state.stepSaveError,
    })),
  );
  const goBack = useAirspray((state) => state.goBack);
  const goNext = useAirspray((state) => state.goNext);
  const nextStep = wizardSteps[index + 1];

  return (
    <div className="step-footer">
      <div className="step-footer__status">
        {saveError ? (
          <p className="step-footer__error" role="alert">
            {saveError}
          </p>
        ) : (
          <p className="muted" role="status">
            <SaveStatus projectName={projectName} saving={saving} />
          </p>
        )}
      </div>
      <div className="step-footer__actions">
        {nextStep && (
          <span className="step-footer__next muted">
            <FormattedMessage
              id="frame.footer.upNext"
              values={{ step: <FormattedMessage id={`step.${nextStep.id}.title`} /> }}
            />
          </span>
        )}
        <button type="button" className="btn" onClick={goBack} disabled={!canGoBack} aria-keyshortcuts="Alt+ArrowLeft">
          <ArrowLeftIcon />
          <FormattedMessage id="frame.footer.back" />
        </button>
        <button
          type="button"
          className="btn btn--primary"
          onClick={goNext}
          disabled={!canGoNext}
          aria-keyshortcuts="Alt+ArrowRight"
        >
          <FormattedMessage id="frame.footer.next" />
          <ArrowRightIcon />
        </button>
      </div>
    </div>
  );
}

function SaveStatus({ projectName, saving }: { projectName: string | null; saving: boolean }) {
  if (!projectName) return <FormattedMessage id="frame.footer.notSaved" />;
  return (
    <FormattedMessage id={saving ? 'frame.footer.saving' : 'frame.footer.saved'} values={{ project: projectName }} />
  );
}
