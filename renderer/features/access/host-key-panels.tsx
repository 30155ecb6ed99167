import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { selectChangedKeys, selectFactsRunning, selectUnknownKeys } from '../../store/access-slice';
import type { MessageId } from '../../i18n/catalogs';
import { useAirspray } from '../../store/store-context';
import { ErrorText } from '../../ui/error-text';
import { TableHead } from '../../ui/table-head';
import { Callout } from '../../ui/callout';
import { Fact } from '../../ui/fact';
import { Field } from '../../ui/text-field';

/** A button on one host's key: its text, its label naming the host ({address}), and what it does. */
interface KeyDecision {
  text: MessageId;
  label: MessageId;
  className: string;
  decide: (addresses: string[]) => void;
}

/** Trust on first use: the keys hosts presented that this project does not know, each with its SHA256 fingerprint. */
export function UnknownKeysPanel() {
  const intl = useIntl();
  const hosts = useAirspray(useShallow(selectUnknownKeys));
  const { busy, error } = useAirspray(
    useShallow((state) => ({ busy: state.acceptingKeys || selectFactsRunning(state), error: state.hostKeyError })),
  );
  const acceptHostKeys = useAirspray((state) => state.acceptHostKeys);
  const refuseHostKeys = useAirspray((state) => state.refuseHostKeys);
  if (hosts.length === 0) return null;
  const all = hosts.map((host) => host.address);
  const rowDecisions: KeyDecision[] = [
    {
      text: 'access.keys.accept',
      label: 'access.keys.acceptOne',
      className: 'btn btn--small',
      decide: (addresses) => void acceptHostKeys(addresses),
    },
    {
      text: 'access.keys.refuse',
      label: 'access.keys.refuseOne',
      className: 'btn btn--small btn--ghost',
      decide: refuseHostKeys,
    },
  ];

  return (
    <section className="key-panel" aria-labelledby="unknown-keys-title">
      <h3 id="unknown-keys-title" className="key-panel__title">
        <FormattedMessage id="access.keys.title" values={{ count: hosts.length }} />
      </h3>
      <p className="small">
        <FormattedMessage
          id="access.keys.compare"
          values={{ command: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> }}
        />
      </p>
      <table className="table key-table" aria-label={intl.formatMessage({ id: 'access.keys.table' })}>
        <TableHead
          columns={[
            ...keyColumnIds.map((id) => intl.formatMessage({ id })),
            {
              label: (
                <span className="visually-hidden">
                  <FormattedMessage id="access.keys.decision" />
                </span>
              ),
            },
          ]}
        />
        <tbody>
          {hosts.map((host) => {
            const key = host.outcome?.state === 'failed' ? host.outcome.presentedKey : undefined;
            return (
              <tr key={host.address}>
                <td className="mono">{host.address}</td>
                <td className="mono">{key?.keyType ?? <FormattedMessage id="access.facts.unknown" />}</td>
                <td className="mono key-table__fingerprint">
                  {key?.fingerprint ?? <FormattedMessage id="access.keys.notPresented" />}
                </td>
                <td className="key-table__actions">
                  {rowDecisions.map(({ text, label, className, decide }) => (
                    <button
                      key={text}
                      type="button"
                      className={className}
                      disabled={busy}
                      aria-label={intl.formatMessage({ id: label }, { address: host.address })}
                      onClick={() => decide([host.address])}
                    >
                      <FormattedMessage id={text} />
                    </button>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorText message={error} />
      <KeyListPicker busy={busy} />
      <div className="key-panel__actions">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void acceptHostKeys(all)}>
          <FormattedMessage id="access.keys.acceptAll" />
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => refuseHostKeys(all)}>
          <FormattedMessage id="access.keys.refuseAll" />
        </button>
      </div>
    </section>
  );
}

/** The list's limit in the API contract: a larger file is refused here, before it is read. */
const listLimitBytes = 10 * 1024 * 1024;

/** A data center's known_hosts or fingerprint list: every host it names is confirmed in one action. */
function KeyListPicker({ busy }: { busy: boolean }) {
  const intl = useIntl();
  const acceptListedHostKeys = useAirspray((state) => state.acceptListedHostKeys);
  const [tooLarge, setTooLarge] = useState(false);
  const choose = async (file: File | undefined) => {
    setTooLarge(file !== undefined && file.size > listLimitBytes);
    if (file && file.size <= listLimitBytes) await acceptListedHostKeys(await file.text());
  };
  return (
    <Field
      className="field key-list"
      label={intl.formatMessage({ id: 'access.keys.list.label' })}
      hint={intl.formatMessage({ id: 'access.keys.list.hint' })}
      error={tooLarge ? intl.formatMessage({ id: 'access.keys.list.tooLarge' }) : null}
    >
      {(input) => (
        <input
          {...input}
          type="file"
          disabled={busy}
          onChange={(event) => void choose(event.currentTarget.files?.[0])}
        />
      )}
    </Field>
  );
}

/** What the last list confirmed, and only the keys that differ from it (the unlisted stay in the table above). */
export function KeyListOutcome() {
  const intl = useIntl();
  const outcome = useAirspray((state) => state.keyListOutcome);
  if (!outcome) return null;
  const { accepted, differing, unlisted } = outcome;
  return (
    <section className="key-panel" aria-label={intl.formatMessage({ id: 'access.keys.list.label' })}>
      <p role="status">
        <FormattedMessage
          id="access.keys.list.result"
          values={{ accepted: accepted.length, unlisted: unlisted.length }}
        />
      </p>
      {differing.length > 0 && (
        <Callout
          tone="danger"
          role="alert"
          title={<FormattedMessage id="access.keys.list.differing" values={{ count: differing.length }} />}
        >
          <table className="table key-table" aria-label={intl.formatMessage({ id: 'access.keys.list.table' })}>
            <TableHead columns={differingColumnIds.map((id) => intl.formatMessage({ id }))} />
            <tbody>
              {differing.map((key) => (
                <tr key={key.address}>
                  <td className="mono">{key.address}</td>
                  <td className="mono key-table__fingerprint">{key.presented}</td>
                  <td className="mono key-table__fingerprint">{key.listed.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Callout>
      )}
    </section>
  );
}

const differingColumnIds: MessageId[] = ['access.keys.host', 'access.keys.list.presented', 'access.keys.list.listed'];

const unknown = <FormattedMessage id="access.facts.unknown" />;
const keyColumnIds: MessageId[] = ['access.keys.host', 'access.keys.type', 'access.keys.fingerprint'];

/** A host whose key differs from the one on record: a hard stop, never an accept button. */
export function ChangedKeyAlerts() {
  const hosts = useAirspray(useShallow(selectChangedKeys));
  return hosts.map((host) => {
    if (host.outcome?.state !== 'failed') return null;
    const { presentedKey, knownKeys = [] } = host.outcome;
    return (
      <Callout
        key={host.address}
        tone="danger"
        className="changed-key"
        role="alert"
        title={<FormattedMessage id="access.changedKey.title" values={{ address: host.address }} />}
      >
        <p>
          <FormattedMessage id="access.changedKey.body" values={{ address: host.address }} />
        </p>
        <dl className="facts changed-key__keys">
          <Fact labelId="access.changedKey.presented" className="mono">
            {presentedKey ? (
              `${presentedKey.keyType} ${presentedKey.fingerprint}`
            ) : (
              <FormattedMessage id="access.facts.unknown" />
            )}
          </Fact>
          <Fact labelId="access.changedKey.onRecord" className="mono">
            {knownKeys.length > 0
              ? knownKeys.map((key) => (
                  <span key={key.fingerprint} className="changed-key__known">
                    {key.keyType} {key.fingerprint}
                  </span>
                ))
              : unknown}
          </Fact>
        </dl>
      </Callout>
    );
  });
}
