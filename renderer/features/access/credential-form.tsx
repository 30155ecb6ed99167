import { useId, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { CredentialInput } from '../../../electron/common/credentials';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { PlusIcon } from '../../ui/icons';
import { Field, InputField } from '../../ui/text-field';
import { ErrorText } from '../../ui/error-text';

type AuthKind = CredentialInput['auth']['kind'];

interface Draft {
  label: string;
  user: string;
  kind: AuthKind;
  password: string;
  privateKey: string;
  passphrase: string;
  sudoPassword: string;
  persist: boolean;
}

const emptyDraft: Draft = {
  label: '',
  user: '',
  kind: 'password',
  password: '',
  privateKey: '',
  passphrase: '',
  sudoPassword: '',
  persist: false,
};

function toCredential(draft: Draft): CredentialInput {
  return {
    label: draft.label,
    user: draft.user,
    auth:
      draft.kind === 'password'
        ? { kind: 'password', password: draft.password }
        : { kind: 'key', privateKey: draft.privateKey, ...(draft.passphrase ? { passphrase: draft.passphrase } : {}) },
    ...(draft.sudoPassword ? { sudoPassword: draft.sudoPassword } : {}),
  };
}

/**
 * A new credential profile. The secrets live only in this form's state until Add profile hands them to the core,
 * then the form is emptied; a refused profile keeps everything typed and says which field to fix.
 */
export function CredentialForm() {
  const intl = useIntl();
  const text = (id: MessageId) => intl.formatMessage({ id });
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const { adding, error, shell } = useAirspray(
    useShallow((state) => ({
      adding: state.addingCredential,
      error: state.credentialError,
      shell: state.appInfo?.shell,
    })),
  );
  const addCredential = useAirspray((state) => state.addCredential);
  const clearError = useAirspray((state) => state.clearCredentialError);
  const titleId = useId();

  const edit = (change: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...change }));
    if (error) clearError();
  };
  const fieldError = (field: string) => (error?.field === field ? error.message : null);
  const known = ['label', 'user', 'password', 'privateKey', 'passphrase', 'sudoPassword', 'persist'];
  const formError = error && !known.includes(error.field ?? '') ? error.message : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await addCredential(toCredential(draft), draft.persist)) setDraft(emptyDraft);
  }

  return (
    <form className="credential-form" aria-labelledby={titleId} noValidate onSubmit={(event) => void submit(event)}>
      <h3 id={titleId} className="subsection-title">
        <FormattedMessage id="access.form.title" />
      </h3>
      <div className="credential-form__grid">
        <InputField
          label={text('access.form.name')}
          error={fieldError('label')}
          value={draft.label}
          autoComplete="off"
          placeholder="ops password"
          onChange={(label) => edit({ label })}
        />
        <InputField
          label={text('access.form.user')}
          error={fieldError('user')}
          value={draft.user}
          autoComplete="off"
          spellCheck={false}
          placeholder="ops"
          onChange={(user) => edit({ user })}
        />
      </div>

      <fieldset className="auth-kind">
        <legend className="field-label">
          <FormattedMessage id="access.form.signIn" />
        </legend>
        <label className="check-label">
          <input
            type="radio"
            name="auth-kind"
            checked={draft.kind === 'password'}
            onChange={() => edit({ kind: 'password' })}
          />
          <FormattedMessage id="access.form.withPassword" />
        </label>
        <label className="check-label">
          <input type="radio" name="auth-kind" checked={draft.kind === 'key'} onChange={() => edit({ kind: 'key' })} />
          <FormattedMessage id="access.form.withKey" />
        </label>
      </fieldset>

      {draft.kind === 'password' ? (
        <InputField
          label={text('access.form.password')}
          error={fieldError('password')}
          type="password"
          value={draft.password}
          autoComplete="new-password"
          onChange={(password) => edit({ password })}
        />
      ) : (
        <>
          <Field
            label={text('access.form.privateKey')}
            error={fieldError('privateKey')}
            hint={text('access.form.privateKeyHint')}
          >
            {(props) => (
              <textarea
                {...props}
                className="input textarea textarea--key"
                value={draft.privateKey}
                spellCheck={false}
                autoComplete="off"
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                onChange={(event) => edit({ privateKey: event.target.value })}
              />
            )}
          </Field>
          <InputField
            label={text('access.form.passphrase')}
            error={fieldError('passphrase')}
            hint={text('access.form.passphraseHint')}
            type="password"
            value={draft.passphrase}
            autoComplete="off"
            onChange={(passphrase) => edit({ passphrase })}
          />
        </>
      )}

      <Field label={text('access.form.sudo')} error={fieldError('sudoPassword')} hint={text('access.form.sudoHint')}>
        {(props) => (
          <input
            {...props}
            type="password"
            className="input"
            value={draft.sudoPassword}
            autoComplete="new-password"
            onChange={(event) => edit({ sudoPassword: event.target.value })}
          />
        )}
      </Field>

      <div className="credential-form__persist">
        <label className="check-label">
          <input
            type="checkbox"
            checked={draft.persist}
            aria-invalid={fieldError('persist') ? true : undefined}
            onChange={(event) => edit({ persist: event.target.checked })}
          />
          <FormattedMessage id="access.form.persist" />
        </label>
        {fieldError('persist') ? (
          <p className="field-error" role="alert">
            {fieldError('persist')}
          </p>
        ) : (
          <p className="field-hint">
            <FormattedMessage id={shell === 'browser' ? 'access.form.persistBrowser' : 'access.form.persistDesktop'} />
          </p>
        )}
      </div>

      <ErrorText message={formError} />
      <button type="submit" className="btn btn--primary" disabled={adding}>
        <PlusIcon />
        <FormattedMessage id="access.form.add" />
      </button>
    </form>
  );
}
