import { useShallow } from 'zustand/react/shallow';
import { selectHarborCaTrust, type CaTrustResult } from '../../store/harbor-deploy-slice';
import { useAirspray } from '../../store/store-context';
import { ChecklistError, ChecklistItem, useMainButtonClass } from './checklist-item';
import { OutcomeTable, okClass } from './outcome-table';
import './harbor.css';

const storeText = { debian: 'update-ca-certificates', rhel: 'update-ca-trust' } as const;

function TrustTable({ hosts }: { hosts: CaTrustResult['hosts'] }) {
  return (
    <OutcomeTable
      label="Harbor CA per host"
      columns={['Host', 'Store', 'Harbor CA']}
      rows={hosts}
      rowKey={(host) => host.name}
    >
      {(host) => (
        <>
          <td className="mono">{host.name}</td>
          <td className="mono">{host.store ? storeText[host.store] : '—'}</td>
          <td>
            <span className={okClass(host.ok)}>
              {host.ok ? (host.certificate === 'installed' ? 'installed' : 'trusted already') : 'failed'}
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
  const mainButton = useMainButtonClass(number);
  const trust = useAirspray(useShallow(selectHarborCaTrust));
  const registry = useAirspray((state) => state.currentProject?.cluster.settings.registry);
  const trustCa = useAirspray((state) => state.trustHarborCa);
  if (registry?.kind !== 'harbor') return null;
  const working = trust.state === 'working';
  const failed = trust.result?.hosts.filter((host) => !host.ok).length ?? 0;
  const summary = trust.result
    ? trust.result.ok
      ? `Every host trusts Harbor's CA (${trust.result.file}).`
      : `${failed} of ${trust.result.hosts.length} hosts do not trust it yet: see below, fix, and run again.`
    : registry.caCertificate
      ? 'The CA from the Settings step goes into /usr/local/share/ca-certificates (Debian, Ubuntu) or /etc/pki/ca-trust/source/anchors (RHEL family) on every host, with the deploy key and sudo: containerd trusts Harbor only through that store.'
      : "No CA in the plan: not needed when a CA the hosts already trust signed Harbor's certificate; otherwise paste it on the Settings step.";

  return (
    <ChecklistItem number={number} title="Trust Harbor's CA on every host" state={trust.state} summary={summary}>
      <div className="checklist-item__actions">
        <button type="button" className={mainButton} disabled={working} onClick={() => void trustCa()}>
          {trust.result?.ok ? 'Run again' : 'Trust the CA'}
        </button>
        {working && <span className="small muted">Installing on every host…</span>}
      </div>
      <ChecklistError error={trust.error} />
      {trust.result && <TrustTable hosts={trust.result.hosts} />}
    </ChecklistItem>
  );
}
