import type { Api, ApiResult } from '../../electron/common/api';
import type { ClusterHost, ClusterPlan } from '../../electron/common/cluster-plan';
import type { ArchiveFormat, InventoryUpload } from '../../electron/common/inventory-api';
import type { ProjectDocument } from '../../electron/common/project';
import { describeError } from '../api/describe-error';
import type { AirsprayState, AsyncStatus, SliceCreator } from './airspray-state';
import { coalescedSaves, writeOnTop } from './project-writes';
import { isStillOpen } from './session-slice';
import { formatIn, intlFor } from '../i18n/english-intl';
import { joinItems } from '../i18n/join-items';
import { succeeded } from './succeeded';

/** The part of the plan this window edits; the bundle is chosen separately (it needs the core to read the manifest). */
export type EditablePlan = Pick<ClusterPlan, 'hosts' | 'deployNode' | 'settings'>;

export type InventoryPreview = ApiResult<'inventory.preview'>;

/** Uploaded inventory files and the plan they would make, shown before the operator confirms the import. */
export interface ImportPreview {
  files: InventoryUpload;
  plan: ApiResult<'inventory.previewImportFiles'>['plan'];
  notes: string[];
}

export interface PlanSlice {
  /** Edits not yet confirmed by a save, for the open project only. */
  planDraft: { projectId: string; plan: EditablePlan } | null;
  planSaving: boolean;
  planSaveError: string | null;
  bundleChoiceError: string | null;
  inventoryPreview: InventoryPreview | null;
  previewStatus: AsyncStatus;
  previewError: string | null;
  exporting: boolean;
  exportMessage: { kind: 'ok' | 'error'; text: string } | null;
  /** Applies a change to the plan at once and saves it; changes made while a save runs are folded into the next one. */
  editPlan(change: (plan: EditablePlan) => EditablePlan): void;
  chooseBundle(bundlePath: string | null): Promise<void>;
  loadPreview(): Promise<void>;
  /**
   * Desktop: saves through the system dialog. Browser: resolves to the archive, for the page to offer as a download.
   */
  exportInventory(format: ArchiveFormat): Promise<{ fileName: string; base64: string } | null>;
  /** What kubespray would download for the plan, checked against the bundle; with the revision it was made for. */
  downloadCheck: { projectId: string; revision: number; result: ApiResult<'inventory.checkDownloads'> } | null;
  downloadCheckStatus: AsyncStatus;
  downloadCheckError: string | null;
  /** Renders the download set (seconds: Ansible runs), so on request rather than on every edit. */
  checkDownloads(): Promise<void>;
  importPreview: ImportPreview | null;
  importStatus: AsyncStatus;
  importError: string | null;
  /** Reads uploaded inventory files into a preview; nothing changes until confirmImport. */
  previewImport(files: InventoryUpload): Promise<void>;
  /** Replaces the plan (hosts, roles, deploy node, settings) with the previewed import; the bundle stays. */
  confirmImport(): Promise<boolean>;
  cancelImport(): void;
}

let lastMerge: { cluster: ClusterPlan; draft: EditablePlan; plan: ClusterPlan } | null = null;

/**
 * The plan as this window sees it: its unsaved edits over the open project's saved plan. The merged object is
 * reused while its inputs are the same ones, as selectors must return stable references.
 */
export function selectPlan(state: AirsprayState): ClusterPlan | null {
  const project = state.currentProject;
  if (!project) return null;
  const draft = state.planDraft?.projectId === project.id ? state.planDraft.plan : null;
  if (!draft) return project.cluster;
  if (lastMerge?.cluster !== project.cluster || lastMerge.draft !== draft)
    lastMerge = { cluster: project.cluster, draft, plan: { ...project.cluster, ...draft } };
  return lastMerge.plan;
}

const noHosts: readonly ClusterHost[] = [];

/**
 * The open project's saved hosts. Without a project it is always the same empty list: a new `[]` on each call would
 * make React render again forever (maximum update depth, a white page).
 */
export const selectSavedHosts = (state: AirsprayState): readonly ClusterHost[] =>
  state.currentProject?.cluster.hosts ?? noHosts;

type SetPlan = Parameters<SliceCreator<PlanSlice>>[0];

/** An uploaded inventory: previewed first, then confirmed (it replaces the plan) or cancelled. */
function importActions(api: Api, set: SetPlan, get: () => AirsprayState) {
  return {
    previewImport: async (files: InventoryUpload) => {
      const project = get().currentProject;
      if (!project) return;
      set({ importStatus: 'loading', importError: null, importPreview: null }, false, 'plan/importPreview');
      try {
        const { plan, notes } = await api.call('inventory.previewImportFiles', { id: project.id, files });
        set({ importPreview: { files, plan, notes }, importStatus: 'loaded' }, false, 'plan/importPreviewed');
      } catch (error) {
        set(
          { importStatus: 'error', importError: describeError(error, get().locale) },
          false,
          'plan/importPreviewFailed',
        );
      }
    },

    confirmImport: async () => {
      const { currentProject: project, importPreview } = get();
      if (!project || !importPreview) return false;
      set({ importStatus: 'loading', importError: null }, false, 'plan/import');
      return succeeded(
        async () => {
          // A plan save may have gone first; replacing the plan is still what the operator confirmed.
          const { project: saved, notes } = await writeOnTop(api, project, (revision) =>
            api.call('inventory.importFiles', { id: project.id, revision, files: importPreview.files }),
          );
          const imported = formatIn(get().locale, 'review.import.done', {
            count: saved.cluster.hosts.length,
            files: joinItems(
              intlFor(get().locale),
              importPreview.files.map((file) => file.path),
            ),
          });
          // The notes are the core's, in English.
          const text = [imported, ...notes].join('\n');
          set(
            {
              currentProject: saved,
              planDraft: null,
              importPreview: null,
              importStatus: 'loaded',
              exportMessage: { kind: 'ok', text },
            },
            false,
            'plan/imported',
          );
          await get().loadPreview();
        },
        (error) =>
          set({ importStatus: 'error', importError: describeError(error, get().locale) }, false, 'plan/importFailed'),
      );
    },

    cancelImport: () =>
      set({ importPreview: null, importStatus: 'idle', importError: null }, false, 'plan/importCancelled'),
  };
}

/** Desktop: the system's save dialog. Browser: the archive, for the page to offer as a download. */
async function exportInventory(
  api: Api,
  set: SetPlan,
  get: () => AirsprayState,
  format: ArchiveFormat,
): Promise<{ fileName: string; base64: string } | null> {
  const project = get().currentProject;
  if (!project) return null;
  set({ exporting: true, exportMessage: null }, false, 'plan/export');
  try {
    let archive: { fileName: string; base64: string } | null = null;
    if (get().appInfo?.shell === 'desktop') {
      const { savedTo } = await api.call('inventory.saveArchive', { id: project.id, format });
      const text = savedTo ? formatIn(get().locale, 'review.export.saved', { path: savedTo }) : null;
      set({ exportMessage: text ? { kind: 'ok', text } : null }, false, 'plan/exported');
    } else {
      archive = await api.call('inventory.exportArchive', { id: project.id, format });
      set(
        {
          exportMessage: {
            kind: 'ok',
            text: formatIn(get().locale, 'review.export.downloaded', { file: archive.fileName }),
          },
        },
        false,
        'plan/exported',
      );
    }
    await get().loadPreview();
    return archive;
  } catch (error) {
    set({ exportMessage: { kind: 'error', text: describeError(error, get().locale) } }, false, 'plan/exportFailed');
    return null;
  } finally {
    set({ exporting: false }, false, 'plan/exportDone');
  }
}

export function createPlanSlice(api: Api): SliceCreator<PlanSlice> {
  return (set, get) => {
    let previewRequests = 0;

    // The step save (or another window) went first; this window's edits are the newest intent, so they go on top.
    const writePlan = (project: ProjectDocument, plan: EditablePlan) =>
      writeOnTop(api, project, (revision) =>
        api.call('projects.savePlan', {
          id: project.id,
          hosts: plan.hosts,
          deployNode: plan.deployNode,
          settings: plan.settings,
          revision,
        }),
      );

    async function savePlan(): Promise<void> {
      const { currentProject: project, planDraft } = get();
      if (!project || planDraft?.projectId !== project.id) return;
      try {
        const saved = await writePlan(project, planDraft.plan);
        if (isStillOpen(get(), saved.id)) set({ currentProject: saved, planSaveError: null }, false, 'plan/saved');
      } catch (error) {
        set(
          {
            planSaveError: formatIn(get().locale, 'review.plan.notSaved', {
              reason: describeError(error, get().locale),
            }),
          },
          false,
          'plan/saveFailed',
        );
      }
    }

    const requestPlanSave = coalescedSaves(savePlan, (planSaving) =>
      set({ planSaving }, false, planSaving ? 'plan/saving' : 'plan/saveDone'),
    );

    return {
      planDraft: null,
      planSaving: false,
      planSaveError: null,
      bundleChoiceError: null,
      inventoryPreview: null,
      previewStatus: 'idle',
      previewError: null,
      exporting: false,
      exportMessage: null,
      downloadCheck: null,
      downloadCheckStatus: 'idle',
      downloadCheckError: null,
      importPreview: null,
      importStatus: 'idle',
      importError: null,

      editPlan: (change) => {
        const state = get();
        const plan = selectPlan(state);
        if (!plan || !state.currentProject) return;
        const next = change({ hosts: plan.hosts, deployNode: plan.deployNode, settings: plan.settings });
        set({ planDraft: { projectId: state.currentProject.id, plan: next }, exportMessage: null }, false, 'plan/edit');
        requestPlanSave();
      },

      chooseBundle: async (bundlePath) => {
        const project = get().currentProject;
        if (!project) return;
        try {
          // A plan save of this window may have gone first: the choice is still this window's newest intent.
          const saved = await writeOnTop(api, project, (revision) =>
            api.call('projects.chooseBundle', { id: project.id, revision, bundlePath }),
          );
          set({ currentProject: saved, bundleChoiceError: null }, false, 'plan/bundleChosen');
        } catch (error) {
          set({ bundleChoiceError: describeError(error, get().locale) }, false, 'plan/bundleFailed');
        }
      },

      loadPreview: async () => {
        const project = get().currentProject;
        if (!project) return;
        // Only the newest request's answer is shown: an older one that comes back later describes an older plan.
        const request = (previewRequests += 1);
        set({ previewStatus: 'loading', previewError: null }, false, 'plan/preview');
        try {
          const inventoryPreview = await api.call('inventory.preview', { id: project.id });
          if (request === previewRequests)
            set({ inventoryPreview, previewStatus: 'loaded' }, false, 'plan/previewLoaded');
        } catch (error) {
          if (request === previewRequests)
            set(
              { previewStatus: 'error', previewError: describeError(error, get().locale) },
              false,
              'plan/previewFailed',
            );
        }
      },

      checkDownloads: async () => {
        const project = get().currentProject;
        if (!project) return;
        set({ downloadCheckStatus: 'loading', downloadCheckError: null }, false, 'plan/downloadCheck');
        try {
          const result = await api.call('inventory.checkDownloads', { id: project.id });
          set(
            {
              downloadCheck: { projectId: project.id, revision: project.revision, result },
              downloadCheckStatus: 'loaded',
            },
            false,
            'plan/downloadChecked',
          );
        } catch (error) {
          set(
            { downloadCheckStatus: 'error', downloadCheckError: describeError(error, get().locale) },
            false,
            'plan/downloadCheckFailed',
          );
        }
      },

      ...importActions(api, set, get),

      exportInventory: (format) => exportInventory(api, set, get, format),
    };
  };
}
