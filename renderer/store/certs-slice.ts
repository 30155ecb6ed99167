import type { Api } from '../../electron/common/api';
import type { CertificateReport } from '../../electron/common/certs-api';
import type { SliceCreator } from './airspray-state';
import type { FieldError } from './field-error';
import { callWithFlags, flagKeys, idleFlags } from './host-call';

export interface CertsSlice {
  /** The open project's last certificate check; null until checked (it logs in to every host, so only on request). */
  certificates: CertificateReport | null;
  certificatesProjectId: string | null;
  certificatesChecking: boolean;
  certificatesError: FieldError | null;
  /** Reads every certificate on the plan's hosts now, with the selected profile and the deploy key. */
  checkCertificates(): Promise<void>;
}

const flags = flagKeys('certificatesChecking', 'certificatesError', 'certs');

export function createCertsSlice(api: Api): SliceCreator<CertsSlice> {
  return (set, get) => ({
    ...idleFlags(flags),
    certificates: null,
    certificatesProjectId: null,
    checkCertificates: () =>
      callWithFlags(get, set, flags, (params) => api.call('certs.check', params), {
        stored: (report, id) => ({ certificates: report, certificatesProjectId: id }),
      }),
  });
}
