import { FormattedMessage, useIntl } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { selectHarborCaTrust, type CaTrustResult } from '../../store/harbor-deploy-slice';
import { useAirspray } from '../../store/store-context';
import type { MessageId } from '../../i18n/catalogs';
import { ChecklistError, ChecklistItem, MainButton } from './checklist-item';
import { OutcomeTable, okClass } from './outcome-table';
import { ActionRow } from '../../ui/action-row';
import './harbor.css';

const storeText = { debian: 'update-ca-certificates', rhel: 'update-ca-trust' } as const;

/** What a host's store holds now: the CA put there now, there before, or nothing (the host failed). */
function certificateText(host: CaTrustResult['hosts'][number]): MessageId {
  if (!host.ok) return 'deploy.check.failed';
  return host.certificate === 'installed' ? 'deploy.harborCa.installed' : 'deploy.harborCa.present';
}

const trustColumns: MessageId[] = ['deploy.col.host', 'deploy.harborCa.col.store', 'deploy.harborCa.col.ca'];

function TrustTable({ hosts }: { hosts: CaTrustResult['hosts'] }) {
  return (
    <OutcomeTable labelId="deploy.harborCa.table" columnIds={trustColumns} rows={hosts} rowKey={(host) => host.name}>
      {(host) => (
        <>
          <td className="mono">{host.name}</td>
          <td className="mono">{host.store ? storeText[host.store] : '—'}</td>
          <td>
            <span className={okClass(host.ok)}>
              <FormattedMessage id={certificateText(host)} />
            </span>
            {host.message && <span className="deploy-table__detail">{host.message}</span>}
          </td>
        </>
      )}
    </OutcomeTable>
  );
}

/**
 * For Harbor plans: Harbor's CA in every host's OS trust store, where containerd looks (kubespray 2.23 has no CA
 * setting for it).
 */
export function HarborCaItem({ number }: { number: number }) {
  const intl = useIntl();
  const trust = useAirspray(useShallow(selectHarborCaTrust));
  const registry = useAirspray((state) => state.currentProject?.cluster.settings.registry);
  const trustCa = useAirspray((state) => state.trustHarborCa);
  if (registry?.kind !== 'harbor') return null;
  const working = trust.state === 'working';
  const failed = trust.result?.hosts.filter((host) => !host.ok).length ?? 0;
  const summary = trust.result
    ? trust.result.ok
      ? intl.formatMessage({ id: 'deploy.harborCa.trusted' }, { file: trust.result.file })
      : intl.formatMessage({ id: 'deploy.harborCa.notTrusted' }, { failed, total: trust.result.hosts.length })
    : intl.formatMessage({ id: registry.caCertificate ? 'deploy.harborCa.about' : 'deploy.harborCa.noCa' });

  return (
    <ChecklistItem number={number} titleId="deploy.harborCa.title" state={trust.state} summary={summary}>
      <ActionRow
        className="checklist-item__actions"
        note={working && <FormattedMessage id="deploy.harborCa.working" />}
      >
        <MainButton number={number} disabled={working} onClick={() => void trustCa()}>
          <FormattedMessage id={trust.result?.ok ? 'deploy.harborCa.runAgain' : 'deploy.harborCa.trust'} />
        </MainButton>
      </ActionRow>
      <ChecklistError error={trust.error} />
      {trust.result && <TrustTable hosts={trust.result.hosts} />}
    </ChecklistItem>
  );
}
