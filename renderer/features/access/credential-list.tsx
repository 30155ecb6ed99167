import { useIntl, FormattedMessage, type IntlShape } from 'react-intl';
import type { CredentialSummary } from '../../../electron/common/credentials';
import { useAirsprayPick } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { Note } from '../../ui/note';
import { RowButton } from '../../ui/row-button';

function describeProfile(intl: IntlShape, profile: CredentialSummary): string {
  return intl.formatMessage(
    { id: 'access.profile.detail' },
    {
      user: profile.user,
      kind: profile.kind,
      keyType: profile.keyType ?? 'none',
      sudo: String(profile.hasSudoPassword),
    },
  );
}

/** The profiles the core holds, by name only: no secret ever comes back from the core to show. */
export function CredentialList() {
  const intl = useIntl();
  const { credentials, selectedCredentialId, credentialsError, selectCredential, removeCredential } = useAirsprayPick(
    'credentials',
    'selectedCredentialId',
    'credentialsError',
    'selectCredential',
    'removeCredential',
  );
  return (
    <div className="credential-list">
      <h3 className="subsection-title" id="credential-list-title">
        <FormattedMessage id="access.profiles.list" />
      </h3>
      <ErrorText message={credentialsError} />
      {credentials.length === 0 ? (
        <Note id="access.profiles.none" small />
      ) : (
        <ul className="profiles" aria-labelledby="credential-list-title">
          {credentials.map((profile) => (
            <li
              key={profile.id}
              className={profile.id === selectedCredentialId ? 'profile profile--selected' : 'profile'}
            >
              <label className="profile__pick">
                <input
                  type="radio"
                  name="credential-profile"
                  checked={profile.id === selectedCredentialId}
                  onChange={() => selectCredential(profile.id)}
                />
                <span>
                  <span className="profile__label">{profile.label}</span>
                  <span className="profile__detail small muted">{describeProfile(intl, profile)}</span>
                </span>
              </label>
              <span className="badge">
                <FormattedMessage id={profile.persisted ? 'access.profile.saved' : 'access.profile.session'} />
              </span>
              <RowButton
                textId="access.profile.remove"
                labelId="access.profile.removeLabel"
                values={{ profile: profile.label }}
                ghost
                onClick={() => void removeCredential(profile.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
