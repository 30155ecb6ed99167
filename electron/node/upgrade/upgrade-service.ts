import { join } from 'node:path';
import type { CredentialInput } from '../../common/credentials';
import type { ProjectDocument } from '../../common/project';
import {
  UpgradeRecordSchema,
  decideUpgrade,
  type UpgradeChoice,
  type UpgradeOptions,
  type UpgradeRecord,
  type UpgradeRequest,
} from '../../common/upgrade';
import { findBundles, type BundleLocation } from '../bundles/find-bundles';
import type { CoreLog } from '../core-log';
import { resolveDeployContext } from '../deploy/deploy-context';
import type { DeployKeyStore } from '../deploy/deploy-key-store';
import { pushJournalFileName, pushProjectBundle, startProjectServices } from '../deploy/deploy-operations';
import { openKeySession } from '../deploy/key-session';
import { backUpEtcd } from '../etcd/etcd-backups';
import { chosenBundleById } from '../projects/choose-bundle';
import type { ProjectStore } from '../projects/project-store';
import { ProcedureRecords, tellRecord } from '../runs/procedure-record';
import type { RunLogin, RunService } from '../runs/run-service';
import { advanceUpgrade, type UpgradeWork } from './advance-upgrade';
import { currentVersions, nodeSteps, presetSteps } from './upgrade-steps';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';

export interface UpgradeServiceOptions {
  dataDir: string;
  projects: ProjectStore;
  bundleLocations: readonly BundleLocation[];
  keys: DeployKeyStore;
  runs: RunService;
  log: CoreLog;
  /** Each saved change of an upgrade (the API's upgrade.updated). */
  onUpdated?: (record: UpgradeRecord) => void;
  /** The plan was switched to the new bundle (the UI reloads it). */
  onPlanChanged?: (projectId: string) => void;
}

/** What the upgrade is asked for, without the vault's credential id: the login itself. */
export type UpgradeCall = Omit<UpgradeRequest, 'credentialId' | 'keyPassphrase'> & {
  credential: CredentialInput;
  keyPassphrase?: string | undefined;
};

/** The project's folder keeps its last upgrade here. */
export const upgradeFileName = 'upgrade.json';

const unfinished = (record: UpgradeRecord | null): record is UpgradeRecord =>
  record !== null && record.state !== 'succeeded';

/**
 * Upgrades from the project's bundle to another one on the stick, or runs a partial-upgrade preset, and keeps where
 * it stands in the project's folder so a stopped or paused upgrade goes on with the same call.
 */
export class UpgradeService {
  private readonly records: ProcedureRecords<UpgradeRecord>;

  constructor(private readonly options: UpgradeServiceOptions) {
    this.records = new ProcedureRecords(options, upgradeFileName, UpgradeRecordSchema);
  }

  /** The project's versions, and every other readable bundle found: allowed (with its target) or why not. */
  async upgradeOptions(projectId: string): Promise<UpgradeOptions> {
    const project = await this.options.projects.open(projectId);
    const last = interrupted(await this.records.last(projectId), this.records.isAdvancing(projectId));
    const current = project.cluster.bundle ? currentVersions(project)! : null;
    const { bundles } = await findBundles(this.options.bundleLocations);
    const choices = bundles.flatMap((bundle): UpgradeChoice[] => {
      if (!current || bundle.manifest.state !== 'readable') return [];
      const { header } = bundle.manifest;
      if (header.bundleId === current.bundleId) return [];
      const decision = decideUpgrade(current, {
        bundleId: header.bundleId,
        kubesprayVersion: header.kubespray.version,
        kubernetesVersions: header.kubernetesVersions,
      });
      if (decision.allowed) return [decision];
      const { id, params } = decision.reason;
      return [
        {
          allowed: false,
          bundleId: header.bundleId,
          reason: formatCoreMessage(id, params),
          reasonMessage: decision.reason,
        },
      ];
    });
    return { current, choices, last };
  }

  /**
   * Checks the request and answers with the upgrade's record at once; `advancing` takes it to its end, a pause or a
   * stop. The request of an unfinished upgrade goes on with it; another request is refused while one is half done.
   */
  async begin(call: UpgradeCall): Promise<{ record: UpgradeRecord; advancing: Promise<UpgradeRecord> }> {
    const { projectId } = call;
    this.records.refuseIfAdvancing(projectId, 'upgrade.running');
    const project = await this.options.projects.open(projectId);
    const last = await this.records.last(projectId);
    const record = unfinished(last) && sameUpgrade(last, call, project) ? last : await this.newRecord(project, call);
    if (unfinished(last) && record !== last && last.steps.some((step) => step.state === 'succeeded'))
      throw coreError(
        'conflict',
        'upgrade.half-done',
        { bundle: last.to.bundleId, version: last.to.kubernetesVersion, detail: last.message ?? '' },
        'bundleId',
      );
    record.pauseBetweenNodes = call.pauseBetweenNodes ?? false;
    const login: RunLogin = {
      credential: call.credential,
      ...(call.keyPassphrase ? { keyPassphrase: call.keyPassphrase } : {}),
    };
    const work = this.workFor(project, login);
    return this.records.advance(projectId, record, (record) => advanceUpgrade(record, work));
  }

  private async newRecord(project: ProjectDocument, call: UpgradeCall): Promise<UpgradeRecord> {
    const from = currentVersions(project);
    if (!from) throw coreError('invalid_params', 'upgrade.no-bundle', {}, 'bundle');
    let to = from;
    if (call.bundleId !== undefined) {
      const candidate = await chosenBundleById(this.options.bundleLocations, call.bundleId);
      const decision = decideUpgrade(from, candidate, call.kubernetesVersion);
      if (!decision.allowed) throw coreError('conflict', decision.reason.id, decision.reason.params, 'bundleId');
      to = decision.to;
    } else if (!call.preset) throw coreError('invalid_params', 'upgrade.target-missing', {}, 'bundleId');
    return {
      id: `u-${Date.now().toString(36)}`,
      projectId: project.id,
      from,
      to,
      ...(call.preset ? { preset: call.preset } : {}),
      pauseBetweenNodes: call.pauseBetweenNodes ?? false,
      startedAt: new Date().toISOString(),
      done: [],
      steps: call.preset
        ? presetSteps(call.preset, to.kubernetesVersion)
        : nodeSteps(project.cluster.hosts, to.kubernetesVersion),
      state: 'running',
    };
  }

  /** The real work: the etcd core, the deploy push and services, the project store and the run service. */
  private workFor(project: ProjectDocument, login: RunLogin): UpgradeWork {
    const { dataDir, projects, bundleLocations, keys, runs } = this.options;
    const folder = projects.projectFolder(project.id);
    const session = () => openKeySession(keys, dataDir, project.id, login.credential, login.keyPassphrase);
    const context = (bundleId: string) => resolveDeployContext(project, { dataDir, bundleLocations, bundleId });
    return {
      snapshot: async () => {
        const { backup } = await backUpEtcd(project, folder, await session());
        return { file: backup.file, sha256: backup.sha256 };
      },
      push: async (bundleId) => {
        await pushProjectBundle(await context(bundleId), await session(), {
          journalPath: join(folder, pushJournalFileName),
          log: this.options.log,
        });
      },
      serve: async (bundleId) => {
        const started = await startProjectServices(await context(bundleId), await session());
        const failed = started.reports.flatMap((report) =>
          report.checks.filter((check) => !check.ok).map((check) => `${report.from}: ${check.name} ${check.detail}`),
        );
        if (!started.ok) throw coreError('conflict', 'upgrade.services-unhealthy', { detail: failed.join('; ') });
      },
      switchBundle: async (to) => {
        const bundle = await chosenBundleById(bundleLocations, to.bundleId);
        const latest = await projects.open(project.id);
        await projects.update(project.id, latest.revision, (stored) => ({
          ...stored,
          cluster: {
            ...stored.cluster,
            bundle,
            settings: { ...stored.cluster.settings, kubernetesVersion: to.kubernetesVersion },
          },
        }));
        this.options.onPlanChanged?.(project.id);
      },
      start: (options) => runs.start({ projectId: project.id, ...login, options }),
      ended: async (runId) => {
        await runs.attach(project.id, runId, login);
        return runs.whenEnded(project.id, runId);
      },
      save: (record) => this.records.save(project.id, record),
    };
  }
}

/** A record left `running` by a process that stopped reads as stopped, with how to go on. */
function interrupted(record: UpgradeRecord | null, advancingHere: boolean): UpgradeRecord | null {
  if (record?.state !== 'running' || advancingHere) return record;
  const stopped: UpgradeRecord = { ...record, state: 'stopped' };
  tellRecord(stopped, { id: 'upgrade.interrupted', params: {} });
  return stopped;
}

/** Whether the call asks for the same upgrade as `last` (the same target bundle and preset): then it goes on. */
function sameUpgrade(last: UpgradeRecord, call: UpgradeCall, project: ProjectDocument): boolean {
  const target = call.bundleId ?? project.cluster.bundle?.bundleId;
  return last.to.bundleId === target && last.preset === call.preset;
}
