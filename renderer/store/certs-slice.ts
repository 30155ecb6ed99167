import type { Api } from '../../electron/common/api';
import type { CertificateRenewal, CertificateReport } from '../../electron/common/certs-api';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callOpenProjectHosts } from './host-call';

export interface CertsSlice {
  /** The open project's last certificate check; null until checked (it logs in to every host, so only on request). */
  certificates: CertificateReport | null;
  certificatesProjectId: string | null;
  certificatesChecking: boolean;
  certificatesError: FieldError | null;
  /** The open project's last renewal (its table is `certificates`); null until one ran in this window. */
  certificatesRenewal: CertificateRenewal | null;
  certificatesRenewing: boolean;
  /** Reads every certificate on the plan's hosts now, with the selected profile and the deploy key. */
  checkCertificates(): Promise<void>;
  /** Renews kubeadm's certificates on every control plane, or on `hosts` to finish a renewal that stopped. */
  renewCertificates(hosts?: string[]): Promise<void>;
}

export function createCertsSlice(api: Api): SliceCreator<CertsSlice> {
  return (set, get) => ({
    certificates: null,
    certificatesProjectId: null,
    certificatesChecking: false,
    certificatesError: null,
    certificatesRenewal: null,
    certificatesRenewing: false,

    checkCertificates: () =>
      callOpenProjectHosts(get, (params) => api.call('certs.check', params), {
        refused: (error) => set({ certificatesError: error }, false, 'certs/refused'),
        busy: () =>
          set(
            { certificatesChecking: true, certificatesError: null, certificatesRenewal: null },
            false,
            'certs/checking',
          ),
        done: (report, id) =>
          set({ certificates: report, certificatesProjectId: id, certificatesChecking: false }, false, 'certs/checked'),
        failed: (error) => set({ certificatesChecking: false, certificatesError: error }, false, 'certs/failed'),
      }),

    renewCertificates: (hosts) =>
      callOpenProjectHosts(get, (params) => api.call('certs.renew', { ...params, ...(hosts ? { hosts } : {}) }), {
        refused: (error) => set({ certificatesError: error }, false, 'certs/renew-refused'),
        busy: () =>
          set(
            { certificatesRenewing: true, certificatesError: null, certificatesRenewal: null },
            false,
            'certs/renewing',
          ),
        done: (renewal, id) =>
          set(
            {
              certificatesRenewal: renewal,
              certificates: renewal.report,
              certificatesProjectId: id,
              certificatesRenewing: false,
            },
            false,
            'certs/renewed',
          ),
        failed: (error) => set({ certificatesRenewing: false, certificatesError: error }, false, 'certs/renew-failed'),
      }),
  });
}
