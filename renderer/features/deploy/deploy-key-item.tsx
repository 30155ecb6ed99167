import { useShallow } from 'zustand/react/shallow';
import type { KeyBootstrapResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistError, ChecklistItem, useMainButtonClass } from './checklist-item';
import { DeployKeyOutcomeTable } from './outcome-table';

const protectionText: Record<KeyBootstrapResult['protection'], string> = {
  keychain: 'sealed by the OS keychain',
  passphrase: 'encrypted under your passphrase',
  memory: 'in memory only: it is gone when Airspray closes, and the next bootstrap makes a new one',
};

/** Step 1: the project's deploy key installed on every host with the profile's password, key login and sudo proven. */
export function DeployKeyItem() {
  const mainButton = useMainButtonClass(1);
  const keys = useAirspray(useShallow((state) => state.deployKeys));
  const bootstrap = useAirspray((state) => state.bootstrapDeployKeys);
  const result = keys.result;
  const failedHosts = result?.hosts.filter((host) => !host.ok).length ?? 0;
  const summary = result
    ? failedHosts > 0
      ? `${failedHosts} of ${result.hosts.length} hosts failed: see the table, fix and install again.`
      : `Installed on ${result.hosts.length} hosts; key login and sudo work on each.`
    : keys.provenByServices
      ? "The project's deploy key logged in to every host (the service check below answered from each)."
      : "A per-project ed25519 key, installed with the profile's password; then key login and sudo are checked on each host.";

  return (
    <ChecklistItem number={1} title="Deploy key on every host" state={keys.state} summary={summary}>
      <div className="checklist-item__actions">
        <button
          type="button"
          className={mainButton}
          disabled={keys.state === 'working'}
          onClick={() => void bootstrap()}
        >
          {keys.state === 'done' ? 'Install again' : 'Install the deploy key'}
        </button>
        {keys.state === 'working' && <span className="small muted">Logging in to every host…</span>}
      </div>
      <ChecklistError error={keys.error} />
      {result && (
        <>
          <p className="small deploy-key-facts">
            Key <code>{result.fingerprint}</code> ({result.created ? 'made now' : 'existing'}),{' '}
            {protectionText[result.protection]}.
          </p>
          <DeployKeyOutcomeTable hosts={result.hosts} />
        </>
      )}
    </ChecklistItem>
  );
}
