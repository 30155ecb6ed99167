import type { Api } from '../../electron/common/api';
import { downloadFile } from '../ui/download-file';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callOpenProjectHosts } from './host-call';

export interface HealthSlice {
  healthReportBusy: boolean;
  healthReportError: FieldError | null;
  /** The file name of the last report saved, to say so. */
  healthReportSaved: string | null;
  /** Reads the cluster with the selected profile and the deploy key, and saves the page as a file. */
  downloadHealthReport(): Promise<void>;
}

export function createHealthSlice(api: Api): SliceCreator<HealthSlice> {
  return (set, get) => ({
    healthReportBusy: false,
    healthReportError: null,
    healthReportSaved: null,

    downloadHealthReport: () =>
      callOpenProjectHosts(get, (params) => api.call('health.page', params), {
        refused: (error) => set({ healthReportError: error }, false, 'health/refused'),
        busy: () =>
          set({ healthReportBusy: true, healthReportError: null, healthReportSaved: null }, false, 'health/reading'),
        done: ({ fileName, html }) => {
          downloadFile(fileName, html, 'text/html');
          set({ healthReportBusy: false, healthReportSaved: fileName }, false, 'health/saved');
        },
        failed: (error) => set({ healthReportBusy: false, healthReportError: error }, false, 'health/failed'),
      }),
  });
}
