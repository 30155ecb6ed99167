import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import type { MessageId } from '../../i18n/catalogs';
import type { KeyBootstrapResult } from '../../store/deploy-prep-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistError, ChecklistItem, MainButton } from './checklist-item';
import { DeployKeyOutcomeTable } from './outcome-table';
import { ActionRow } from '../../ui/action-row';

const protectionText: Record<KeyBootstrapResult['protection'], MessageId> = {
  keychain: 'deploy.key.protection.keychain',
  passphrase: 'deploy.key.protection.passphrase',
  memory: 'deploy.key.protection.memory',
};

/** Step 1: the project's deploy key installed on every host with the profile's password, key login and sudo proven. */
export function DeployKeyItem() {
  const intl = useIntl();
  const keys = useAirspray(useShallow((state) => state.deployKeys));
  const bootstrap = useAirspray((state) => state.bootstrapDeployKeys);
  const result = keys.result;
  const failedHosts = result?.hosts.filter((host) => !host.ok).length ?? 0;
  const summary = result
    ? failedHosts > 0
      ? intl.formatMessage({ id: 'deploy.key.failed' }, { failed: failedHosts, total: result.hosts.length })
      : intl.formatMessage({ id: 'deploy.key.installed' }, { count: result.hosts.length })
    : intl.formatMessage({ id: keys.provenByServices ? 'deploy.key.proven' : 'deploy.key.about' });

  return (
    <ChecklistItem number={1} titleId="deploy.key.title" state={keys.state} summary={summary}>
      <ActionRow
        className="checklist-item__actions"
        note={keys.state === 'working' && <FormattedMessage id="deploy.key.working" />}
      >
        <MainButton number={1} disabled={keys.state === 'working'} onClick={() => void bootstrap()}>
          <FormattedMessage id={keys.state === 'done' ? 'deploy.key.installAgain' : 'deploy.key.install'} />
        </MainButton>
      </ActionRow>
      <ChecklistError error={keys.error} />
      {result && (
        <>
          <p className="small deploy-key-facts">
            <FormattedMessage
              id="deploy.key.facts"
              values={{
                fingerprint: result.fingerprint,
                created: result.created,
                protection: intl.formatMessage({ id: protectionText[result.protection] }),
              }}
            />
          </p>
          <DeployKeyOutcomeTable hosts={result.hosts} />
        </>
      )}
    </ChecklistItem>
  );
}
