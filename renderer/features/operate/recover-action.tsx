import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { ClusterHost } from '../../../electron/common/cluster-plan';
import { joinItems } from '../../i18n/join-items';
import { selectSavedHosts } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { NodeProcedure } from './node-procedure';
import { RecoverSnapshotLoss, RecoverSnapshotPicker } from './recover-snapshot-picker';
import { StartButton } from './start-button';
import { hostsOutsideCluster } from './hosts-in-cluster';

function HostChecks({
  legend,
  hosts,
  picked,
  onChange,
}: {
  legend: string;
  hosts: readonly ClusterHost[];
  picked: readonly string[];
  onChange(picked: string[]): void;
}) {
  return (
    <fieldset className="operate-hosts">
      <legend className="field-label">{legend}</legend>
      {hosts.map((host) => (
        <label key={host.name} className="operate-host">
          <input
            type="checkbox"
            checked={picked.includes(host.name)}
            onChange={(event) =>
              onChange(event.target.checked ? [...picked, host.name] : picked.filter((name) => name !== host.name))
            }
          />
          {host.name} <span className="small muted">{host.address}</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * kubespray's recover-control-plane.yml for broken control plane and etcd members: the operator names them (and the
 * plan hosts that take their places), may pick a stored etcd backup to restore a lost quorum from, reads what may be
 * lost, and confirms.
 */
export function RecoverMembers() {
  const intl = useIntl();
  const hosts = useAirspray(selectSavedHosts);
  const changeNodes = useAirspray((state) => state.changeNodes);
  const runs = useAirspray((state) => state.runs);
  const members = hosts.filter((host) => host.roles.controlPlane || host.roles.etcd);
  // A surviving member is no replacement.
  const replacements = hostsOutsideCluster(members, runs);
  const [brokenPicked, setBroken] = useState<string[]>([]);
  const [newPicked, setNew] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [snapshot, setSnapshot] = useState('');
  // Hosts that left the plan leave the choice.
  const broken = brokenPicked.filter((name) => members.some((host) => host.name === name));
  const newHosts = newPicked.filter(
    (name) => replacements.some((host) => host.name === name) && !broken.includes(name),
  );
  const request = {
    action: 'recover' as const,
    hosts: broken,
    ...(newHosts.length > 0 ? { newHosts } : {}),
    ...(confirmed ? { confirm: true } : {}),
    ...(snapshot ? { snapshot } : {}),
  };
  return (
    <>
      <p className="small muted">
        <FormattedMessage id="operate.recover.help" values={{ code: (chunks) => <code>{chunks}</code> }} />
      </p>
      <HostChecks
        legend={intl.formatMessage({ id: 'operate.recover.broken' })}
        hosts={members}
        picked={broken}
        onChange={setBroken}
      />
      <HostChecks
        legend={intl.formatMessage({ id: 'operate.recover.newHosts' })}
        hosts={replacements.filter((host) => !broken.includes(host.name))}
        picked={newHosts}
        onChange={setNew}
      />
      <RecoverSnapshotPicker value={snapshot} onChange={setSnapshot} />
      {broken.length > 0 && (
        <>
          <NodeProcedure request={request} />
          <p className="field-error" role="note">
            <FormattedMessage id="operate.recover.loss" values={{ hosts: joinItems(intl, broken) }} />
          </p>
          <RecoverSnapshotLoss file={snapshot} />
          <label className="operate-host">
            <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} />
            <FormattedMessage id="operate.recover.confirm" />
          </label>
        </>
      )}
      <StartButton
        label={intl.formatMessage({ id: 'operate.recover.button' })}
        disabled={broken.length === 0 || !confirmed}
        onClick={() => void changeNodes(request)}
      />
    </>
  );
}
