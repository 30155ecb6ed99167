import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi } from './scripted-api';

// Slice actions that log in to the hosts: with no profile chosen they name credentialId and call nothing; with one,
// the core's refusal shows by its message and field, and the busy flag ends false.
describe('slice actions that log in to the hosts', () => {
  it.each([
    {
      action: 'checkCertificates',
      method: 'certs.check',
      refusal: new ApiCallError('no_deploy_key', 'This project has no deploy key yet.', 'projectId'),
      error: 'certificatesError',
      busy: 'certificatesChecking',
    },
    {
      action: 'backUpEtcd',
      method: 'etcd.backup',
      refusal: new ApiCallError(
        'missing_on_node',
        'etcd backup on node1: /usr/local/bin/etcdctl is not there',
        'member',
      ),
      error: 'etcdBackupError',
      busy: 'etcdBackingUp',
    },
    {
      action: 'downloadHealthReport',
      method: 'health.page',
      refusal: new ApiCallError('no_deploy_key', 'This project has no deploy key yet.', 'projectId'),
      error: 'healthReportError',
      busy: 'healthReportBusy',
    },
  ] as const)('$action asks for a profile before logging in, and names a refusal by its field', async (slice) => {
    const api = new ScriptedApi().refuses(slice.method, slice.refusal);
    const store = createAirsprayStore(api);
    store.setState({ currentProject: projectDocument() });
    await store.getState()[slice.action]();
    expect(store.getState()[slice.error]).toMatchObject({ field: 'credentialId' });
    expect(api.callsOf(slice.method)).toEqual([]);
    store.setState({ selectedCredentialId: 'cred-1' });
    await store.getState()[slice.action]();
    expect(store.getState()[slice.error]).toEqual({ message: slice.refusal.message, field: slice.refusal.field });
    expect(store.getState()[slice.busy]).toBe(false);
  });
});
