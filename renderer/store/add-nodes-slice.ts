import type { Api } from '../../electron/common/api';
import type { SliceCreator } from './airspray-state';
import type { KeyBootstrapResult } from './deploy-prep-slice';
import { fieldErrorOf, type FieldError } from './field-error';
import { isRefusal, isStillOpen, sshCallParams } from './session-slice';

/**
 * Where Operate's Add nodes stands: the deploy key on the new hosts first, then kubespray's procedure for them (the
 * one `airspray node add` runs).
 */
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
   * Installs the deploy key on `hosts` (a host added to the plan after the deploy has none, and runs reach hosts with
   * it), then starts nodes.change add for them: for workers playbooks/facts.yml, then scale.yml --limit to them; stops
   * before any run when a host failed.
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
      // kubespray's procedure, as `airspray node add` runs it: facts.yml then scale.yml --limit for workers, its own
      // runs for a control plane or etcd member; its record (nodeChange) follows each run, a refusal is there too.
      await get().changeNodes({ action: 'add', hosts });
      if (!isStillOpen(get(), projectId)) return;
      const started = get().nodeChangeError === null;
      set(
        { addNodes: { ...get().addNodes, step: started ? 'started' : 'failed' } },
        false,
        started ? 'addNodes/started' : 'addNodes/refusedProcedure',
      );
    },
  });
}
