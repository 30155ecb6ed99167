import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../electron/common/run';
import { ApiCallError } from '../../../renderer/api/api-call-error';
import { createAirsprayStore } from '../../../renderer/store/create-airspray-store';
import { selectRunningRun, selectShownRun } from '../../../renderer/store/runs-slice';
import { projectDocument, ScriptedApi, settle } from './scripted-api';
import { formatIn } from '../../../renderer/i18n/english-intl';

const project = projectDocument();
const run = (id: string, overrides: Partial<RunRecord> = {}): RunRecord => ({
  id,
  projectId: project.id,
  cluster: project.name,
  playbook: 'cluster.yml',
  commandLine: 'ansible-playbook -i inventory/prod-dc1/hosts.yaml cluster.yml -b',
  startedAt: `2025-11-20T10:0${id.at(-1)}:00.000Z`,
  startedBy: 'ops@laptop as ops',
  deployNode: '10.0.0.11',
  inventoryDigest: 'abc',
  state: 'succeeded',
  exitCode: 0,
  logBytes: 100,
  digest: { tasksStarted: 3, hosts: {}, failures: [] },
  ...overrides,
});

function runsApi(listed: RunRecord[] = []) {
  return new ScriptedApi()
    .on('runs.list', () => listed)
    .on('runs.start', ({ options }) =>
      run('r-9', { playbook: options.playbook, state: 'running', exitCode: undefined, logBytes: 0 }),
    )
    .on('runs.attach', ({ runId }) => listed.find((entry) => entry.id === runId)!)
    .on('runs.log', ({ from }) => ({ offset: from, data: Buffer.from('PLAY').toString('base64'), logBytes: 4 }));
}

async function openStore(api: ScriptedApi, credential: string | null = 'cred-1') {
  const store = createAirsprayStore(api);
  store.setState({ currentProject: project, selectedCredentialId: credential });
  const stop = store.getState().watchRuns();
  await store.getState().loadRuns();
  return { store, stop };
}

describe('runs slice', () => {
  it("lists the project's runs newest first and shows the newest until one is chosen", async () => {
    const api = runsApi([
      run('r-1'),
      run('r-3', { state: 'running', exitCode: undefined }),
      run('r-2', { state: 'failed', exitCode: 2 }),
    ]);
    const { store } = await openStore(api);
    expect(store.getState().runs.map((entry) => entry.id)).toEqual(['r-3', 'r-2', 'r-1']);
    expect(selectShownRun(store.getState())?.id).toBe('r-3');
    expect(selectRunningRun(store.getState())?.id).toBe('r-3');
    store.getState().showRun('r-1');
    expect(selectShownRun(store.getState())?.id).toBe('r-1');
  });

  it('starts a run with the selected profile and the advanced kubespray folder, shows it, and counts it as followed', async () => {
    const api = runsApi();
    const { store } = await openStore(api);
    store.getState().setKubesprayDir('  /home/ops/kubespray ');
    const started = await store.getState().startRun({ playbook: 'scale.yml', limit: 'lab4' });
    expect(api.callsOf('runs.start')).toEqual([
      {
        projectId: project.id,
        credentialId: 'cred-1',
        options: { playbook: 'scale.yml', limit: 'lab4' },
        kubesprayDir: '/home/ops/kubespray',
      },
    ]);
    expect(started?.id).toBe('r-9');
    expect(selectShownRun(store.getState())?.id).toBe('r-9');
    expect(store.getState().attachedRunIds).toEqual(['r-9']);
    // Following a run this window started does not attach it a second time.
    await store.getState().attachRun('r-9');
    expect(api.callsOf('runs.attach')).toEqual([]);
  });

  it("refuses to start without a profile, and keeps the API's field on a refusal", async () => {
    const api = runsApi();
    const { store } = await openStore(api, null);
    expect(await store.getState().startRun({ playbook: 'cluster.yml' })).toBeNull();
    expect(store.getState().runStartError).toMatchObject({ field: 'credentialId' });
    expect(api.callsOf('runs.start')).toEqual([]);

    api.refuses(
      'runs.start',
      new ApiCallError('invalid_params', 'Give an absolute path on the deploy node.', 'kubesprayDir'),
    );
    store.setState({ selectedCredentialId: 'cred-1' });
    store.getState().setKubesprayDir('kubespray');
    expect(await store.getState().startRun({ playbook: 'cluster.yml' })).toBeNull();
    expect(store.getState().runStartError).toEqual({
      message: 'Give an absolute path on the deploy node.',
      field: 'kubesprayDir',
    });
    expect(store.getState().runStarting).toBe(false);
  });

  it('takes runs.updated into the history; an ended record is never replaced by an older running one', async () => {
    const api = runsApi([run('r-1', { state: 'running', exitCode: undefined, logBytes: 10 })]);
    const { store } = await openStore(api);
    api.emit(
      'runs.updated',
      run('r-1', {
        state: 'running',
        exitCode: undefined,
        logBytes: 50,
        digest: { tasksStarted: 5, task: 'Take a while', hosts: {}, failures: [] },
      }),
    );
    expect(store.getState().runs[0]).toMatchObject({ logBytes: 50, digest: { task: 'Take a while' } });
    api.emit('runs.updated', run('r-1', { state: 'succeeded', exitCode: 0, logBytes: 80 }));
    api.emit('runs.updated', run('r-1', { state: 'running', exitCode: undefined, logBytes: 80 }));
    expect(store.getState().runs[0]).toMatchObject({ state: 'succeeded', exitCode: 0 });
    // Another project's runs stay out.
    api.emit('runs.updated', run('r-5', { projectId: 'other' }));
    expect(store.getState().runs.map((entry) => entry.id)).toEqual(['r-1']);
  });

  it('shows the plan as the core left it after a remove-node.yml it followed succeeded, and only then', async () => {
    const withoutLab4 = { ...project, revision: project.revision + 1, cluster: { ...project.cluster, hosts: [] } };
    const api = runsApi([run('r-1', { playbook: 'remove-node.yml', state: 'running', exitCode: undefined })]).on(
      'projects.open',
      () => withoutLab4,
    );
    const { store } = await openStore(api);
    api.emit('runs.updated', run('r-1', { playbook: 'remove-node.yml', state: 'succeeded' }));
    await settle();
    expect(api.callsOf('projects.open')).toEqual([{ id: project.id }]);
    expect(store.getState().currentProject).toEqual(withoutLab4);
    // A repeated end, or a failed removal, changes nothing.
    api.emit('runs.updated', run('r-1', { playbook: 'remove-node.yml', state: 'succeeded' }));
    api.emit('runs.updated', run('r-2', { playbook: 'remove-node.yml', state: 'failed', exitCode: 2 }));
    await settle();
    expect(api.callsOf('projects.open')).toHaveLength(1);
  });

  it('attaches a run still going (after a reload) once, with the selected profile, and says what to do without one', async () => {
    const api = runsApi([run('r-1', { state: 'running', exitCode: undefined })]);
    const { store } = await openStore(api, null);
    await store.getState().attachRun('r-1');
    expect(store.getState().attachError).toContain('Access step');
    expect(api.callsOf('runs.attach')).toEqual([]);
    store.setState({ selectedCredentialId: 'cred-2' });
    await store.getState().attachRun('r-1');
    await store.getState().attachRun('r-1');
    expect(api.callsOf('runs.attach')).toEqual([{ projectId: project.id, runId: 'r-1', credentialId: 'cred-2' }]);
    expect(store.getState().attachError).toBeNull();
  });

  it('passes live output of one run on as bytes at their offsets (or only its length), and reads the stored log decoded', async () => {
    const api = runsApi();
    const { store } = await openStore(api);
    const seen: [number, number, string | undefined][] = [];
    const stop = store
      .getState()
      .watchRunOutput('r-1', (offset, length, data) =>
        seen.push([offset, length, data && Buffer.from(data).toString()]),
      );
    api.emit('runs.output', {
      projectId: project.id,
      runId: 'r-1',
      offset: 10,
      length: 11,
      data: Buffer.from('ok: [lab2]\n').toString('base64'),
    });
    api.emit('runs.output', {
      projectId: project.id,
      runId: 'r-2',
      offset: 0,
      length: 5,
      data: Buffer.from('other').toString('base64'),
    });
    api.emit('runs.output', { projectId: project.id, runId: 'r-1', offset: 21, length: 4096 });
    stop();
    api.emit('runs.output', {
      projectId: project.id,
      runId: 'r-1',
      offset: 4117,
      length: 4,
      data: Buffer.from('late').toString('base64'),
    });
    expect(seen).toEqual([
      [10, 11, 'ok: [lab2]\n'],
      [21, 4096, undefined],
    ]);
    const chunk = await store.getState().readRunLog('r-1', 0);
    expect(Buffer.from(chunk.data).toString()).toBe('PLAY');
    await store.getState().readRunLog('r-1', 4, 1024);
    expect(api.callsOf('runs.log')).toEqual([
      { projectId: project.id, runId: 'r-1', from: 0 },
      { projectId: project.id, runId: 'r-1', from: 4, keepLines: 1024 },
    ]);
  });

  it('cancels with the selected profile and says when the run had already ended', async () => {
    const api = runsApi([run('r-1', { state: 'running', exitCode: undefined })]).on('runs.cancel', () => ({
      cancelled: false,
    }));
    const { store } = await openStore(api);
    await store.getState().cancelRun('r-1');
    await settle();
    expect(api.callsOf('runs.cancel')).toEqual([{ projectId: project.id, runId: 'r-1', credentialId: 'cred-1' }]);
    expect(store.getState().cancelError).toContain('already ended');
    expect(store.getState().cancellingRunId).toBeNull();
  });

  it('asks for a one-use link in a browser and has the desktop shell save through its dialog; a refusal is shown', async () => {
    const api = runsApi([run('r-1')])
      .on('downloads.link', () => ({ fileName: 'airspray-r-1.html', path: '/download/ticket' }))
      .on('downloads.save', () => ({ savedTo: '/home/ops/report.html' }));
    const { store } = await openStore(api);
    const request = { kind: 'run-report', projectId: project.id, runId: 'r-1' };
    expect(await store.getState().downloadRunReport('r-1')).toEqual({
      fileName: 'airspray-r-1.html',
      path: '/download/ticket',
    });
    expect(api.callsOf('downloads.link')).toEqual([request]);

    store.setState({
      appInfo: {
        name: 'Airspray',
        version: '1',
        shell: 'desktop',
        platform: 'linux',
        dataDir: '/d',
        dataDirSource: 'option',
      },
    });
    expect(await store.getState().downloadRunReport('r-1')).toBeNull();
    expect(api.callsOf('downloads.save')).toEqual([request]);

    api.refuses(
      'downloads.save',
      new ApiCallError('not_found', 'No run r-1 in this project: pick one from the run history.'),
    );
    expect(await store.getState().downloadRunReport('r-1')).toBeNull();
    const reason = 'No run r-1 in this project: pick one from the run history.';
    expect(store.getState().runsError).toBe(formatIn('en', 'run.report.failed', { reason }));
    // Said in the language chosen when it failed.
    store.setState({ locale: 'zh-CN' });
    expect(await store.getState().downloadRunReport('r-1')).toBeNull();
    expect(store.getState().runsError).toBe(`报告未能生成：${reason}`);
  });
});
