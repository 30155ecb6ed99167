import type { Api, ApiResult } from '../../electron/common/api';
import type { DownloadRequest } from '../../electron/common/downloads-api';

export type DownloadLink = ApiResult<'downloads.link'>;

/** The desktop shell saves through its dialog (null); a browser gets a one-use link to follow. */
export async function requestDownload(
  api: Api,
  shell: 'desktop' | 'browser' | undefined,
  request: DownloadRequest,
): Promise<DownloadLink | null> {
  if (shell === 'desktop') {
    await api.call('downloads.save', request);
    return null;
  }
  return api.call('downloads.link', request);
}
