import type { Api } from '../../electron/common/api';
import type { ProjectDocument, ProjectSummary } from '../../electron/common/project';
import type { WizardStepId } from '../../electron/common/wizard';
import { ApiCallError } from '../api/api-call-error';
import type { AsyncStatus, SliceCreator } from './airspray-state';
import { describeError } from '../api/describe-error';

/** An error the API tied to one input (`field` as the API named it). */
export interface FieldError {
  message: string;
  field?: string;
}

export interface ProjectsSlice {
  projects: ProjectSummary[];
  projectsStatus: AsyncStatus;
  projectsError: string | null;
  /** The open project as last saved; its `revision` goes with every write. */
  currentProject: ProjectDocument | null;
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
    let saving = false;
    let saveWanted = false;

    async function writeStep(project: ProjectDocument, step: WizardStepId): Promise<ProjectDocument> {
      try {
        return await api.call('projects.setStep', { id: project.id, step, revision: project.revision });
      } catch (error) {
        if (!(error instanceof ApiCallError) || error.code !== 'stale_revision') throw error;
        // Another window saved first; the step is a position, not data, so this window's choice goes on top of theirs.
        const fresh = await api.call('projects.open', { id: project.id });
        return await api.call('projects.setStep', { id: project.id, step, revision: fresh.revision });
      }
    }

    async function flushStep(): Promise<void> {
      saving = true;
      set({ stepSaving: true }, false, 'projects/stepSaving');
      try {
        while (saveWanted) {
          saveWanted = false;
          const { currentProject: project, step } = get();
          if (!project || project.wizard.step === step) continue;
          try {
            const saved = await writeStep(project, step);
            if (get().currentProject?.id === saved.id) {
              set({ currentProject: saved, stepSaveError: null }, false, 'projects/stepSaved');
            }
          } catch (error) {
            if (get().currentProject?.id === project.id) {
              const stepSaveError = `The step was not saved to ${project.name}: ${describeError(error)}`;
              set({ stepSaveError }, false, 'projects/stepSaveFailed');
            }
          }
        }
      } finally {
        saving = false;
        set({ stepSaving: false }, false, 'projects/stepSaveDone');
      }
    }

    function showOpened(project: ProjectDocument, action: string): void {
      set(
        {
          currentProject: project,
          step: project.wizard.step,
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
      currentProject: null,
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
          set({ projectsStatus: 'error', projectsError: describeError(error) }, false, 'projects/loadFailed');
        }
      },

      createProject: async (name) => {
        set({ creatingProject: true, createProjectError: null }, false, 'projects/create');
        try {
          const project = await api.call('projects.create', { name });
          set({ creatingProject: false }, false, 'projects/created');
          showOpened(project, 'projects/opened');
          void get().loadProjects();
          return true;
        } catch (error) {
          const createProjectError: FieldError =
            error instanceof ApiCallError && error.field !== undefined
              ? { message: error.message, field: error.field }
              : { message: describeError(error) };
          set({ creatingProject: false, createProjectError }, false, 'projects/createFailed');
          return false;
        }
      },

      openProject: async (id) => {
        set({ openingProjectId: id, openProjectError: null }, false, 'projects/open');
        try {
          showOpened(await api.call('projects.open', { id }), 'projects/opened');
          return true;
        } catch (error) {
          set({ openingProjectId: null, openProjectError: describeError(error) }, false, 'projects/openFailed');
          return false;
        }
      },

      clearCreateProjectError: () => set({ createProjectError: null }, false, 'projects/clearCreateError'),

      saveCurrentStep: () => {
        if (!get().currentProject) return;
        saveWanted = true;
        if (!saving) void flushStep();
      },

      watchProjects: () =>
        api.subscribe('projects.changed', ({ projects }) =>
          set({ projects, projectsStatus: 'loaded', projectsError: null }, false, 'projects/changed'),
        ),

      setProjectPickerOpen: (open) => set({ projectPickerOpen: open }, false, 'projects/picker'),
    };
  };
}
