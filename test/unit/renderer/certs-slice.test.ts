import { describe, expect, it } from 'vitest';
import type { CertificateReport } from '../../../electron/common/certs-api';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi } from './scripted-api';

const project = projectDocument();
const report: CertificateReport = {
  checkedAt: '2026-01-01T10:00:00.000Z',
  hosts: [{ name: 'node1', address: '10.0.0.11', ok: true, files: [] }],
};

describe('certs slice', () => {
  it('checks with the selected profile and the typed deploy key passphrase, for the open project', async () => {
    const api = new ScriptedApi().on('certs.check', () => report);
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    store.getState().setDeployKeyPassphrase('correct horse');
    await store.getState().checkCertificates();
    expect(api.callsOf('certs.check')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', keyPassphrase: 'correct horse' },
    ]);
    expect(store.getState()).toMatchObject({
      certificates: report,
      certificatesProjectId: project.id,
      certificatesChecking: false,
    });
  });
});
