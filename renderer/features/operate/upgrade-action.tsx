import { Fragment, useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  upgradePresetNames,
  upgradePresets,
  type UpgradePresetName,
  type UpgradeRecord,
  type UpgradeVersions,
} from '../../../electron/common/upgrade';
import type { MessageId } from '../../i18n/catalogs';
import { formatCoreMessage, formatSentText } from '../../i18n/core-message';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray, useAirsprayPick } from '../../store/store-context';
import { Note } from '../../ui/note';
import { ConfirmButtons } from '../../ui/confirm-buttons';

const presetTitles: Record<UpgradePresetName, MessageId> = {
  etcd: 'operate.upgrade.preset.etcd',
  'control-plane': 'operate.upgrade.preset.controlPlane',
  nodes: 'operate.upgrade.preset.nodes',
  network: 'operate.upgrade.preset.network',
  apps: 'operate.upgrade.preset.apps',
  'container-runtime': 'operate.upgrade.preset.containerRuntime',
};

const stateTitles: Record<UpgradeRecord['state'], MessageId> = {
  running: 'operate.upgrade.state.running',
  paused: 'operate.upgrade.state.paused',
  stopped: 'operate.upgrade.state.stopped',
  succeeded: 'operate.upgrade.state.succeeded',
};

/** kubespray's own words for a preset's run, shown beside its name. */
const presetCommand = (name: UpgradePresetName) => {
  const preset = upgradePresets[name];
  const skip = preset.skipTags ? ` --skip-tags ${preset.skipTags.join(',')}` : '';
  return `cluster.yml --tags ${preset.tags.join(',')}${skip}`;
};

/** What a start button asks for once confirmed: a bundle on the stick (its target versions) or a preset. */
type PendingStart = { to: UpgradeVersions } | { preset: UpgradePresetName };

/** The question before an upgrade starts: what it changes, and that an etcd snapshot comes first. */
function ConfirmStart({
  pending,
  pauseBetweenNodes,
  onClose,
}: {
  pending: PendingStart;
  pauseBetweenNodes: boolean;
  onClose(): void;
}) {
  const intl = useIntl();
  const current = useAirspray((state) => state.upgradeOptions?.current);
  const startUpgrade = useAirspray((state) => state.startUpgrade);
  const question =
    'to' in pending
      ? intl.formatMessage(
          { id: 'operate.upgrade.confirm.bundle' },
          { from: current?.kubernetesVersion, to: pending.to.kubernetesVersion, bundle: pending.to.bundleId },
        )
      : intl.formatMessage(
          { id: 'operate.upgrade.confirm.preset' },
          { command: presetCommand(pending.preset), bundle: current?.bundleId },
        );
  const choice = 'to' in pending ? { bundleId: pending.to.bundleId } : { preset: pending.preset };
  return (
    <div
      className="operate-confirm"
      role="group"
      aria-label={intl.formatMessage({ id: 'operate.upgrade.confirm.label' })}
    >
      <span>{question}</span>
      <ConfirmButtons
        confirm={<FormattedMessage id="operate.upgrade.confirm.start" />}
        keep={<FormattedMessage id="operate.upgrade.confirm.keep" />}
        onConfirm={() => {
          onClose();
          void startUpgrade({ ...choice, pauseBetweenNodes });
        }}
        onKeep={onClose}
      />
    </div>
  );
}

/** Where the last upgrade stands: its versions, state and, when paused or stopped, where and how to go on. */
function LastUpgrade() {
  const intl = useIntl();
  const last = useAirspray((state) => state.upgradeOptions?.last);
  if (!last) return null;
  return (
    <p className="small" role="status">
      <FormattedMessage
        id="operate.upgrade.last"
        values={{
          from: last.from.kubernetesVersion,
          to: last.to.kubernetesVersion,
          bundle: last.to.bundleId,
          state: intl.formatMessage({ id: stateTitles[last.state] }),
        }}
      />
      {last.message && <span className="muted"> {formatSentText(intl, last)}</span>}
    </p>
  );
}

/**
 * Upgrades: only the bundles the version rules allow (kubespray and Kubernetes one minor at a time) are offered, the
 * refused ones say why; and the partial-upgrade presets. Each starts with an etcd snapshot, after a confirmation.
 */
export function UpgradeAction() {
  const intl = useIntl();
  const { upgradeOptions, upgradeError, loadUpgradeOptions, watchUpgrades } = useAirsprayPick(
    'upgradeOptions',
    'upgradeError',
    'loadUpgradeOptions',
    'watchUpgrades',
  );
  const running = useAirspray(
    (state) => Boolean(selectRunningRun(state)) || state.upgradeOptions?.last?.state === 'running',
  );
  useEffect(() => void loadUpgradeOptions(), [loadUpgradeOptions]);
  useEffect(() => watchUpgrades(), [watchUpgrades]);
  const [pauseBetweenNodes, setPause] = useState(false);
  const [pending, setPending] = useState<PendingStart | null>(null);
  // The question shows under the button that asked it: the bundles' row, or the preset's.
  const confirmUnder = (place: 'bundle' | UpgradePresetName) =>
    pending && place === ('to' in pending ? 'bundle' : pending.preset) ? (
      <ConfirmStart pending={pending} pauseBetweenNodes={pauseBetweenNodes} onClose={() => setPending(null)} />
    ) : null;
  const allowed = upgradeOptions?.choices.flatMap((choice) => (choice.allowed ? [choice.to] : [])) ?? [];
  const refused = upgradeOptions?.choices.flatMap((choice) => (choice.allowed ? [] : [choice])) ?? [];
  return (
    <>
      <Note id="operate.upgrade.help" small />
      {upgradeOptions?.current && (
        <p className="small">
          <FormattedMessage
            id="operate.upgrade.current"
            values={{ bundle: upgradeOptions.current.bundleId, version: upgradeOptions.current.kubernetesVersion }}
          />
        </p>
      )}
      <label className="operate-host">
        <input type="checkbox" checked={pauseBetweenNodes} onChange={(event) => setPause(event.target.checked)} />
        <FormattedMessage id="operate.upgrade.pause" />
      </label>
      {upgradeOptions && allowed.length === 0 && <Note id="operate.upgrade.none" small />}
      <div className="plan-toolbar">
        {allowed.map((to) => (
          <button
            key={to.bundleId}
            type="button"
            className="btn btn--primary"
            disabled={running}
            onClick={() => setPending({ to })}
          >
            {intl.formatMessage({ id: 'operate.upgrade.to' }, { bundle: to.bundleId, version: to.kubernetesVersion })}
          </button>
        ))}
      </div>
      {confirmUnder('bundle')}
      {refused.map((choice) => (
        <p key={choice.bundleId} className="small muted">
          <FormattedMessage
            id="operate.upgrade.refused"
            values={{ bundle: choice.bundleId, reason: formatCoreMessage(intl, choice.reasonMessage) }}
          />
        </p>
      ))}
      <fieldset className="operate-hosts">
        <legend className="field-label">
          <FormattedMessage id="operate.upgrade.presets" />
        </legend>
        {upgradePresetNames.map((name) => (
          <Fragment key={name}>
            <div className="plan-toolbar">
              <button type="button" className="btn" disabled={running} onClick={() => setPending({ preset: name })}>
                {intl.formatMessage({ id: presetTitles[name] })}
              </button>
              <code className="small">{presetCommand(name)}</code>
            </div>
            {confirmUnder(name)}
          </Fragment>
        ))}
      </fieldset>
      <LastUpgrade />
      {upgradeError && (
        <p className="field-error" role="alert">
          {upgradeError.message}
        </p>
      )}
    </>
  );
}
