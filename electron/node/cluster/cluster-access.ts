import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { ClusterAccessSchema, kubeconfigAdminWarning, type ClusterAccess } from '../../common/cluster-api';
import { AirsprayError } from '../../common/errors';
import type { RunRecord } from '../../common/run';
import type { SecretSealer } from '../access/credential-vault';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { execAsRoot, sudoPasswordOf } from '../deploy/remote-shell';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { coreError } from '../i18n/format-core-message';
import { hostsWithRole } from '../projects/hosts-with-role';
import type { ProjectStore } from '../projects/project-store';
import { quoteShellArg, shellCommand } from '../ssh/shell-quote';
import { apiEndpointOf, serverUrlOf } from './api-endpoint';
import { parseNodeList } from './kubectl-nodes';
import { pointKubeconfigAt } from './kubeconfig';
import { KubeconfigStore } from './kubeconfig-store';

/** Where kubeadm writes the cluster-admin kubeconfig on every control plane. */
export const adminConfPath = '/etc/kubernetes/admin.conf';
/** Runs that leave a cluster whose admin.conf is worth fetching again. */
const playbooksThatBuild = new Set(['cluster.yml', 'scale.yml', 'upgrade-cluster.yml']);
const accessFileName = 'cluster-access.json';
const none: ClusterAccess = { kubeconfig: null, nodes: null, lastError: null, clusterReset: null };

export interface ClusterAccessOptions {
  projects: ProjectStore;
  sealer?: SecretSealer;
  onUpdated?: (projectId: string, access: ClusterAccess) => void;
}

/**
 * `kubectl get nodes` as root on a control plane; kubespray installs kubectl in /usr/local/bin, outside some sudo
 * paths.
 */
const kubectlGetNodes = `PATH=/usr/local/bin:$PATH ${shellCommand(['kubectl', '--kubeconfig', adminConfPath, 'get', 'nodes', '-o', 'json'])}`;

/**
 * Cluster access after a deploy: fetches admin.conf from a control plane over SSH with the project's deploy key (sudo,
 * password on stdin), points it at the API endpoint, keeps it protected with the project, exports it on request, and
 * lists the nodes' readiness. The non-secret part (when, from where, the nodes) lives in cluster-access.json beside the
 * project.
 */
export class ClusterAccessService {
  private readonly kubeconfigs: KubeconfigStore;
  /** One fetch per project at a time: a run's automatic fetch and a click must not interleave their writes. */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly options: ClusterAccessOptions) {
    this.kubeconfigs = new KubeconfigStore((projectId) => options.projects.projectFolder(projectId), options.sealer);
  }

  private accessFile(projectId: string): string {
    return join(this.options.projects.projectFolder(projectId), accessFileName);
  }

  async access(projectId: string): Promise<ClusterAccess> {
    const text = await readFile(this.accessFile(projectId), 'utf8').catch(() => undefined);
    let stored = none;
    try {
      if (text !== undefined) stored = ClusterAccessSchema.parse(JSON.parse(text));
    } catch {
      // Damaged (edited by hand): read as nothing fetched yet; the next fetch writes it anew.
    }
    if (!stored.kubeconfig) return stored;
    return {
      ...stored,
      kubeconfig: {
        ...stored.kubeconfig,
        availableNow: await this.kubeconfigs.openableNow(projectId, stored.kubeconfig.protection),
      },
    };
  }

  private async update(projectId: string, change: (access: ClusterAccess) => ClusterAccess): Promise<ClusterAccess> {
    const next = change(await this.access(projectId));
    await writeFileAtomic(this.accessFile(projectId), `${JSON.stringify(next, null, 2)}\n`);
    this.options.onUpdated?.(projectId, next);
    return next;
  }

  private exclusive<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.busy.get(projectId) ?? Promise.resolve();
    // The previous work's caller has its error; this work runs after it either way.
    const next = previous.catch(() => undefined).then(work);
    this.busy.set(projectId, next);
    return next;
  }

  /**
   * Fetches admin.conf from the first control plane that answers and lists the nodes there. The copy is encrypted
   * under the deploy key's passphrase when no keychain works and the key has one.
   */
  fetchKubeconfig(projectId: string, session: KeySession, runId?: string): Promise<ClusterAccess> {
    return this.exclusive(projectId, async () => {
      try {
        return await this.fetchNow(projectId, session);
      } catch (error) {
        await this.update(projectId, (access) => ({
          ...access,
          lastError: { at: new Date().toISOString(), message: (error as Error).message, ...(runId ? { runId } : {}) },
        }));
        throw error;
      }
    });
  }

  /** Runs kubectl get nodes on a control plane now; after a run (`runId`) a failure is kept as lastError too. */
  refreshNodes(projectId: string, session: KeySession, runId?: string): Promise<ClusterAccess> {
    return this.exclusive(projectId, async () => {
      try {
        return await this.onControlPlane(projectId, session, async (client, host, sudoPassword) => {
          const nodes = await this.listNodes(client, sudoPassword, host.name);
          return this.update(projectId, (access) => ({
            ...access,
            nodes: { checkedAt: new Date().toISOString(), fromHost: host, nodes },
            lastError: null,
          }));
        });
      } catch (error) {
        if (runId)
          await this.update(projectId, (access) => ({
            ...access,
            lastError: { at: new Date().toISOString(), message: (error as Error).message, runId },
          }));
        throw error;
      }
    });
  }

  async exportKubeconfig(
    projectId: string,
    passphrase?: string,
  ): Promise<{ fileName: string; content: string; warning: string }> {
    const { kubeconfig, clusterReset } = await this.access(projectId);
    if (!kubeconfig) throw coreError('not_found', 'cluster.kubeconfig-missing', {}, 'projectId');
    if (clusterReset) {
      throw coreError('conflict', 'cluster.reset', { runId: clusterReset.runId }, 'projectId');
    }
    const text = await this.kubeconfigs.open(projectId, kubeconfig.protection, passphrase);
    const project = await this.options.projects.open(projectId);
    const header = `# ${kubeconfigAdminWarning}\n# Fetched from ${kubeconfig.fromHost.name} (${kubeconfig.fromHost.address}) at ${kubeconfig.fetchedAt}; server ${kubeconfig.server}.\n`;
    return {
      fileName: `${project.name}-admin.kubeconfig`,
      content: `${header}${text}`,
      warning: kubeconfigAdminWarning,
    };
  }

  /**
   * The hook after a run ends well: a build, scale or upgrade leaves a cluster whose access is worth fetching again;
   * after remove-node.yml (or a reset of some hosts) the node list is asked again; a whole-cluster reset leaves no API
   * to ask, so the kubeconfig is marked as naming a cluster that is gone and the node list is dropped.
   */
  async afterRun(run: RunRecord, session: KeySession): Promise<void> {
    if (run.state !== 'succeeded') return;
    // A failure is kept as lastError and shown beside the kubeconfig; the run itself stays a success.
    if (playbooksThatBuild.has(run.playbook))
      await this.fetchKubeconfig(run.projectId, session, run.id).catch(() => undefined);
    else if (run.playbook === 'remove-node.yml' || (run.playbook === 'reset.yml' && run.options?.limit))
      await this.refreshNodes(run.projectId, session, run.id).catch(() => undefined);
    else if (run.playbook === 'reset.yml') await this.markReset(run);
  }

  private markReset(run: RunRecord): Promise<void> {
    return this.exclusive(run.projectId, async () => {
      const at = new Date().toISOString();
      await this.update(run.projectId, (access) => ({
        ...access,
        nodes: null,
        lastError: null,
        clusterReset: access.kubeconfig ? { at, runId: run.id } : null,
      }));
    });
  }

  private async fetchNow(projectId: string, session: KeySession): Promise<ClusterAccess> {
    const project = await this.options.projects.open(projectId);
    const endpoint = apiEndpointOf(project.cluster);
    const server = serverUrlOf(endpoint);
    const passphrase = session.key.protection === 'passphrase' ? session.key.credential.passphrase : undefined;
    return this.onControlPlane(projectId, session, async (client, host, sudoPassword) => {
      const read = await execAsRoot(client, `cat ${quoteShellArg(adminConfPath)}`, sudoPassword);
      if (read.code !== 0)
        throw new Error(`could not read ${adminConfPath} (${read.stderr.trim() || `exit ${read.code}`})`);
      const { text } = pointKubeconfigAt(read.stdout, server);
      const protection = await this.kubeconfigs.save(projectId, text, passphrase);
      const fetchedAt = new Date().toISOString();
      const kubeconfig = {
        fetchedAt,
        fromHost: host,
        server,
        endpointSource: endpoint.source,
        protection,
        availableNow: true,
      };
      let nodes: ClusterAccess['nodes'] = null;
      let lastError: ClusterAccess['lastError'] = null;
      try {
        nodes = { checkedAt: fetchedAt, fromHost: host, nodes: await this.listNodes(client, sudoPassword, host.name) };
      } catch (error) {
        lastError = { at: fetchedAt, message: (error as Error).message };
      }
      return this.update(projectId, (access) => ({
        kubeconfig,
        nodes: nodes ?? access.nodes,
        lastError,
        clusterReset: null,
      }));
    });
  }

  private async listNodes(client: Client, sudoPassword: string, hostName: string) {
    const result = await execAsRoot(client, kubectlGetNodes, sudoPassword);
    if (result.code !== 0)
      throw coreError(
        'conflict',
        'cluster.nodes-failed',
        { host: hostName, detail: result.stderr.trim() || `exit ${result.code}` },
        'nodes',
      );
    return parseNodeList(result.stdout);
  }

  /** Tries the plan's control planes in order; the first that lets us in and does the work answers. */
  private async onControlPlane<T>(
    projectId: string,
    session: KeySession,
    work: (client: Client, host: { name: string; address: string }, sudoPassword: string) => Promise<T>,
  ): Promise<T> {
    const project = await this.options.projects.open(projectId);
    const controlPlanes = hostsWithRole(project.cluster.hosts, 'controlPlane', 'roles.no-control-plane');
    const sudoPassword = sudoPasswordOf(session.credential);
    if (sudoPassword === undefined)
      throw coreError(
        'invalid_params',
        'cluster.sudo-password-missing',
        { path: adminConfPath },
        'credential.sudoPassword',
      );
    const failures: string[] = [];
    for (const host of controlPlanes) {
      let client: Client | undefined;
      try {
        client = await connectWithKey(host, session);
        return await work(client, { name: host.name, address: host.address }, sudoPassword);
      } catch (error) {
        if (error instanceof AirsprayError && error.field === 'kubeconfig') throw error;
        failures.push(`${host.name}: ${(error as Error).message}`);
      } finally {
        client?.end();
      }
    }
    throw coreError('conflict', 'cluster.no-control-plane-answered', { failures: failures.join('; ') }, 'hosts');
  }
}
