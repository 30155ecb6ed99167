import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { kubesprayPlaybooks, type RunOptions } from '../../../electron/common/run';
import type { AddNodesState } from '../../store/add-nodes-slice';
import { selectSavedHosts } from '../../store/plan-slice';
import { selectRunningRun } from '../../store/runs-slice';
import { useAirspray } from '../../store/store-context';
import { DeployKeyOutcomeTable } from '../deploy/outcome-table';
import { parseExtraVars } from '../deploy/extra-vars';
import { ExtraVarsField } from '../deploy/extra-vars-field';
import { InputField, Options, SelectField } from '../../ui/text-field';
import { hostsInCluster } from './hosts-in-cluster';

type ActionId = 'add' | 'remove' | 'upgrade' | 'reset' | 'custom';
const actions: { id: ActionId; title: string }[] = [
  { id: 'add', title: 'Add nodes' },
  { id: 'remove', title: 'Remove node' },
  { id: 'upgrade', title: 'Upgrade' },
  { id: 'reset', title: 'Reset' },
  { id: 'custom', title: 'Custom' },
];

function StartButton({ label, disabled, onClick }: { label: string; disabled?: boolean; onClick(): void }) {
  const { starting, running } = useAirspray(
    useShallow((state) => ({ starting: state.runStarting, running: selectRunningRun(state) })),
  );
  return (
    <div className="plan-toolbar">
      <button
        type="button"
        className="btn btn--primary"
        disabled={starting || Boolean(running) || disabled}
        onClick={onClick}
      >
        {label}
      </button>
      {running && <span className="small muted">{running.playbook} is running: one run at a time per cluster.</span>}
    </div>
  );
}

const addStepText = ({ step, hosts }: AddNodesState): string =>
  ({
    idle: '',
    keys: `Step 1 of 2: installing the deploy key on ${hosts.join(', ')}…`,
    run: `Step 2 of 2: deploy key works on ${hosts.join(', ')}; starting scale.yml…`,
    started: `Deploy key works on ${hosts.join(', ')}; scale.yml started: it shows below.`,
    failed: '',
  })[step];

/**
 * One click: the deploy key on the new hosts (they may have joined the plan after it was installed), then scale.yml.
 */
function AddNodes() {
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
  return (
    <>
      <p className="small muted">
        The deploy key goes on the new hosts first (the ones that have it already are left as they are), then scale.yml
        runs with <code>--limit</code> to them. Give them roles on the Roles step first; hosts no successful run has
        named yet (or that a later remove-node.yml or reset.yml took out) are ticked.
      </p>
      <fieldset className="operate-hosts">
        <legend className="field-label">New hosts</legend>
        {candidates.length === 0 && <p className="small muted">The plan has no host with a role.</p>}
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
              {inCluster.has(host.name) ? ', in the cluster' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <StartButton
        label={chosen.length === 0 ? 'Add nodes' : `Add ${chosen.length === 1 ? chosen[0] : `${chosen.length} nodes`}`}
        disabled={chosen.length === 0 || working}
        onClick={() => void addNodesToCluster(chosen)}
      />
      {shown && shown.step !== 'failed' && (
        <p className="small" role="status">
          {addStepText(shown)}
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
            The deploy key did not work on{' '}
            {shown.keys.hosts
              .filter((host) => !host.ok)
              .map((host) => host.name)
              .join(', ')}
            : scale.yml was not started. Fix what the table says and add again.
          </p>
          <DeployKeyOutcomeTable hosts={shown.keys.hosts} />
        </>
      )}
    </>
  );
}

function RemoveNode({ start }: { start(options: RunOptions): void }) {
  const hosts = useAirspray(selectSavedHosts);
  const candidates = hosts.filter((host) => host.roles.worker || host.roles.controlPlane || host.roles.etcd);
  const [picked, setNode] = useState('');
  // A node that left the plan (removed) leaves the select on "Choose a node": so does the button.
  const node = candidates.some((host) => host.name === picked) ? picked : '';
  const [dead, setDead] = useState(false);
  return (
    <>
      <p className="small muted">remove-node.yml drains the node, resets it and takes it out of the cluster.</p>
      <SelectField className="operate-field" label="Node to remove" value={node} onChange={setNode}>
        <option value="">Choose a node</option>
        {candidates.map((host) => (
          <option key={host.name} value={host.name}>
            {host.name} ({host.address})
          </option>
        ))}
      </SelectField>
      <label className="operate-host">
        <input type="checkbox" checked={dead} onChange={(event) => setDead(event.target.checked)} />
        The node is dead (unreachable): do not reset it, remove it without draining
      </label>
      <StartButton
        label={node ? `Remove ${node}` : 'Remove node'}
        disabled={!node}
        onClick={() =>
          start({
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
  const cluster = useAirspray((state) => state.currentProject?.name ?? '');
  const [typed, setTyped] = useState('');
  return (
    <>
      <p className="small muted">
        reset.yml removes Kubernetes, etcd and their data from every host. It cannot be undone.
      </p>
      <InputField
        className="operate-field"
        label={`Type the cluster name (${cluster}) to confirm`}
        value={typed}
        spellCheck={false}
        autoComplete="off"
        onChange={setTyped}
      />
      <StartButton
        label={`Reset ${cluster}`}
        disabled={typed !== cluster || cluster === ''}
        onClick={() => start({ playbook: 'reset.yml', extraVars: { reset_confirmation: 'yes' } })}
      />
    </>
  );
}

function Custom({ start }: { start(options: RunOptions): void }) {
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
        <SelectField className="operate-field" label="Playbook" value={playbook} onChange={setPlaybook}>
          <Options values={kubesprayPlaybooks} />
        </SelectField>
        {(
          [
            ['limit', 'Limit', 'Hosts or groups, such as node3,node4', limit, setLimit],
            ['tags', 'Tags', 'Such as etcd', tags, setTags],
            ['skipTags', 'Skip tags', 'Such as node,network,apps', skipTags, setSkipTags],
          ] as const
        ).map(([field, label, hint, value, setValue]) => (
          <InputField
            key={field}
            className="operate-field"
            label={label}
            hint={hint}
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
      <StartButton label={`Run ${playbook}`} onClick={run} />
    </>
  );
}

/** Day-two runs: each goes through runs.start and shows in the terminal view below. */
export function OperateActions() {
  const [action, setAction] = useState<ActionId>('add');
  const startRun = useAirspray((state) => state.startRun);
  const start = (options: RunOptions) => void startRun(options);
  return (
    <section className="panel operate-actions" aria-label="Day-two actions">
      <div className="operate-tabs" role="tablist" aria-label="Actions">
        {actions.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            aria-selected={entry.id === action}
            className="operate-tab"
            onClick={() => setAction(entry.id)}
          >
            {entry.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={actions.find((entry) => entry.id === action)?.title} className="operate-panel">
        {action === 'add' && <AddNodes />}
        {action === 'remove' && <RemoveNode start={start} />}
        {action === 'upgrade' && (
          <>
            <p className="small muted">
              upgrade-cluster.yml, node by node, to the Kubernetes version of the bundle chosen for this project (choose
              a newer bundle on the Bundle step and push it first).
            </p>
            <StartButton label="Upgrade the cluster" onClick={() => start({ playbook: 'upgrade-cluster.yml' })} />
          </>
        )}
        {action === 'reset' && <Reset start={start} />}
        {action === 'custom' && <Custom start={start} />}
      </div>
    </section>
  );
}
