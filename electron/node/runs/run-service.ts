import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Client } from 'ssh2';
import type { CoreMessageId } from '../../common/core-messages';
import type { CredentialInput } from '../../common/credentials';
import { coreError } from '../i18n/format-core-message';
import type { ClusterHost } from '../../common/cluster-plan';
import type { ProjectDocument } from '../../common/project';
import {
  RunRecordSchema,
  type RunChainCheck,
  type RunDigest,
  type RunInvocation,
  type RunOptions,
  type RunRecord,
} from '../../common/run';
import { hostKeyStoreFor } from '../access/access-handlers';
import { openKeySession } from '../deploy/key-session';
import { FileCoreLog, type CoreLog } from '../core-log';
import { remoteBundleDir, remoteKubesprayDir, remoteWheelsDir } from '../deploy/remote-layout';
import type { DeployKeyStore } from '../deploy/deploy-key-store';
import { connectWithKey, type KeySession } from '../deploy/deploy-operations';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { inventoryDigestOf, renderProjectInventory } from '../inventory/inventory-service';
import type { ProjectStore } from '../projects/project-store';
import { SshConnectionPool } from '../ssh/connection-pool';
import { execCommand } from '../ssh/ssh-connection';
import { quoteShellArg } from '../ssh/shell-quote';
import { DownloadGate, type CheckDownloads } from './download-gate';
import { LogJumpIndex, type LogJump } from './log-jump';
import { OutputFlow } from './output-flow';
import type { RunDigester } from './run-digester';
import { RunFollower } from './run-follower';
import { recordText, sealRun, verifyRunChain } from './run-chain';
import { listPlannedTasks, prepareAnsibleRuntime } from './ansible-runtime';
import { forksFor } from './ansible-forks';
import { removeNodesFromPlan } from './plan-after-run';
import {
  cancelRemoteRun,
  playbookCommand,
  startRemoteRun,
  type FollowHandle,
  type RemoteRunStatus,
} from './remote-run';

export interface RunListener {
  output(projectId: string, runId: string, offset: number, chunk: Buffer): void;
  /**
   * The log grew by `length` bytes at `offset` while a view was far behind: views read what they need (runs.log).
   * `complete`: the run ended and the whole log is in the local copy. Only where views acknowledge output (runs.ack).
   */
  grew?(projectId: string, runId: string, offset: number, length: number, complete?: true): void;
  updated(run: RunRecord): void;
  /** A run changed the project's plan (remove-node.yml dropped its node). */
  planChanged?(projectId: string): void;
}

export interface RunServiceOptions {
  dataDir: string;
  projects: ProjectStore;
  version: string;
  /** The same store the Deploy step's key bootstrap fills: runs log in with the project's deploy key. */
  keys: DeployKeyStore;
  listener?: RunListener;
  /**
   * After a run succeeded and is saved, with the login that followed it: cluster access fetches the kubeconfig then.
   */
  onSucceeded?: (run: RunRecord, session: KeySession) => Promise<void>;
  /**
   * Keeps the connection to a deploy node this long after a follow or cancel is done with it, for the next one
   * (a long-lived app or server). Without it each connection ends with its use (the CLI).
   */
  keepConnectionsMs?: number;
  /** Where failures the service goes on after are written; the data folder's airspray.log without one. */
  log?: CoreLog;
  /**
   * What kubespray would download for the run, checked against the bundle: a playbook that downloads starts only when
   * nothing is missing.
   */
  checkDownloads?: CheckDownloads;
}

/** What logs in to the deploy node: the profile's user and sudo password with the project's deploy key. */
export interface RunLogin {
  credential: CredentialInput;
  /** Unlocks a deploy key stored under a passphrase (browser mode, CLI). */
  keyPassphrase?: string;
}

/** The deploy node as a run reaches it: its plan name, the run user and that user's sudo password. */
export interface DeployNodePlace {
  host: string;
  user: string;
  sudoPassword: string;
}

export interface StartRunRequest extends RunLogin {
  projectId: string;
  options: RunOptions;
  /** Where kubespray lies on the deploy node; defaults to the pushed bundle's copy. */
  kubesprayDir?: string;
}

/** Who logs in where, with which key: connections are only ever lent to the same login. */
const loginOf = (projectId: string, address: string, session: KeySession) =>
  JSON.stringify([projectId, address, session.credential.user, session.key.fingerprint]);

const newRunId = () => `r-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** The profile's sudo password; a profile without one is refused with `missing`. */
function requiredSudoPassword(credential: { sudoPassword?: string | undefined }, missing: CoreMessageId): string {
  if (!credential.sudoPassword) throw coreError('invalid_params', missing, {}, 'credential.sudoPassword');
  return credential.sudoPassword;
}

/** The sudo password and kubespray folder a run needs, refused with the step that supplies each when missing. */
function runPlace(
  project: ProjectDocument,
  request: StartRunRequest,
): { sudoPassword: string; bundleId: string | undefined; kubesprayDir: string } {
  const sudoPassword = requiredSudoPassword(request.credential, 'run.sudo-password-missing');
  const bundleId = project.cluster.bundle?.bundleId;
  const kubesprayDir = request.kubesprayDir ?? (bundleId ? remoteKubesprayDir(bundleId) : undefined);
  if (!kubesprayDir) throw coreError('invalid_params', 'run.bundle-missing', {}, 'bundle');
  return { sudoPassword, bundleId, kubesprayDir };
}

/** The operator's forks, else the deploy node's size against the hosts with a role (the inventory's). */
function forksOf(project: ProjectDocument, deployNode: ClusterHost, options: RunOptions): number {
  const inventoryHosts = project.cluster.hosts.filter((host) => Object.values(host.roles).some(Boolean)).length;
  return options.forks ?? forksFor(deployNode.facts, inventoryHosts);
}

/** The playbook run with the operator's options; ansiblePlaybook is set once the runtime is ready on the node. */
function invocationOf(kubesprayDir: string, inventory: string, options: RunOptions, forks: number): RunInvocation {
  return {
    kubesprayDir,
    inventory,
    playbook: options.playbook,
    forks,
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.skipTags ? { skipTags: options.skipTags } : {}),
    ...(options.extraVars ? { extraVars: options.extraVars } : {}),
  };
}

/** A new run's record: who started what where, with which bundle and inventory; its command line comes later. */
function newRunRecord(
  project: ProjectDocument,
  request: StartRunRequest,
  address: string,
  inventoryDigest: string,
): RunRecord {
  return {
    id: newRunId(),
    projectId: project.id,
    cluster: project.name,
    playbook: request.options.playbook,
    commandLine: '',
    options: request.options,
    startedAt: new Date().toISOString(),
    startedBy: `${userInfo().username}@${hostname()} as ${request.credential.user}`,
    deployNode: address,
    ...(project.cluster.bundle?.manifestSha256 ? { bundleDigest: project.cluster.bundle.manifestSha256 } : {}),
    inventoryDigest,
    state: 'running',
    logBytes: 0,
    digest: { tasksStarted: 0, hosts: {}, failures: [] },
  };
}

/**
 * Runs kubespray playbooks on the project's deploy node and keeps the history: each run's record and full log live
 * under the project (`runs/<id>/`). A run outlives this process; attaching again picks the log up where the local
 * copy ends, so a restarted app or server shows the whole log and the final recap.
 */
export class RunService {
  private readonly following = new Map<string, { handle: FollowHandle; client: Client }>();
  private readonly connections: SshConnectionPool | undefined;
  /** Flow control of each run being followed or about to be (its views announce themselves as it is attached). */
  private readonly flows = new Map<string, OutputFlow>();
  /** The digester and record of each run followed now, for what arrives beside the log (the task estimate). */
  private readonly live = new Map<string, { digester: RunDigester; record: RunRecord }>();
  /** Jump scroll over each run's log file, kept as the file grows. */
  private readonly jumps = new Map<string, LogJumpIndex>();
  private saving = Promise.resolve();
  private readonly log: CoreLog;
  /** Who waits for each run's end (an upgrade's next step). */
  private readonly endings = new Map<string, ((run: RunRecord) => void)[]>();

  constructor(private readonly options: RunServiceOptions) {
    this.log = options.log ?? new FileCoreLog(options.dataDir);
    this.connections = options.keepConnectionsMs ? new SshConnectionPool(options.keepConnectionsMs) : undefined;
  }

  private runsFolder(projectId: string): string {
    return join(this.options.projects.projectFolder(projectId), 'runs');
  }

  private runFolder(projectId: string, runId: string): string {
    return join(this.runsFolder(projectId), runId);
  }

  async list(projectId: string): Promise<RunRecord[]> {
    const folder = this.runsFolder(projectId);
    // Each run has its folder; chain.json beside them is the chain's head.
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    // A damaged record is left out of the history (it stays on disk); the log says which and why.
    const runs = await Promise.all(
      names.map((name) =>
        this.read(projectId, name).catch(
          (error: unknown) => void this.log.failed(`Reading run ${name} of project ${projectId}`, error),
        ),
      ),
    );
    return runs
      .filter((run): run is RunRecord => run !== undefined)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async read(projectId: string, runId: string): Promise<RunRecord> {
    try {
      return RunRecordSchema.parse(
        JSON.parse(await readFile(join(this.runFolder(projectId, runId), 'run.json'), 'utf8')),
      );
    } catch {
      throw coreError('not_found', 'run.not-found', { runId }, 'runId');
    }
  }

  /** The local copy of the run's log, start to end, as a stream (empty when the run wrote none). */
  async logStream(projectId: string, runId: string): Promise<Readable> {
    const file = await open(join(this.runFolder(projectId, runId), 'log')).catch(() => undefined);
    return file ? file.createReadStream() : Readable.from([]);
  }

  /**
   * Up to `maxBytes` of the log from `from`. With `keepLines` (what the view's terminal keeps), lines that would
   * scroll out of it unseen are left out: `data` is the log up to `skip.at`, then from `skip.to` on.
   */
  async readLog(
    projectId: string,
    runId: string,
    from = 0,
    maxBytes = 8 * 1024 * 1024,
    keepLines?: number,
  ): Promise<{ offset: number; data: Buffer; logBytes: number; skip?: LogJump }> {
    // Only the range asked for: a view replays a long log chunk by chunk, and the log only grows.
    const file = await open(join(this.runFolder(projectId, runId), 'log')).catch(() => undefined);
    if (!file) return { offset: from, data: Buffer.alloc(0), logBytes: 0 };
    try {
      const { size } = await file.stat();
      const readRange = async (start: number, length: number) => {
        const data = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
        const { bytesRead } = await file.read(data, 0, data.length, start);
        return data.subarray(0, bytesRead);
      };
      const skip = keepLines ? await this.jumpIndex(runId).plan(file, size, from, keepLines) : undefined;
      if (!skip) return { offset: from, data: await readRange(from, maxBytes), logBytes: size };
      const head = await readRange(from, skip.at - from);
      const data = Buffer.concat([head, await readRange(skip.to, maxBytes - head.length)]);
      return { offset: from, data, logBytes: size, skip };
    } finally {
      await file.close();
    }
  }

  private jumpIndex(runId: string): LogJumpIndex {
    const index = this.jumps.get(runId) ?? new LogJumpIndex();
    this.jumps.set(runId, index);
    return index;
  }

  /** Saves in call order, so a late running-state save cannot overwrite the finished record. */
  private save(run: RunRecord): Promise<void> {
    const text = recordText(run);
    return this.inOrder(() => writeFileAtomic(join(this.runFolder(run.projectId, run.id), 'run.json'), text));
  }

  /** Saves an ended run sealed into the project's chain of run records (see run-chain.ts). */
  private saveSealed(run: RunRecord): Promise<RunRecord> {
    return this.inOrder(() => sealRun(this.runsFolder(run.projectId), run));
  }

  /** Runs record writes one after another: seals read the records the writes before them wrote. */
  private inOrder<T>(write: () => Promise<T>): Promise<T> {
    const written = this.saving.then(write);
    // The caller of a failed write has its error; the queue only orders the writes, so the next one still runs.
    this.saving = written.then(
      () => undefined,
      () => undefined,
    );
    return written;
  }

  /** Whether any sealed run record or log of the project was changed since it was sealed. */
  verifyRecords(projectId: string): Promise<RunChainCheck> {
    return verifyRunChain(this.runsFolder(projectId));
  }

  private deployNodeOf(project: ProjectDocument): ClusterHost {
    const node = project.cluster.hosts.find((host) => host.name === project.cluster.deployNode);
    if (!node) throw coreError('invalid_params', 'run.deploy-node-missing', { project: project.name }, 'deployNode');
    return node;
  }

  /**
   * The deploy key is required: Ansible on the deploy node logs in to every host with it, so without it a run could
   * not reach them (a password fallback would only fail later, host by host).
   */
  private keySession(projectId: string, login: RunLogin): Promise<KeySession> {
    return openKeySession(this.options.keys, this.options.dataDir, projectId, login.credential, login.keyPassphrase);
  }

  private async connect(
    projectId: string,
    address: string,
    login: RunLogin,
  ): Promise<{ client: Client; session: KeySession }> {
    const session = await this.keySession(projectId, login);
    const connect = () => connectWithKey({ name: address, address }, session);
    return {
      client: this.connections
        ? await this.connections.acquire(loginOf(projectId, address, session), connect)
        : await connect(),
      session,
    };
  }

  /** A connection from connect() is done with: kept for the next use when connections are kept, else ended. */
  private hangUp(projectId: string, address: string, session: KeySession, client: Client): void {
    if (this.connections) this.connections.release(loginOf(projectId, address, session), client);
    else client.end();
  }

  /**
   * Lends `use` a connection to the project's deploy node, logged in as its runs are, with the login's sudo password:
   * for what a run needs there before it starts (a recovery's etcd snapshot).
   */
  async onDeployNode<T>(
    projectId: string,
    login: RunLogin,
    use: (client: Client, place: DeployNodePlace) => Promise<T>,
  ): Promise<T> {
    const { name, address } = this.deployNodeOf(await this.options.projects.open(projectId));
    const sudoPassword = requiredSudoPassword(login.credential, 'run.sudo-password-missing');
    const { client, session } = await this.connect(projectId, address, login);
    try {
      return await use(client, { host: name, user: login.credential.user, sudoPassword });
    } finally {
      this.hangUp(projectId, address, session, client);
    }
  }

  async start(request: StartRunRequest): Promise<RunRecord> {
    const project = await this.options.projects.open(request.projectId);
    const deployNode = this.deployNodeOf(project);
    const { address } = deployNode;
    const { sudoPassword, bundleId, kubesprayDir } = runPlace(project, request);
    const files = renderProjectInventory(project, this.options.version, request.options.recoverGroups);
    const inventoryDir = `inventory/${project.name}`;
    const forks = forksOf(project, deployNode, request.options);
    const invocation = invocationOf(kubesprayDir, `${inventoryDir}/hosts.yaml`, request.options, forks);
    const passedFile = join(this.options.projects.projectFolder(project.id), 'downloads-passed.json');
    const gate = new DownloadGate(this.options.checkDownloads, project, request.options, passedFile);
    const { client, session } = await gate.passHere(this.connect(project.id, address, request));
    const run = newRunRecord(project, request, address, inventoryDigestOf(files));
    try {
      if (bundleId)
        invocation.ansiblePlaybook = await this.prepareOnNode(client, gate, request, {
          bundleId,
          kubesprayDir,
          sudoPassword,
        });
      run.commandLine = playbookCommand(invocation, '<become password file>');
      run.invocation = invocation;
      await this.uploadInventory(
        client,
        `${kubesprayDir}/${inventoryDir}`,
        files,
        request.credential.user,
        sudoPassword,
      );
      await mkdir(this.runFolder(project.id, run.id), { recursive: true });
      await this.save(run);
      const knownHosts = await hostKeyStoreFor(this.options.dataDir, project.id).ownKnownHosts();
      const { privateKey, passphrase } = session.key.credential;
      await startRemoteRun(client, {
        runId: run.id,
        cluster: project.name,
        user: request.credential.user,
        sudoPassword,
        key: { privateKey, publicKey: session.key.publicKey, ...(passphrase ? { passphrase } : {}) },
        invocation,
        knownHosts,
      });
    } catch (error) {
      client.end();
      throw error;
    }
    this.follow(run, client, session);
    this.options.listener?.updated(run);
    void this.estimateTasks(run.id, client, invocation);
    return run;
  }

  /**
   * The bundle's Ansible runtime on the deploy node, then the download gate's check there (what the playbook will
   * download against what the bundle holds): the runtime's ansible-playbook.
   */
  private async prepareOnNode(
    client: Client,
    gate: DownloadGate,
    request: StartRunRequest,
    { bundleId, kubesprayDir, sudoPassword }: { bundleId: string; kubesprayDir: string; sudoPassword: string },
  ): Promise<string[]> {
    const runtime = await prepareAnsibleRuntime(client, {
      wheelsDir: remoteWheelsDir(bundleId),
      runtimeId: bundleId,
      user: request.credential.user,
      sudoPassword,
    });
    const unchecked = await gate.passOnNode({
      client,
      kubesprayDir,
      bundleDir: remoteBundleDir(bundleId),
      ansiblePlaybook: runtime.ansiblePlaybook,
    });
    if (unchecked) this.log.failed(`Checking what ${request.options.playbook} will download`, new Error(unchecked));
    return runtime.ansiblePlaybook;
  }

  /** Lists the run's tasks beside it (same inventory, limit, tags, variables) for the progress estimate. */
  private async estimateTasks(runId: string, client: Client, invocation: RunInvocation): Promise<void> {
    // Without the list the run goes on with no progress estimate.
    const planned = await listPlannedTasks(client, invocation).catch(
      (error: unknown) => void this.log.failed(`Listing the planned tasks of run ${runId}`, error),
    );
    const followed = this.live.get(runId);
    if (planned === undefined || !followed) return;
    followed.digester.plan(planned);
    followed.record.digest = followed.digester.snapshot();
    // Saved now, so a run attached again after a restart keeps its estimate.
    await this.save({ ...followed.record });
    this.options.listener?.updated({ ...followed.record });
  }

  /** Writes the inventory files where the run reads them, as the login user; the password goes to sudo on stdin. */
  private async uploadInventory(
    client: Client,
    folder: string,
    files: readonly { path: string; content: string }[],
    user: string,
    sudoPassword: string,
  ): Promise<void> {
    // The plan's group_vars replace the last run's: a file the plan no longer renders (extra.yml once the expert
    // variables are emptied) would otherwise still reach Ansible.
    const clearVariables = `rm -rf ${quoteShellArg(`${folder}/group_vars`)} && `;
    for (const [index, file] of files.entries()) {
      const target = `${folder}/${file.path}`;
      const script = `${index === 0 ? clearVariables : ''}mkdir -p "$(dirname ${quoteShellArg(target)})" && cat > ${quoteShellArg(target)} && chown -R ${quoteShellArg(user)} ${quoteShellArg(folder)}`;
      const result = await execCommand(
        client,
        `sudo -k -S -p '' sh -c ${quoteShellArg(script)}`,
        `${sudoPassword}\n${file.content}`,
      );
      if (result.code !== 0) throw coreError('conflict', 'run.write-failed', { target, detail: result.stderr.trim() });
    }
  }

  /** Follows a running run again (after a restart or a lost link), from where the local log ends. */
  async attach(projectId: string, runId: string, login: RunLogin): Promise<RunRecord> {
    const run = await this.read(projectId, runId);
    // `live` holds a run from the moment its follow starts, before its stream is open: no second follow meanwhile.
    if (run.state !== 'running' || this.following.has(runId) || this.live.has(runId)) return run;
    const { client, session } = await this.connect(projectId, run.deployNode, login);
    this.follow(run, client, session);
    // The server that started it stopped before its task estimate came back: ask again.
    if (run.digest.tasksPlanned === undefined && run.invocation)
      void this.estimateTasks(run.id, client, run.invocation);
    return run;
  }

  /**
   * The run's record once it ended: at once for one that has, else when its follow here sees the end; `lost` when the
   * follow here stopped first (the run may go on on the node: attach again).
   */
  async whenEnded(projectId: string, runId: string): Promise<RunRecord> {
    // Waiting first, then reading: an end between the two is not missed.
    const ended = new Promise<RunRecord>((resolve) =>
      this.endings.set(runId, [...(this.endings.get(runId) ?? []), resolve]),
    );
    const run = await this.read(projectId, runId);
    if (run.state !== 'running') {
      this.endings.delete(runId);
      return run;
    }
    return ended;
  }

  async cancel(projectId: string, runId: string, login: RunLogin): Promise<boolean> {
    const run = await this.read(projectId, runId);
    if (run.state !== 'running') return false;
    const sudoPassword = requiredSudoPassword(login.credential, 'run.cancel-needs-sudo-password');
    const followed = this.following.get(runId)?.client;
    if (followed) return cancelRemoteRun(followed, runId, sudoPassword);
    const { client, session } = await this.connect(projectId, run.deployNode, login);
    try {
      return await cancelRemoteRun(client, runId, sudoPassword);
    } finally {
      this.hangUp(projectId, run.deployNode, session, client);
    }
  }

  /**
   * A view has shown a running run's log up to `shownBytes` and reads it up to `toldBytes` from the local copy (flow
   * control); says whether the run's stream waits for views.
   */
  async acknowledgeOutput(
    projectId: string,
    runId: string,
    viewId: string,
    shownBytes: number,
    toldBytes?: number,
  ): Promise<{ paused: boolean }> {
    let flow = this.flows.get(runId);
    if (!flow) {
      if ((await this.read(projectId, runId)).state !== 'running') return { paused: false };
      flow = this.flowOf(runId);
    }
    return { paused: flow.acknowledge(viewId, shownBytes, toldBytes) };
  }

  /** The run's flow control, made when a view or the follow first needs it. */
  private flowOf(runId: string): OutputFlow {
    const flow = this.flows.get(runId) ?? new OutputFlow();
    this.flows.set(runId, flow);
    return flow;
  }

  /** Stops following every run; the runs go on on their deploy nodes. */
  detachAll(): void {
    for (const { handle, client } of this.following.values()) {
      handle.detach();
      client.end();
    }
    this.following.clear();
    this.live.clear();
    this.connections?.close();
  }

  private follow(run: RunRecord, client: Client, session: KeySession): void {
    const follower = new RunFollower(run, join(this.runFolder(run.projectId, run.id), 'log'), {
      listener: this.options.listener,
      jumps: this.jumpIndex(run.id),
      flow: () => this.flowOf(run.id),
      following: (handle) => this.following.set(run.id, { handle, client }),
    });
    this.live.set(run.id, { digester: follower.digester, record: follower.current });
    void this.followToEnd(follower, run, client, session).catch((error: unknown) => {
      this.log.failed(`Following run ${run.id} of project ${run.projectId}`, error);
      follower.abandon();
      this.following.delete(run.id);
      this.live.delete(run.id);
      // Who waits for its end hears that it is no longer followed here (it may go on on the node).
      this.ended({ ...follower.current, state: 'lost' });
    });
  }

  /** Follows the run until it ends or the follow is detached; a run that ended is finished and saved. */
  private async followToEnd(follower: RunFollower, run: RunRecord, client: Client, session: KeySession): Promise<void> {
    const status = await follower.follow(client);
    this.flows.delete(run.id);
    this.following.delete(run.id);
    this.live.delete(run.id);
    this.hangUp(run.projectId, run.deployNode, session, client);
    if (!status) {
      this.ended({ ...follower.current, state: 'lost' });
      return follower.digester.close();
    }
    const finished = await this.finish(follower.current, await follower.finalDigest(), status);
    if (finished.state === 'succeeded')
      await this.options
        .onSucceeded?.(finished, session)
        .catch((error: unknown) => this.log.failed(`After run ${run.id} succeeded`, error));
  }

  private async finish(run: RunRecord, digest: RunDigest, status: RemoteRunStatus): Promise<RunRecord> {
    const ended: RunRecord = {
      ...run,
      digest,
      exitCode: status.exitCode,
      finishedAt: status.finishedAt,
      logBytes:
        (await stat(join(this.runFolder(run.projectId, run.id), 'log')).catch(() => undefined))?.size ?? run.logBytes,
      state: status.cancelled
        ? 'cancelled'
        : status.exitCode === 75
          ? 'refused'
          : status.exitCode === 0
            ? 'succeeded'
            : 'failed',
    };
    const finished = await this.saveSealed(ended);
    // Before the UI hears of the end, so what it reloads then is already changed.
    if (finished.state === 'succeeded')
      await this.afterSuccess(finished).catch((error: unknown) =>
        this.log.failed(`Updating the plan after run ${run.id}`, error),
      );
    this.options.listener?.updated(finished);
    this.ended(finished);
    return finished;
  }

  /** Answers whoever waits for the run's end (whenEnded) with `run`. */
  private ended(run: RunRecord): void {
    for (const resolve of this.endings.get(run.id) ?? []) resolve(run);
    this.endings.delete(run.id);
  }

  /** What a successful run changes on the laptop's side. */
  private async afterSuccess(run: RunRecord): Promise<void> {
    if (run.playbook === 'remove-node.yml' && (await removeNodesFromPlan(this.options.projects, run)).length > 0)
      this.options.listener?.planChanged?.(run.projectId);
  }
}
