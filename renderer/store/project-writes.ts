import type { Api } from '../../electron/common/api';
import type { ProjectDocument } from '../../electron/common/project';
import { ApiCallError } from '../api/api-call-error';

/**
 * Writes with the revision this window holds; when another window (or a step save) went first, writes again on top of
 * the project as it is on disk now: this window's edit is the newest intent.
 */
export async function writeOnTop<Result>(
  api: Api,
  project: ProjectDocument,
  write: (revision: number, fresh?: ProjectDocument) => Promise<Result>,
): Promise<Result> {
  try {
    return await write(project.revision);
  } catch (error) {
    if (!(error instanceof ApiCallError) || error.code !== 'stale_revision') throw error;
    const fresh = await api.call('projects.open', { id: project.id });
    return await write(fresh.revision, fresh);
  }
}

/**
 * Folds calls made while a save runs into one more save: `request()` marks a save wanted, `save` runs until none is.
 * `busy` tells the store when saving starts and stops.
 */
export function coalescedSaves(save: () => Promise<void>, busy: (saving: boolean) => void): () => void {
  let saving = false;
  let wanted = false;
  async function flush(): Promise<void> {
    saving = true;
    busy(true);
    try {
      while (wanted) {
        wanted = false;
        await save();
      }
    } finally {
      saving = false;
      busy(false);
    }
  }
  return () => {
    wanted = true;
    if (!saving) void flush();
  };
}
