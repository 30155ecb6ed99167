import { useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { useAirspray } from '../../store/store-context';
import { Field } from '../../ui/text-field';

/**
 * The passphrase the project's deploy key is encrypted under where no OS keychain seals it (browser mode). Key
 * bootstrap, push, services and runs all open the key with it; a refusal of any of them about it shows here.
 */
export function DeployKeyPassphraseField() {
  const intl = useIntl();
  const { passphraseSet, error, protection, shell } = useAirspray(
    useShallow((state) => ({
      passphraseSet: state.deployKeyPassphraseSet,
      error:
        [state.deployKeys.error, state.bundlePush.error, state.offlineServices.error, state.runStartError].find(
          (entry) => entry?.field === 'keyPassphrase',
        ) ?? null,
      protection: state.deployKeys.result?.protection,
      shell: state.appInfo?.shell,
    })),
  );
  const setPassphrase = useAirspray((state) => state.setDeployKeyPassphrase);
  if (shell !== 'browser' && protection !== 'memory') return null;
  const hint = intl.formatMessage({
    id: protection === 'passphrase' ? 'deploy.passphrase.hintSet' : 'deploy.passphrase.hintNoKeychain',
  });
  return (
    <Field
      className="run-target__spaced"
      label={intl.formatMessage({ id: 'deploy.passphrase.label' })}
      error={error?.message}
      hint={error ? undefined : hint}
    >
      {(input) => (
        <input
          {...input}
          className="input"
          type="password"
          autoComplete="new-password"
          placeholder={intl.formatMessage({
            id: passphraseSet ? 'deploy.passphrase.placeholderSet' : 'deploy.passphrase.placeholder',
          })}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      )}
    </Field>
  );
}
