import type { Api } from '../../electron/common/api';
import type { CertificateReport } from '../../electron/common/certs-api';
import type { SliceCreator } from './airspray-state';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, sshCallParams } from './session-slice';

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

    checkCertificates: async () => {
      const params = sshCallParams(
        get(),
        'Pick a credential profile with a sudo password, or add one on the Access step.',
      );
      if (!params) return;
      if (isRefusal(params)) {
        set({ certificatesError: params }, false, 'certs/refused');
        return;
      }
      const id = params.projectId;
      set({ certificatesChecking: true, certificatesError: null }, false, 'certs/checking');
      try {
        const report = await api.call('certs.check', params);
        if (isStillOpen(get(), id))
          set({ certificates: report, certificatesProjectId: id, certificatesChecking: false }, false, 'certs/checked');
      } catch (error) {
        if (isStillOpen(get(), id))
          set({ certificatesChecking: false, certificatesError: fieldErrorOf(error) }, false, 'certs/failed');
      }
    },
  });
}
