import type { ApiHandlers } from '../api/dispatch-api-call';
import type { CredentialVault } from '../access/credential-vault';
import type { RunLogin, RunService } from './run-service';

type RunsMethod =
  'runs.start' | 'runs.list' | 'runs.get' | 'runs.verify' | 'runs.log' | 'runs.attach' | 'runs.ack' | 'runs.cancel';

export function createRunsHandlers(deps: { runs: RunService; vault: CredentialVault }): Pick<ApiHandlers, RunsMethod> {
  const login = async (credentialId: string, keyPassphrase: string | undefined): Promise<RunLogin> => ({
    credential: await deps.vault.get(credentialId),
    ...(keyPassphrase ? { keyPassphrase } : {}),
  });
  return {
    'runs.start': async ({ projectId, credentialId, keyPassphrase, options, kubesprayDir }) =>
      deps.runs.start({
        projectId,
        ...(await login(credentialId, keyPassphrase)),
        options,
        ...(kubesprayDir ? { kubesprayDir } : {}),
      }),
    'runs.list': ({ projectId }) => deps.runs.list(projectId),
    'runs.get': ({ projectId, runId }) => deps.runs.read(projectId, runId),
    'runs.verify': ({ projectId }) => deps.runs.verifyRecords(projectId),
    'runs.log': async ({ projectId, runId, from, keepLines }) => {
      const { offset, data, logBytes, skip } = await deps.runs.readLog(projectId, runId, from, undefined, keepLines);
      return { offset, data: data.toString('base64'), logBytes, ...(skip ? { skip } : {}) };
    },
    'runs.attach': async ({ projectId, runId, credentialId, keyPassphrase }) =>
      deps.runs.attach(projectId, runId, await login(credentialId, keyPassphrase)),
    'runs.ack': ({ projectId, runId, viewId, shownBytes, toldBytes }) =>
      deps.runs.acknowledgeOutput(projectId, runId, viewId, shownBytes, toldBytes),
    'runs.cancel': async ({ projectId, runId, credentialId, keyPassphrase }) => ({
      cancelled: await deps.runs.cancel(projectId, runId, await login(credentialId, keyPassphrase)),
    }),
  };
}
