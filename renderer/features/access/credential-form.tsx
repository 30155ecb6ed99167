import { useId, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { CredentialInput } from '../../../electron/common/credentials';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { PlusIcon } from '../../ui/icons';
import { Field, InputField } from '../../ui/text-field';
import { ErrorText } from '../../ui/error-text';

const authKinds = [
  ['password', 'access.form.withPassword'],
  ['key', 'access.form.withKey'],
] as const;

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

type DraftText = Exclude<keyof Draft, 'kind' | 'persist'>;

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
  /** A typed field of the draft: label and hint from the catalog, its value, what changes it, the core's complaint. */
  const draftField = (name: DraftText, label: MessageId, hint?: MessageId) => ({
    label: text(label),
    ...(hint ? { hint: text(hint) } : {}),
    value: draft[name],
    error: fieldError(name),
    onChange: (value: string) => edit({ [name]: value }),
  });
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
        <InputField {...draftField('label', 'access.form.name')} autoComplete="off" placeholder="ops password" />
        <InputField
          {...draftField('user', 'access.form.user')}
          autoComplete="off"
          spellCheck={false}
          placeholder="ops"
        />
      </div>

      <fieldset className="auth-kind">
        <legend className="field-label">
          <FormattedMessage id="access.form.signIn" />
        </legend>
        {authKinds.map(([kind, label]) => (
          <label key={kind} className="check-label">
            <input type="radio" name="auth-kind" checked={draft.kind === kind} onChange={() => edit({ kind })} />
            <FormattedMessage id={label} />
          </label>
        ))}
      </fieldset>

      {draft.kind === 'password' ? (
        <InputField {...draftField('password', 'access.form.password')} type="password" autoComplete="new-password" />
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
            {...draftField('passphrase', 'access.form.passphrase', 'access.form.passphraseHint')}
            type="password"
            autoComplete="off"
          />
        </>
      )}

      <InputField
        {...draftField('sudoPassword', 'access.form.sudo', 'access.form.sudoHint')}
        type="password"
        autoComplete="new-password"
      />

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
