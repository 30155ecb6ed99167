import type { Api } from '../../electron/common/api';
import type { CertificateRenewal, CertificateReport } from '../../electron/common/certs-api';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callWithFlags, flagKeys, idleFlags } from './host-call';

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

const flags = flagKeys('certificatesChecking', 'certificatesError', 'certs');
// A renewal's failure shows where a check's does: one error line for the panel.
const renewFlags = flagKeys('certificatesRenewing', 'certificatesError', 'certs/renew');

export function createCertsSlice(api: Api): SliceCreator<CertsSlice> {
  return (set, get) => ({
    ...idleFlags(flags, renewFlags),
    certificates: null,
    certificatesProjectId: null,
    certificatesRenewal: null,

    checkCertificates: () =>
      callWithFlags(get, set, flags, (params) => api.call('certs.check', params), {
        cleared: { certificatesRenewal: null },
        stored: (report, id) => ({ certificates: report, certificatesProjectId: id }),
      }),

    renewCertificates: (hosts) =>
      callWithFlags(
        get,
        set,
        renewFlags,
        (params) => api.call('certs.renew', { ...params, ...(hosts ? { hosts } : {}) }),
        {
          cleared: { certificatesRenewal: null },
          stored: (renewal, id) => ({
            certificatesRenewal: renewal,
            certificates: renewal.report,
            certificatesProjectId: id,
          }),
        },
      ),
  });
}
