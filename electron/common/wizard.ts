/** The wizard's steps, in order. The renderer has one folder per step under renderer/features/. */
export const wizardSteps = [
  { id: 'bundle', title: 'Bundle' },
  { id: 'discover', title: 'Discover' },
  { id: 'access', title: 'Access' },
  { id: 'roles', title: 'Roles' },
  { id: 'settings', title: 'Settings' },
  { id: 'review', title: 'Review & export' },
  { id: 'deploy', title: 'Deploy' },
  { id: 'operate', title: 'Operate' },
] as const;

export type WizardStepId = (typeof wizardSteps)[number]['id'];
export const wizardStepIds = wizardSteps.map((step) => step.id) as [WizardStepId, ...WizardStepId[]];
