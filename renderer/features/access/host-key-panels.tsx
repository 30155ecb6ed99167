import { useShallow } from 'zustand/react/shallow';
import { selectChangedKeys, selectFactsRunning, selectUnknownKeys } from '../../store/access-slice';
import { useAirspray } from '../../store/store-context';
import { AlertIcon } from '../../ui/icons';
import { ErrorText } from '../../ui/error-text';

/** Trust on first use: the keys hosts presented that this project does not know, each with its SHA256 fingerprint. */
export function UnknownKeysPanel() {
  const hosts = useAirspray(useShallow(selectUnknownKeys));
  const { busy, error } = useAirspray(
    useShallow((state) => ({ busy: state.acceptingKeys || selectFactsRunning(state), error: state.hostKeyError })),
  );
  const acceptHostKeys = useAirspray((state) => state.acceptHostKeys);
  const refuseHostKeys = useAirspray((state) => state.refuseHostKeys);
  if (hosts.length === 0) return null;
  const all = hosts.map((host) => host.address);

  return (
    <section className="key-panel" aria-labelledby="unknown-keys-title">
      <h3 id="unknown-keys-title" className="key-panel__title">
        {hosts.length === 1 ? '1 host presented a host key' : `${hosts.length} hosts presented host keys`} this project
        does not know yet
      </h3>
      <p className="small">
        Compare each fingerprint with the host&rsquo;s own (on its console:{' '}
        <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you accept. An accepted key is stored in
        the project&rsquo;s known_hosts; facts are then collected again.
      </p>
      <table className="table key-table" aria-label="Unknown host keys">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Key type</th>
            <th scope="col">Fingerprint</th>
            <th scope="col">
              <span className="visually-hidden">Decision</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => {
            const key = host.outcome?.state === 'failed' ? host.outcome.presentedKey : undefined;
            return (
              <tr key={host.address}>
                <td className="mono">{host.address}</td>
                <td className="mono">{key?.keyType ?? 'unknown'}</td>
                <td className="mono key-table__fingerprint">{key?.fingerprint ?? 'not presented'}</td>
                <td className="key-table__actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    disabled={busy}
                    aria-label={`Accept the key of ${host.address}`}
                    onClick={() => void acceptHostKeys([host.address])}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    disabled={busy}
                    aria-label={`Refuse the key of ${host.address}`}
                    onClick={() => refuseHostKeys([host.address])}
                  >
                    Refuse
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorText message={error} />
      <div className="key-panel__actions">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void acceptHostKeys(all)}>
          Accept all listed
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => refuseHostKeys(all)}>
          Refuse all listed
        </button>
      </div>
    </section>
  );
}

/** A host whose key differs from the one on record: a hard stop, never an accept button. */
export function ChangedKeyAlerts() {
  const hosts = useAirspray(useShallow(selectChangedKeys));
  return hosts.map((host) => {
    if (host.outcome?.state !== 'failed') return null;
    const { presentedKey, knownKeys = [] } = host.outcome;
    return (
      <div key={host.address} className="callout callout--danger changed-key" role="alert">
        <AlertIcon />
        <div className="callout__body">
          <p className="callout__title">Stop: {host.address} presented a different host key than the one on record</p>
          <p>
            Someone may be intercepting the connection, or the host was reinstalled. Airspray did not log in and will
            not connect to it. Confirm the new key on the host&rsquo;s console; if it is right, remove the old line for{' '}
            {host.address} from the project&rsquo;s known_hosts by hand, then collect facts again.
          </p>
          <dl className="facts changed-key__keys">
            <dt>Presented now</dt>
            <dd className="mono">{presentedKey ? `${presentedKey.keyType} ${presentedKey.fingerprint}` : 'unknown'}</dd>
            <dt>On record</dt>
            <dd className="mono">
              {knownKeys.length > 0
                ? knownKeys.map((key) => (
                    <span key={key.fingerprint} className="changed-key__known">
                      {key.keyType} {key.fingerprint}
                    </span>
                  ))
                : 'unknown'}
            </dd>
          </dl>
        </div>
      </div>
    );
  });
}
