import { useState } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useShallow } from 'zustand/react/shallow';
import { onlyWorkers } from '../../../electron/common/node-lifecycle';
import { kubesprayPlaybooks, type RunOptions } from '../../../electron/common/run';
import type { MessageId } from '../../i18n/catalogs';
import { joinItems } from '../../i18n/join-items';
import type { AddNodesState } from '../../store/add-nodes-slice';
import { selectSavedHosts } from '../../store/plan-slice';
import { useAirspray } from '../../store/store-context';
import { DeployKeyOutcomeTable } from '../deploy/outcome-table';
import { parseExtraVars } from '../deploy/extra-vars';
import { ExtraVarsField } from '../deploy/extra-vars-field';
import { InputField, Options, SelectField } from '../../ui/text-field';
import { hostsInCluster } from './hosts-in-cluster';
import { NodeProcedure } from './node-procedure';
import { RecoverMembers } from './recover-action';
import { StartButton } from './start-button';
import { UpgradeAction } from './upgrade-action';
import { Note } from '../../ui/note';

/** The tabs, in order; each one's title is the message operate.action.<id>. */
const actionIds = ['add', 'remove', 'recover', 'upgrade', 'reset', 'custom'] as const;
type ActionId = (typeof actionIds)[number];
const actionTitle = (id: ActionId): MessageId => `operate.action.${id}`;

const addStepMessages: Partial<Record<AddNodesState['step'], MessageId>> = {
  keys: 'operate.add.keysStep',
  run: 'operate.add.runStep',
  started: 'operate.add.started',
};

function addStepText(intl: IntlShape, { step, hosts }: AddNodesState): string {
  const id = addStepMessages[step];
  return id ? intl.formatMessage({ id }, { hosts: joinItems(intl, hosts) }) : '';
}

/**
 * One click: the deploy key on the new hosts (they may have joined the plan after it was installed), then kubespray's
 * procedure for them, as `airspray node add` runs it (for workers playbooks/facts.yml, then scale.yml --limit).
 */
function AddNodes() {
  const intl = useIntl();
  const { hosts, runs, progress, projectId } = useAirspray(
    useShallow((state) => ({
      hosts: selectSavedHosts(state),
      runs: state.runs,
      progress: state.addNodes,
      projectId: state.currentProject?.id,
    })),
  );
  const addNodesToCluster = useAirspray((state) => state.addNodesToCluster);
  const inCluster = hostsInCluster(runs);
  const candidates = hosts.filter((host) => host.roles.worker || host.roles.controlPlane || host.roles.etcd);
  const [picked, setPicked] = useState<Record<string, boolean>>({});
  const isPicked = (name: string) => picked[name] ?? !inCluster.has(name);
  const chosen = candidates.filter((host) => isPicked(host.name)).map((host) => host.name);
  const shown = progress.projectId === projectId && progress.step !== 'idle' ? progress : null;
  const working = shown?.step === 'keys' || shown?.step === 'run';
  // The last attempt's procedure stays in sight once its hosts joined (and are no longer ticked): how it went.
  const procedureHosts = chosen.length > 0 ? chosen : shown?.step === 'started' ? shown.hosts : [];
  return (
    <>
      <p className="small muted">
        <FormattedMessage id="operate.add.help" values={{ code: (chunks) => <code>{chunks}</code> }} />
      </p>
      <fieldset className="operate-hosts">
        <legend className="field-label">
          <FormattedMessage id="operate.add.newHosts" />
        </legend>
        {candidates.length === 0 && <Note id="operate.add.noCandidates" small />}
        {candidates.map((host) => (
          <label key={host.name} className="operate-host">
            <input
              type="checkbox"
              checked={isPicked(host.name)}
              onChange={(event) => setPicked({ ...picked, [host.name]: event.target.checked })}
            />
            {host.name}{' '}
            <span className="small muted">
              {host.address}
              {inCluster.has(host.name) && <FormattedMessage id="operate.add.inCluster" />}
            </span>
          </label>
        ))}
      </fieldset>
      {procedureHosts.length > 0 && <NodeProcedure request={{ action: 'add', hosts: procedureHosts }} />}
      <StartButton
        label={intl.formatMessage({ id: 'operate.add.button' }, { count: chosen.length, name: chosen[0] })}
        disabled={chosen.length === 0 || working}
        onClick={() => void addNodesToCluster(chosen)}
      />
      {shown && shown.step !== 'failed' && (
        <p className="small" role="status">
          {addStepText(intl, shown)}
        </p>
      )}
      {shown?.step === 'failed' && shown.error && (
        <p className="field-error" role="alert">
          {shown.error.message}
        </p>
      )}
      {shown?.step === 'failed' && shown.keys && (
        <>
          <p className="field-error" role="alert">
            <FormattedMessage
              id="operate.add.keysFailed"
              values={{
                hosts: joinItems(
                  intl,
                  shown.keys.hosts.filter((host) => !host.ok).map((host) => host.name),
                ),
              }}
            />
          </p>
          <DeployKeyOutcomeTable hosts={shown.keys.hosts} />
        </>
      )}
    </>
  );
}

function RemoveNode({ start }: { start(options: RunOptions): void }) {
  const intl = useIntl();
  const hosts = useAirspray(selectSavedHosts);
  const changeNodes = useAirspray((state) => state.changeNodes);
  const candidates = hosts.filter((host) => host.roles.worker || host.roles.controlPlane || host.roles.etcd);
  const [picked, setNode] = useState('');
  // A node that left the plan (removed) leaves the select on "Choose a node": so does the button.
  const node = candidates.some((host) => host.name === picked) ? picked : '';
  const [dead, setDead] = useState(false);
  // A control plane or etcd member leaves by kubespray's procedure (remove-node.yml, then cluster.yml for etcd).
  const member = candidates.find((host) => host.name === node && !onlyWorkers([host]));
  const request = { action: 'remove' as const, hosts: [node], ...(dead ? { offline: true } : {}) };
  return (
    <>
      <Note id="operate.remove.help" small />
      <SelectField
        className="operate-field"
        label={intl.formatMessage({ id: 'operate.remove.node' })}
        value={node}
        onChange={setNode}
      >
        <option value="">{intl.formatMessage({ id: 'operate.remove.choose' })}</option>
        {candidates.map((host) => (
          <option key={host.name} value={host.name}>
            {host.name} ({host.address})
          </option>
        ))}
      </SelectField>
      <label className="operate-host">
        <input type="checkbox" checked={dead} onChange={(event) => setDead(event.target.checked)} />
        <FormattedMessage id="operate.remove.dead" />
      </label>
      {member && <NodeProcedure request={request} />}
      <StartButton
        label={intl.formatMessage({ id: 'operate.remove.button' }, { node: node || 'none' })}
        disabled={!node}
        onClick={() =>
          member
            ? void changeNodes(request)
            : start({
                playbook: 'remove-node.yml',
                extraVars: {
                  node,
                  skip_confirmation: true,
                  ...(dead ? { reset_nodes: false, allow_ungraceful_removal: true } : {}),
                },
              })
        }
      />
    </>
  );
}

function Reset({ start }: { start(options: RunOptions): void }) {
  const intl = useIntl();
  const cluster = useAirspray((state) => state.currentProject?.name ?? '');
  const [typed, setTyped] = useState('');
  return (
    <>
      <Note id="operate.reset.help" small />
      <InputField
        className="operate-field"
        label={intl.formatMessage({ id: 'operate.reset.confirm' }, { cluster })}
        value={typed}
        spellCheck={false}
        autoComplete="off"
        onChange={setTyped}
      />
      <StartButton
        label={intl.formatMessage({ id: 'operate.reset.button' }, { cluster })}
        disabled={typed !== cluster || cluster === ''}
        onClick={() => start({ playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } })}
      />
    </>
  );
}

function Custom({ start }: { start(options: RunOptions): void }) {
  const intl = useIntl();
  const [playbook, setPlaybook] = useState<RunOptions['playbook']>('cluster.yml');
  const [limit, setLimit] = useState('');
  const [tags, setTags] = useState('');
  const [skipTags, setSkipTags] = useState('');
  const [varsText, setVarsText] = useState('');
  const [varsError, setVarsError] = useState<string | null>(null);
  const startError = useAirspray((state) => state.runStartError);
  const fieldError = (field: string) => (startError?.field === `options.${field}` ? startError.message : null);
  const run = () => {
    const extraVars = parseExtraVars(varsText);
    if (typeof extraVars === 'string') {
      setVarsError(extraVars);
      return;
    }
    start({
      playbook,
      ...(limit.trim() ? { limit: limit.trim() } : {}),
      ...(tags.trim() ? { tags: tags.trim() } : {}),
      ...(skipTags.trim() ? { skipTags: skipTags.trim() } : {}),
      ...(Object.keys(extraVars).length > 0 ? { extraVars } : {}),
    });
  };
  return (
    <>
      <div className="operate-grid">
        <SelectField
          className="operate-field"
          label={intl.formatMessage({ id: 'operate.custom.playbook' })}
          value={playbook}
          onChange={setPlaybook}
        >
          <Options values={kubesprayPlaybooks} />
        </SelectField>
        {(
          [
            ['limit', 'operate.custom.limit', 'operate.custom.limitHint', limit, setLimit],
            ['tags', 'operate.custom.tags', 'operate.custom.tagsHint', tags, setTags],
            ['skipTags', 'operate.custom.skipTags', 'operate.custom.skipTagsHint', skipTags, setSkipTags],
          ] as const
        ).map(([field, label, hint, value, setValue]) => (
          <InputField
            key={field}
            className="operate-field"
            label={intl.formatMessage({ id: label })}
            hint={intl.formatMessage({ id: hint })}
            error={fieldError(field)}
            value={value}
            spellCheck={false}
            onChange={setValue}
          />
        ))}
      </div>
      <ExtraVarsField
        value={varsText}
        error={varsError ?? fieldError('extraVars')}
        onChange={(text) => {
          setVarsText(text);
          setVarsError(null);
        }}
      />
      <StartButton label={intl.formatMessage({ id: 'operate.custom.run' }, { playbook })} onClick={run} />
    </>
  );
}

/** Day-two runs: each goes through runs.start and shows in the terminal view below. */
export function OperateActions() {
  const intl = useIntl();
  const [action, setAction] = useState<ActionId>('add');
  const startRun = useAirspray((state) => state.startRun);
  const start = (options: RunOptions) => void startRun(options);
  return (
    <section className="panel operate-actions" aria-label={intl.formatMessage({ id: 'operate.actions.label' })}>
      <div className="operate-tabs" role="tablist" aria-label={intl.formatMessage({ id: 'operate.actions.tabs' })}>
        {actionIds.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={id === action}
            className="operate-tab"
            onClick={() => setAction(id)}
          >
            <FormattedMessage id={actionTitle(id)} />
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={intl.formatMessage({ id: actionTitle(action) })} className="operate-panel">
        {action === 'add' && <AddNodes />}
        {action === 'remove' && <RemoveNode start={start} />}
        {action === 'recover' && <RecoverMembers />}
        {action === 'upgrade' && <UpgradeAction />}
        {action === 'reset' && <Reset start={start} />}
        {action === 'custom' && <Custom start={start} />}
      </div>
    </section>
  );
}
