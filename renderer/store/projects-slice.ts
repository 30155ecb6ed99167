import type { Api } from '../../electron/common/api';
import type { ProjectDocument, ProjectSummary } from '../../electron/common/project';
import type { WizardStepId } from '../../electron/common/wizard';
import type { AsyncStatus, SliceCreator } from './airspray-state';
import { describeError } from '../api/describe-error';
import { fieldErrorOf, type FieldError } from './field-error';
import { coalescedSaves, writeOnTop } from './project-writes';
import { isStillOpen } from './session-slice';
import { formatIn } from '../i18n/english-intl';
import { succeeded } from './succeeded';

export interface ProjectsSlice {
  projects: ProjectSummary[];
  projectsStatus: AsyncStatus;
  projectsError: string | null;
  openingProjectId: string | null;
  openProjectError: string | null;
  creatingProject: boolean;
  createProjectError: FieldError | null;
  stepSaving: boolean;
  stepSaveError: string | null;
  projectPickerOpen: boolean;
  loadProjects(): Promise<void>;
  /** Resolves true when the project was created and opened. */
  createProject(name: string): Promise<boolean>;
  openProject(id: string): Promise<boolean>;
  clearCreateProjectError(): void;
  /** Saves the wizard's current step into the open project; calls made while a save runs are folded into one. */
  saveCurrentStep(): void;
  /** Keeps `projects` in step with other windows until the returned function is called. */
  watchProjects(): () => void;
  setProjectPickerOpen(open: boolean): void;
}

export function createProjectsSlice(api: Api): SliceCreator<ProjectsSlice> {
  return (set, get) => {
    // The step is a position, not data: this window's choice goes on top of another window's save.
    const writeStep = (project: ProjectDocument, step: WizardStepId) =>
      writeOnTop(api, project, (revision) => api.call('projects.setStep', { id: project.id, step, revision }));

    async function saveStep(): Promise<void> {
      const { currentProject: project, step } = get();
      if (!project || project.wizard.step === step) return;
      try {
        const saved = await writeStep(project, step);
        if (isStillOpen(get(), saved.id))
          set({ currentProject: saved, stepSaveError: null }, false, 'projects/stepSaved');
      } catch (error) {
        if (isStillOpen(get(), project.id)) {
          const reason = describeError(error, get().locale);
          const stepSaveError = formatIn(get().locale, 'projects.step.notSaved', { project: project.name, reason });
          set({ stepSaveError }, false, 'projects/stepSaveFailed');
        }
      }
    }

    const requestStepSave = coalescedSaves(saveStep, (stepSaving) =>
      set({ stepSaving }, false, stepSaving ? 'projects/stepSaving' : 'projects/stepSaveDone'),
    );

    function showOpened(project: ProjectDocument, action: string, step = project.wizard.step): void {
      set(
        {
          currentProject: project,
          step,
          openingProjectId: null,
          openProjectError: null,
          stepSaveError: null,
          projectPickerOpen: false,
        },
        false,
        action,
      );
    }

    return {
      projects: [],
      projectsStatus: 'idle',
      projectsError: null,
      openingProjectId: null,
      openProjectError: null,
      creatingProject: false,
      createProjectError: null,
      stepSaving: false,
      stepSaveError: null,
      projectPickerOpen: false,

      loadProjects: async () => {
        set({ projectsStatus: 'loading', projectsError: null }, false, 'projects/load');
        try {
          const projects = await api.call('projects.list', {});
          set({ projects, projectsStatus: 'loaded' }, false, 'projects/loaded');
        } catch (error) {
          set(
            { projectsStatus: 'error', projectsError: describeError(error, get().locale) },
            false,
            'projects/loadFailed',
          );
        }
      },

      createProject: async (name) => {
        set({ creatingProject: true, createProjectError: null }, false, 'projects/create');
        return succeeded(
          async () => {
            const project = await api.call('projects.create', { name });
            set({ creatingProject: false }, false, 'projects/created');
            showOpened(project, 'projects/opened');
            void get().loadProjects();
          },
          (error) =>
            set({ creatingProject: false, createProjectError: fieldErrorOf(error) }, false, 'projects/createFailed'),
        );
      },

      openProject: async (id) => {
        const stepAtStart = get().step;
        set({ openingProjectId: id, openProjectError: null }, false, 'projects/open');
        return succeeded(
          async () => {
            const project = await api.call('projects.open', { id });
            // A step clicked while the project was opening is the user's latest choice: it wins over the saved one.
            const chosen = get().step === stepAtStart ? project.wizard.step : get().step;
            showOpened(project, 'projects/opened', chosen);
            if (chosen !== project.wizard.step) requestStepSave();
          },
          (error) =>
            set(
              { openingProjectId: null, openProjectError: describeError(error, get().locale) },
              false,
              'projects/openFailed',
            ),
        );
      },

      clearCreateProjectError: () => set({ createProjectError: null }, false, 'projects/clearCreateError'),

      saveCurrentStep: () => {
        if (get().currentProject) requestStepSave();
      },

      watchProjects: () =>
        api.subscribe('projects.changed', ({ projects }) =>
          set({ projects, projectsStatus: 'loaded', projectsError: null }, false, 'projects/changed'),
        ),

      setProjectPickerOpen: (open) => set({ projectPickerOpen: open }, false, 'projects/picker'),
    };
  };
}
