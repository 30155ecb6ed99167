import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { coreCatalogs } from '../../../renderer/i18n/catalogs';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { projectDocument, ScriptedApi, settle } from './scripted-api';

const project = projectDocument();
const laptopOk = {
  from: 'laptop',
  ok: true,
  checks: [{ name: 'registry' as const, url: 'http://10.0.0.11:5000/v2/', ok: true, detail: 'answered 200' }],
};
const hostReport = (from: string, detail = 'answered 200') => ({
  from,
  ok: detail === 'answered 200',
  checks: [{ name: 'registry' as const, url: 'http://10.0.0.11:5000/v2/', ok: detail === 'answered 200', detail }],
});

function openStore(api: ScriptedApi, credential: string | null = 'cred-1') {
  const store = createAirsprayStore(api);
  store.setState({ currentProject: project, selectedCredentialId: credential });
  const stop = store.getState().watchBundlePush();
  return { store, stop };
}

/** openStore, entered on the deploy step; `api` may have no answer for the services check entering makes. */
async function openOnDeployStep(api: ScriptedApi) {
  const opened = openStore(api);
  await opened.store
    .getState()
    .enterDeployStep()
    .catch(() => undefined);
  return opened;
}

describe('deploy preparation slice', () => {
  it('on entering, a project without a deploy key leaves every item to do, with no error shown', async () => {
    const noKey = 'This project has no deploy key yet: install it on the hosts first (key bootstrap).';
    const api = new ScriptedApi().refusesWith('deploy.checkServices', 'no_deploy_key', noKey, 'projectId');
    const { store } = openStore(api);
    await store.getState().enterDeployStep();
    const state = store.getState();
    expect([state.deployKeys.state, state.bundlePush.state, state.offlineServices.state]).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    expect(state.offlineServices.error).toBeNull();
    expect(api.callsOf('deploy.checkServices')).toEqual([{ projectId: project.id, credentialId: 'cred-1' }]);
  });

  it('on entering, healthy services from every host mark the services done and the key as proven; a host without SSH does not', async () => {
    const api = new ScriptedApi().on('deploy.checkServices', () => ({
      ok: true,
      reports: [laptopOk, hostReport('lab1'), hostReport('lab2')],
    }));
    const { store } = openStore(api);
    await store.getState().enterDeployStep();
    expect(store.getState().offlineServices.state).toBe('done');
    expect(store.getState().deployKeys).toMatchObject({ state: 'done', provenByServices: true });

    const other = projectDocument({ id: '0b0e7c3a-5f38-4c39-8d8f-2f0f2e5e7a10', name: 'other' });
    api.on('deploy.checkServices', () => ({
      ok: false,
      reports: [laptopOk, hostReport('lab1', 'no SSH session: timed out')],
    }));
    store.setState({ currentProject: other });
    await store.getState().enterDeployStep();
    // Another project starts from scratch: its services failed and its key is not proven.
    expect(store.getState().offlineServices.state).toBe('failed');
    expect(store.getState().deployKeys.state).toBe('pending');
  });

  it('keeps the passphrase out of the state and sends it with every call; a wrong one is named by its field', async () => {
    const wrong = 'The deploy key passphrase is wrong: give the passphrase the key was created with.';
    const api = new ScriptedApi().refusesWith('deploy.bootstrapKeys', 'invalid_params', wrong, 'keyPassphrase');
    const { store } = openStore(api);
    await store.getState().enterDeployStep();
    store.getState().setDeployKeyPassphrase('correct horse');
    expect(JSON.stringify(store.getState())).not.toContain('correct horse');
    expect(store.getState().deployKeyPassphraseSet).toBe(true);
    await store.getState().bootstrapDeployKeys();
    expect(api.callsOf('deploy.bootstrapKeys')).toEqual([
      { projectId: project.id, credentialId: 'cred-1', keyPassphrase: 'correct horse' },
    ]);
    expect(store.getState().deployKeys).toMatchObject({ state: 'failed', error: { field: 'keyPassphrase' } });
    // Typing again clears the refusal.
    store.getState().setDeployKeyPassphrase('correct horse battery');
    expect(store.getState().deployKeys.error).toBeNull();
  });

  it('marks the key failed when one host failed, done when all worked', async () => {
    const host = {
      name: 'lab1',
      address: '10.0.0.11',
      ok: true,
      authorizedKey: 'added' as const,
      keyLogin: true,
      sudo: 'works' as const,
    };
    const result = {
      publicKey: 'ssh-ed25519 AAAA',
      fingerprint: 'SHA256:x',
      protection: 'memory' as const,
      created: true,
    };
    const api = new ScriptedApi().on('deploy.bootstrapKeys', () => ({
      ...result,
      hosts: [host, { ...host, name: 'lab2', ok: false, sudo: 'refused' as const }],
    }));
    const { store } = await openOnDeployStep(api);
    await store.getState().bootstrapDeployKeys();
    expect(store.getState().deployKeys.state).toBe('failed');
    api.on('deploy.bootstrapKeys', () => ({ ...result, created: false, hosts: [host] }));
    await store.getState().bootstrapDeployKeys();
    expect(store.getState().deployKeys).toMatchObject({ state: 'done', result: { created: false } });
  });

  it('follows a push by its events to the result, cancels by its id, and shows a refusal with its field', async () => {
    const api = new ScriptedApi()
      .on('deploy.pushBundle', () => ({ pushId: 'p-1' }))
      .on('deploy.cancelPush', () => ({ cancelled: true }));
    const { store } = await openOnDeployStep(api);
    await store.getState().pushBundle();
    expect(store.getState().bundlePush).toMatchObject({ state: 'working', pushId: 'p-1' });
    const progress = {
      phase: 'sending' as const,
      bytesDone: 5,
      bytesTotal: 10,
      filesDone: 1,
      filesTotal: 2,
      rateBytesPerSecond: 5,
      etaSeconds: 1,
      reconnects: 1,
    };
    api.emit('deploy.pushProgress', { pushId: 'p-1', projectId: project.id, state: 'running', progress });
    // Another project's push is not this one's.
    api.emit('deploy.pushProgress', {
      pushId: 'p-9',
      projectId: 'someone-else',
      state: 'running',
      progress: { ...progress, bytesDone: 9 },
    });
    expect(store.getState().bundlePush.progress).toEqual(progress);

    await store.getState().cancelBundlePush();
    expect(api.callsOf('deploy.cancelPush')).toEqual([{ pushId: 'p-1' }]);
    api.emit('deploy.pushProgress', {
      pushId: 'p-1',
      projectId: project.id,
      state: 'cancelled',
      error: { message: 'The push was cancelled' },
    });
    expect(store.getState().bundlePush).toMatchObject({ state: 'pending', cancelled: true, error: null });

    await store.getState().pushBundle();
    const result = {
      destination: '/var/lib/airspray/bundles/b',
      filesTotal: 3,
      filesSent: 1,
      filesSkipped: 2,
      bytesToSend: 10,
      bytesSent: 10,
      reconnects: 0,
      seconds: 0.4,
    };
    api.emit('deploy.pushProgress', { pushId: 'p-1', projectId: project.id, state: 'finished', result });
    expect(store.getState().bundlePush).toMatchObject({ state: 'done', result });

    await store.getState().pushBundle();
    const disk = {
      message: 'The deploy node has 1.0 GB free on /; the bundle needs 3.0 GB more there',
      field: 'destination',
    };
    api.emit('deploy.pushProgress', { pushId: 'p-1', projectId: project.id, state: 'failed', error: disk });
    await settle();
    expect(store.getState().bundlePush).toMatchObject({ state: 'failed', error: disk, result: null });

    // A failure the core built by id is said in the window's language.
    store.setState({ locale: 'zh-CN' });
    await store.getState().pushBundle();
    const sudo = { id: 'deploy.folder-sudo-refused' as const, params: { folder: '/var/lib/airspray', detail: 'no' } };
    const english = 'Creating /var/lib/airspray on the deploy node needs sudo, which refused (no): check …';
    api.emit('deploy.pushProgress', {
      pushId: 'p-1',
      projectId: project.id,
      state: 'failed',
      error: { message: english, i18n: sudo },
    });
    await settle();
    expect(store.getState().bundlePush.error?.message).toBe(
      new IntlMessageFormat(coreCatalogs['zh-CN'][sudo.id], 'zh-CN').format(sudo.params),
    );
  });

  it('hands the passphrase to runs, which log in with the deploy key', async () => {
    const api = new ScriptedApi().refusesWith('runs.start', 'invalid_params', 'stop here', 'options');
    const { store } = openStore(api);
    await store.getState().startRun({ playbook: 'cluster.yml' });
    store.getState().setDeployKeyPassphrase('correct horse');
    await store.getState().startRun({ playbook: 'cluster.yml' });
    expect(api.callsOf('runs.start').map((params) => params.keyPassphrase)).toEqual([undefined, 'correct horse']);
  });

  it('refuses every action without a profile, naming the field', async () => {
    const api = new ScriptedApi();
    const { store } = openStore(api, null);
    await store.getState().enterDeployStep();
    await store.getState().pushBundle();
    await store.getState().startOfflineServices();
    expect(store.getState().bundlePush.error).toMatchObject({ field: 'credentialId' });
    expect(store.getState().offlineServices.error).toMatchObject({ field: 'credentialId' });
    expect(api.calls).toEqual([]);
  });
});
