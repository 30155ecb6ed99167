import type { Api } from '../../electron/common/api';
import { onlyWorkers } from '../../electron/common/node-lifecycle';
import type { SliceCreator } from './airspray-state';
import type { KeyBootstrapResult } from './deploy-prep-slice';
import { fieldErrorOf, type FieldError } from './field-error';
import { selectSavedHosts } from './plan-slice';
import { isRefusal, isStillOpen, sshCallParams } from './session-slice';

/** Where Operate's Add nodes stands: the deploy key on the new hosts first, then scale.yml limited to them. */
export interface AddNodesState {
  step: 'idle' | 'keys' | 'run' | 'started' | 'failed';
  projectId: string | null;
  /** The hosts of the last attempt. */
  hosts: string[];
  /** The key bootstrap on those hosts: shown per host when one failed. */
  keys: KeyBootstrapResult | null;
  error: FieldError | null;
}

export interface AddNodesSlice {
  addNodes: AddNodesState;
  /**
   * Installs the deploy key on `hosts` (a host added to the plan after the deploy has none, and scale.yml reaches
   * hosts with it), then starts scale.yml --limit to them (kubespray's procedure when one is a control plane or etcd
   * member); stops before the run when a host failed.
   */
  addNodesToCluster(hosts: string[]): Promise<void>;
}

const idle: AddNodesState = { step: 'idle', projectId: null, hosts: [], keys: null, error: null };

export function createAddNodesSlice(api: Api): SliceCreator<AddNodesSlice> {
  return (set, get) => ({
    addNodes: idle,

    addNodesToCluster: async (hosts) => {
      const params = sshCallParams(get());
      const projectId = get().currentProject?.id;
      if (!projectId || !params || hosts.length === 0) return;
      if (isRefusal(params)) {
        set({ addNodes: { ...idle, projectId, hosts, step: 'failed', error: params } }, false, 'addNodes/refused');
        return;
      }
      set({ addNodes: { ...idle, projectId, hosts, step: 'keys' } }, false, 'addNodes/keys');
      let keys: KeyBootstrapResult;
      try {
        keys = await api.call('deploy.bootstrapKeys', { ...params, hosts });
      } catch (error) {
        if (isStillOpen(get(), projectId))
          set(
            { addNodes: { ...idle, projectId, hosts, step: 'failed', error: fieldErrorOf(error) } },
            false,
            'addNodes/keysFailed',
          );
        return;
      }
      if (!isStillOpen(get(), projectId)) return;
      if (!keys.hosts.every((host) => host.ok)) {
        set({ addNodes: { ...idle, projectId, hosts, step: 'failed', keys } }, false, 'addNodes/keysRefused');
        return;
      }
      set({ addNodes: { ...idle, projectId, hosts, step: 'run', keys } }, false, 'addNodes/run');
      if (!onlyWorkers(selectSavedHosts(get()).filter((host) => hosts.includes(host.name)))) {
        // A control plane or etcd member joins by kubespray's procedure, not scale.yml; its record says how it goes.
        await get().changeNodes({ action: 'add', hosts });
        set({ addNodes: { ...get().addNodes, step: 'started' } }, false, 'addNodes/procedure');
        return;
      }
      const run = await get().startRun({ playbook: 'scale.yml', limit: hosts.join(',') });
      // A refused start is shown where every refused run is (runStartError).
      set(
        { addNodes: { ...get().addNodes, step: run ? 'started' : 'failed' } },
        false,
        run ? 'addNodes/started' : 'addNodes/runRefused',
      );
    },
  });
}
