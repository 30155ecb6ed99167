import { useShallow } from 'zustand/react/shallow';
import type { CredentialSummary } from '../../../electron/common/credentials';
import { useAirspray } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';

function describeProfile(profile: CredentialSummary): string {
  const auth =
    profile.kind === 'password' ? 'password' : `private key${profile.keyType ? ` (${profile.keyType})` : ''}`;
  const sudo = profile.hasSudoPassword ? 'sudo password set' : 'no sudo password';
  return `${profile.user}, ${auth}, ${sudo}`;
}

/** The profiles the core holds, by name only: no secret ever comes back from the core to show. */
export function CredentialList() {
  const { credentials, selectedId, error } = useAirspray(
    useShallow((state) => ({
      credentials: state.credentials,
      selectedId: state.selectedCredentialId,
      error: state.credentialsError,
    })),
  );
  const selectCredential = useAirspray((state) => state.selectCredential);
  const removeCredential = useAirspray((state) => state.removeCredential);

  return (
    <div className="credential-list">
      <h3 className="subsection-title" id="credential-list-title">
        Profiles
      </h3>
      <ErrorText message={error} />
      {credentials.length === 0 ? (
        <p className="muted small">No profile yet: add one to reach the hosts.</p>
      ) : (
        <ul className="profiles" aria-labelledby="credential-list-title">
          {credentials.map((profile) => (
            <li key={profile.id} className={profile.id === selectedId ? 'profile profile--selected' : 'profile'}>
              <label className="profile__pick">
                <input
                  type="radio"
                  name="credential-profile"
                  checked={profile.id === selectedId}
                  onChange={() => selectCredential(profile.id)}
                />
                <span>
                  <span className="profile__label">{profile.label}</span>
                  <span className="profile__detail small muted">{describeProfile(profile)}</span>
                </span>
              </label>
              <span className="badge">{profile.persisted ? 'saved, encrypted' : 'this session'}</span>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                aria-label={`Remove ${profile.label}`}
                onClick={() => void removeCredential(profile.id)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
