import type { Api } from '../../electron/common/api';
import type { CertificateReport } from '../../electron/common/certs-api';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callOpenProjectHosts } from './host-call';

export interface CertsSlice {
  /** The open project's last certificate check; null until checked (it logs in to every host, so only on request). */
  certificates: CertificateReport | null;
  certificatesProjectId: string | null;
  certificatesChecking: boolean;
  certificatesError: FieldError | null;
  /** Reads every certificate on the plan's hosts now, with the selected profile and the deploy key. */
  checkCertificates(): Promise<void>;
}

export function createCertsSlice(api: Api): SliceCreator<CertsSlice> {
  return (set, get) => ({
    certificates: null,
    certificatesProjectId: null,
    certificatesChecking: false,
    certificatesError: null,

    checkCertificates: () =>
      callOpenProjectHosts(get, (params) => api.call('certs.check', params), {
        refused: (error) => set({ certificatesError: error }, false, 'certs/refused'),
        busy: () => set({ certificatesChecking: true, certificatesError: null }, false, 'certs/checking'),
        done: (report, id) =>
          set({ certificates: report, certificatesProjectId: id, certificatesChecking: false }, false, 'certs/checked'),
        failed: (error) => set({ certificatesChecking: false, certificatesError: error }, false, 'certs/failed'),
      }),
  });
}
