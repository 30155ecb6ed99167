import { useId, type ReactNode } from 'react';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { InputField } from '../../ui/text-field';
import { DeployKeyPassphraseField } from './deploy-key-passphrase-field';

/** Which profile runs go with, and (advanced) where kubespray lies on the deploy node. Shared by Deploy and Operate. */
export function RunTargetFields({ extra }: { extra?: ReactNode }) {
  const id = useId();
  const { credentials, selectedCredentialId, kubesprayDir, runStartError, selectCredential, setKubesprayDir } =
    useAirsprayPick(
      'credentials',
      'selectedCredentialId',
      'kubesprayDir',
      'runStartError',
      'selectCredential',
      'setKubesprayDir',
    );
  const deployNode = useAirspray((state) => state.currentProject?.cluster.deployNode);
  const selected = credentials.find((profile) => profile.id === selectedCredentialId);
  const dirError = runStartError?.field === 'kubesprayDir' ? runStartError.message : null;

  return (
    <div className="run-target">
      <div className="run-target__field">
        <label className="field-label" htmlFor={`${id}-profile`}>
          Profile
        </label>
        {credentials.length === 0 ? (
          <p className="small muted" id={`${id}-profile`}>
            No profile: add one with a sudo password on the Access step.
          </p>
        ) : (
          <select
            id={`${id}-profile`}
            className="input"
            value={selectedCredentialId ?? ''}
            onChange={(event) => selectCredential(event.target.value || null)}
          >
            {credentials.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.label} ({profile.user}
                {profile.hasSudoPassword ? '' : ', no sudo password'})
              </option>
            ))}
          </select>
        )}
        {selected && !selected.hasSudoPassword && (
          <p className="field-error">This profile has no sudo password: kubespray must become root on every node.</p>
        )}
        <p className="field-hint">
          Runs start on the deploy node{deployNode ? ` (${deployNode})` : ''} over SSH as this user.
        </p>
        <DeployKeyPassphraseField />
      </div>
      <details className="run-target__advanced">
        <summary>Advanced</summary>
        <InputField
          label="Kubespray folder on the deploy node"
          error={dirError}
          hint={
            dirError ? undefined : 'An absolute path; empty uses the kubespray of the bundle pushed to the deploy node.'
          }
          value={kubesprayDir}
          placeholder="the pushed bundle's kubespray"
          spellCheck={false}
          onChange={setKubesprayDir}
        />
        {extra}
      </details>
    </div>
  );
}
