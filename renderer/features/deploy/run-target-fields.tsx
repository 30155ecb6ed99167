import { useId, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { InputField } from '../../ui/text-field';
import { DeployKeyPassphraseField } from './deploy-key-passphrase-field';

/** Which profile runs go with, and (advanced) where kubespray lies on the deploy node. Shared by Deploy and Operate. */
export function RunTargetFields({ extra }: { extra?: ReactNode }) {
  const intl = useIntl();
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
          <FormattedMessage id="deploy.target.profile" />
        </label>
        {credentials.length === 0 ? (
          <p className="small muted" id={`${id}-profile`}>
            <FormattedMessage id="deploy.target.noProfile" />
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
                {intl.formatMessage(
                  { id: 'deploy.target.option' },
                  { profile: profile.label, user: profile.user, sudo: profile.hasSudoPassword },
                )}
              </option>
            ))}
          </select>
        )}
        {selected && !selected.hasSudoPassword && (
          <p className="field-error">
            <FormattedMessage id="deploy.target.noSudo" />
          </p>
        )}
        <p className="field-hint">
          <FormattedMessage id="deploy.target.hint" values={{ hasNode: Boolean(deployNode), node: deployNode ?? '' }} />
        </p>
        <DeployKeyPassphraseField />
      </div>
      <details className="run-target__advanced">
        <summary>
          <FormattedMessage id="deploy.target.advanced" />
        </summary>
        <InputField
          label={intl.formatMessage({ id: 'deploy.target.kubesprayDir' })}
          error={dirError}
          hint={dirError ? undefined : intl.formatMessage({ id: 'deploy.target.kubesprayDirHint' })}
          value={kubesprayDir}
          placeholder={intl.formatMessage({ id: 'deploy.target.kubesprayDirPlaceholder' })}
          spellCheck={false}
          onChange={setKubesprayDir}
        />
        {extra}
      </details>
    </div>
  );
}
