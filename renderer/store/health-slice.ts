import type { Api } from '../../electron/common/api';
import { downloadFile } from '../ui/download-file';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callWithFlags, flagKeys, idleFlags } from './host-call';

export interface HealthSlice {
  healthReportBusy: boolean;
  healthReportError: FieldError | null;
  /** The file name of the last report saved, to say so. */
  healthReportSaved: string | null;
  /** Reads the cluster with the selected profile and the deploy key, and saves the page as a file. */
  downloadHealthReport(): Promise<void>;
}

const flags = flagKeys('healthReportBusy', 'healthReportError', 'health');

export function createHealthSlice(api: Api): SliceCreator<HealthSlice> {
  return (set, get) => ({
    ...idleFlags(flags),
    healthReportSaved: null,
    downloadHealthReport: () =>
      callWithFlags(get, set, flags, (params) => api.call('health.page', params), {
        cleared: { healthReportSaved: null },
        stored: ({ fileName, html }) => {
          downloadFile(fileName, html, 'text/html');
          return { healthReportSaved: fileName };
        },
      }),
  });
}
