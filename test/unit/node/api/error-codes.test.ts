import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiErrorSchema, type ApiMethodName, type ApiParams, type ApiResult } from '../../../../electron/common/api';
import { createAirsprayCore } from '../../../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../../../electron/node/api/dispatch-api-call';

async function newCore() {
  const root = await mkdtemp(join(tmpdir(), 'airspray-codes-'));
  const core = createAirsprayCore({
    shell: 'browser',
    version: '0.1.0-test',
    dataDir: { dir: join(root, 'data'), source: 'option' },
    bundleLocations: [],
  });
  const reply = async (method: ApiMethodName, params: unknown) => {
    const answer = await dispatchApiCall(core.handlers, method, params, () => undefined);
    // What the renderer's transport checks: the code is one the contract knows.
    if (!answer.ok) ApiErrorSchema.parse(answer.error);
    return answer;
  };
  const call = async <M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const answer = await reply(method, params);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.result as ApiResult<M>;
  };
  return { reply, call };
}

describe('specific error codes reach the API reply, and the reply stays valid on the wire', () => {
  it('a save on an old revision answers stale_revision (what the window retries on), a taken name plain conflict', async () => {
    const { reply, call } = await newCore();
    const project = await call('projects.create', { name: 'codes' });
    await call('projects.setStep', { id: project.id, step: 'roles', revision: project.revision });
    expect(
      await reply('projects.setStep', { id: project.id, step: 'deploy', revision: project.revision }),
    ).toMatchObject({ ok: false, error: { code: 'stale_revision', field: 'revision' } });
    expect(await reply('projects.create', { name: 'codes' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name' },
    });
  });

  it('an operation that needs the deploy key answers no_deploy_key before anything is reached', async () => {
    const { reply, call } = await newCore();
    const project = await call('projects.create', { name: 'nokey' });
    const credential = await call('credentials.add', {
      credential: { label: 'ops', user: 'ops', auth: { kind: 'password', password: 'not-used' } },
      persist: false,
    });
    expect(
      await reply('cluster.fetchKubeconfig', { projectId: project.id, credentialId: credential.id }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'no_deploy_key',
        field: 'projectId',
        i18n: { id: 'deploy.no-deploy-key', params: {} },
        message: expect.stringContaining('no deploy key yet'),
      },
    });
  });

  it('a refusal built from the core catalog reaches the reply with its id and values beside the English', async () => {
    const { reply } = await newCore();
    const answer = await reply('credentials.add', {
      credential: { label: 'ops', user: 'ops', auth: { kind: 'key', privateKey: 'not a key' } },
      persist: false,
    });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_params',
        field: 'auth.privateKey',
        i18n: { id: 'ssh.private-key-unreadable', params: { part: 'privateKey', detail: expect.any(String) } },
        message: expect.stringMatching(
          /^The private key cannot be read \(.+\): paste an OpenSSH or PEM private key\.$/,
        ),
      },
    });
  });

  it('a run that is not there is refused by id, naming the run', async () => {
    const { reply, call } = await newCore();
    const project = await call('projects.create', { name: 'norun' });
    expect(await reply('runs.get', { projectId: project.id, runId: 'r-missing' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'runId', i18n: { id: 'run.not-found', params: { runId: 'r-missing' } } },
    });
  });
});
