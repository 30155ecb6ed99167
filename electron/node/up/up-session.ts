import { dirname, join, resolve } from 'node:path';
import type { CredentialInput } from '../../common/credentials';
import type { PushProgress } from '../../common/deploy-api';
import type { ProjectDocument } from '../../common/project';
import type { RunOptions, RunRecord } from '../../common/run';
import type { BundleLocation } from '../bundles/find-bundles';
import type { ClusterAccessService } from '../cluster/cluster-access';
import { resolveDeployContext, type DeployContext } from '../deploy/deploy-context';
import type { DeployKeyStore } from '../deploy/deploy-key-store';
import { pushJournalFileName, type KeySession } from '../deploy/deploy-operations';
import { openKeySession } from '../deploy/key-session';
import type { PlanApplyContext } from '../plan-file/apply-plan-file';
import { readPlanFile, type ParsedPlanFile } from '../plan-file/parse-plan-file';
import type { ProjectStore } from '../projects/project-store';
import type { RunService } from '../runs/run-service';
import { createServices, type AirsprayServices } from '../services';
import type { HostKeyStore } from '../ssh/host-key-store';
import { credentialFromReference } from './up-login';

export interface UpOptions {
  planFile: string;
  dataDir: string;
  bundleLocations: readonly BundleLocation[];
  env: NodeJS.ProcessEnv;
  version: string;
  /** Apply to this project instead of the file's `project`. */
  project?: string;
  /** Record host keys never seen before (a changed key is refused regardless). */
  acceptNew: boolean;
  /** Go on past failed pre-flight checks, as ticking the hosts on the Access step does. */
  despiteChecks: boolean;
  /** cluster.yml's options (extra variables). */
  run: RunOptions;
  /** The deploy key's passphrase (the command line keeps the key encrypted under it); throws naming the variable. */
  deployKeyPassphrase: () => string;
  /** Progress within a stage, for the operator (stderr). */
  note: (line: string) => void;
  onPushProgress?: (progress: PushProgress) => void;
  /** The run's terminal output as it arrives (--follow). */
  onRunOutput?: (chunk: Buffer) => void;
}

/** What the stages share: the plan file, the project it became, the login it references and the services on them. */
export class UpSession {
  readonly projects: ProjectStore;
  readonly keys: DeployKeyStore;
  readonly runs: RunService;
  readonly cluster: ClusterAccessService;
  private parsed: ParsedPlanFile | undefined;
  private projectId: string | undefined;
  private login: CredentialInput | undefined;
  private readonly runEnds = new Map<string, (run: RunRecord) => void>();

  private readonly services: AirsprayServices;

  constructor(readonly options: UpOptions) {
    this.services = createServices({
      dataDir: options.dataDir,
      bundleLocations: options.bundleLocations,
      version: options.version,
    });
    this.projects = this.services.projects;
    this.keys = this.services.keys;
    this.cluster = this.services.cluster();
    this.runs = this.services.runs({
      listener: {
        output: (_projectId, _runId, _offset, chunk) => options.onRunOutput?.(chunk),
        updated: (run) => run.state !== 'running' && this.runEnds.get(run.id)?.(run),
      },
    });
  }

  async plan(): Promise<ParsedPlanFile> {
    this.parsed ??= await readPlanFile(resolve(this.options.planFile), this.options.planFile);
    return this.parsed;
  }

  get applyContext(): PlanApplyContext {
    return { projects: this.projects, dataDir: this.options.dataDir, bundleLocations: this.options.bundleLocations };
  }

  /** Set by the apply stage: the project the file was applied to. */
  useProject(id: string): void {
    this.projectId = id;
  }

  /** The project as stored now (each stage reads it afresh: an earlier stage may have saved it). */
  project(): Promise<ProjectDocument> {
    if (!this.projectId) throw new Error('the apply stage runs first');
    return this.projects.open(this.projectId);
  }

  hostKeys(project: ProjectDocument): HostKeyStore {
    return this.services.hostKeys(project.id);
  }

  async credential(): Promise<CredentialInput> {
    this.login ??= await credentialFromReference(
      (await this.plan()).plan.login,
      this.options.env,
      dirname(resolve(this.options.planFile)),
    );
    return this.login;
  }

  async keySession(project: ProjectDocument): Promise<KeySession> {
    return openKeySession(
      this.keys,
      this.options.dataDir,
      project.id,
      await this.credential(),
      this.options.deployKeyPassphrase(),
    );
  }

  deployContext(project: ProjectDocument): Promise<DeployContext> {
    return resolveDeployContext(project, {
      dataDir: this.options.dataDir,
      bundleLocations: this.options.bundleLocations,
    });
  }

  journalPath(project: ProjectDocument): string {
    return join(this.projects.projectFolder(project.id), pushJournalFileName);
  }

  /** Resolves once the run is seen ending (its record saved); the follow must be this process's. */
  runEnded(runId: string): Promise<RunRecord> {
    return new Promise((resolve) => this.runEnds.set(runId, resolve));
  }
}
