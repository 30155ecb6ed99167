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

describe('certs slice: renewal', () => {
  const renewal = {
    renewed: [{ name: 'node1', address: '10.0.0.11', renewedAt: '2026-01-01T10:05:00.000Z' }],
    stopped: { name: 'node2', address: '10.0.0.12', reason: 'cannot log in to node2' },
    remaining: ['node2'],
    report,
  };

  it('renews every control plane, then shows the table read again, and finishes on the named rest', async () => {
    const api = new ScriptedApi().on('certs.renew', () => renewal);
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().renewCertificates();
    await store.getState().renewCertificates(['node2']);
    expect(api.callsOf('certs.renew')).toEqual([
      { projectId: project.id, credentialId: 'cred-1' },
      { projectId: project.id, credentialId: 'cred-1', hosts: ['node2'] },
    ]);
    expect(store.getState()).toMatchObject({
      certificatesRenewal: renewal,
      certificates: report,
      certificatesProjectId: project.id,
      certificatesRenewing: false,
    });
  });

  it('forgets the renewal when the table is checked again', async () => {
    const api = new ScriptedApi().on('certs.renew', () => renewal).on('certs.check', () => report);
    const store = createAirsprayStore(api);
    store.setState({ currentProject: project, selectedCredentialId: 'cred-1' });
    await store.getState().renewCertificates();
    await store.getState().checkCertificates();
    expect(store.getState().certificatesRenewal).toBeNull();
  });
});
