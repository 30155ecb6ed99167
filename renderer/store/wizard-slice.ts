import { wizardSteps, type WizardStepId } from '../../electron/common/wizard';
import type { AirsprayState, SliceCreator } from './airspray-state';

export interface WizardSlice {
  step: WizardStepId;
  /** Moves to a step and, when a project is open, saves it there. */
  goToStep(step: WizardStepId): void;
  goNext(): void;
  goBack(): void;
}

export const selectStepIndex = (state: AirsprayState): number =>
  wizardSteps.findIndex((step) => step.id === state.step);
export const selectCanGoBack = (state: AirsprayState): boolean => selectStepIndex(state) > 0;
export const selectCanGoNext = (state: AirsprayState): boolean => selectStepIndex(state) < wizardSteps.length - 1;

export const createWizardSlice: SliceCreator<WizardSlice> = (set, get) => {
  function goBy(offset: number): void {
    const target = wizardSteps[selectStepIndex(get()) + offset];
    if (target) get().goToStep(target.id);
  }
  return {
    step: wizardSteps[0].id,
    goToStep: (step) => {
      if (step === get().step) return;
      set({ step }, false, 'wizard/goToStep');
      get().saveCurrentStep();
    },
    goNext: () => goBy(1),
    goBack: () => goBy(-1),
  };
};
