import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFirstIssue, parseOrRefuse } from '../../common/describe-issue';
import { emptyClusterPlan } from '../../common/cluster-plan';
import { joinValues } from '../../common/core-messages';
import type { AirsprayError } from '../../common/errors';
import {
  ClusterNameSchema,
  ProjectDocumentSchema,
  ProjectIdSchema,
  currentProjectSchemaVersion,
  type ProjectDocument,
  type ProjectSummary,
} from '../../common/project';
import type { WizardStepId } from '../../common/wizard';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { migrateProjectDocument } from './project-migrations';
import { coreError } from '../i18n/format-core-message';

const projectFileName = 'project.json';

/** Names are checked here too, not only at the API's edge: the command line creates and renames through the store. */
function clusterName(name: string): string {
  return parseOrRefuse(ClusterNameSchema, name, (problem) =>
    coreError('invalid_params', 'project.name-invalid', { name, problem }, 'name'),
  );
}

/** Projects live one folder each under `<dataDir>/projects/<id>/`, so later runs and kubeconfigs sit beside them. */
export class ProjectStore {
  private readonly root: string;
  /** Saves of one project run one after another, so revisions never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.root = join(dataDir, 'projects');
  }

  async list(): Promise<ProjectSummary[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const summaries: ProjectSummary[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !ProjectIdSchema.safeParse(entry.name).success) continue;
      // An unreadable project is left on disk untouched and simply not listed; open() reports why.
      const project = await this.open(entry.name).catch(() => undefined);
      if (project) summaries.push({ id: project.id, name: project.name, updatedAt: project.updatedAt });
    }
    return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.name.localeCompare(b.name));
  }

  /** The CLI addresses projects by cluster name. */
  async findByName(name: string): Promise<ProjectDocument> {
    const match = (await this.list()).find((project) => project.name === name);
    if (!match) {
      const known = (await this.list()).map((project) => project.name);
      throw coreError(
        'not_found',
        'project.name-not-found',
        { name, knownCount: known.length, known: joinValues(known) },
        'project',
      );
    }
    return this.open(match.id);
  }

  /** The project's own folder, where files that belong beside project.json (such as the last export) live. */
  projectFolder(id: string): string {
    return this.folderOf(id);
  }

  async create(requested: string): Promise<ProjectDocument> {
    const name = clusterName(requested);
    const existing = await this.list();
    if (existing.some((project) => project.name === name)) {
      throw coreError('conflict', 'project.name-taken', { name }, 'name');
    }
    const stamp = this.now().toISOString();
    const project: ProjectDocument = {
      schemaVersion: currentProjectSchemaVersion,
      id: randomUUID(),
      name,
      createdAt: stamp,
      updatedAt: stamp,
      revision: 0,
      wizard: { step: 'bundle' },
      cluster: emptyClusterPlan(name),
    };
    await mkdir(this.folderOf(project.id), { recursive: true });
    await this.write(project);
    return project;
  }

  async open(id: string): Promise<ProjectDocument> {
    const path = this.fileOf(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw coreError('not_found', 'project.id-not-found', { id }, 'id');
      }
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw coreError('bad_request', 'project.file-not-json', { path });
    }
    const parsed = ProjectDocumentSchema.safeParse(migrateProjectDocument(raw));
    if (!parsed.success) {
      const problem = describeFirstIssue(parsed.error);
      throw coreError('bad_request', 'project.file-invalid', { path, problem: problem.text }, problem.field);
    }
    return parsed.data;
  }

  /** Applies `change` to the stored project if the caller saw its latest revision. */
  update(
    id: string,
    expectedRevision: number,
    change: (project: ProjectDocument) => ProjectDocument,
  ): Promise<ProjectDocument> {
    return this.serialize(id, async () => {
      const current = await this.open(id);
      if (current.revision !== expectedRevision) {
        throw this.staleRevision(current, expectedRevision);
      }
      const next = ProjectDocumentSchema.parse({
        ...change(current),
        id: current.id,
        revision: current.revision + 1,
        updatedAt: this.now().toISOString(),
      });
      await this.write(next);
      return next;
    });
  }

  /** A new cluster name; the plan's cluster_name follows when it was still the project's name. */
  async rename(id: string, name: string, expectedRevision: number): Promise<ProjectDocument> {
    const checked = clusterName(name);
    if ((await this.list()).some((project) => project.name === checked && project.id !== id)) {
      throw coreError('conflict', 'project.rename-taken', { name: checked }, 'name');
    }
    return this.update(id, expectedRevision, (project) => {
      const settings = project.cluster.settings;
      const followed = settings.clusterName === project.name ? checked : settings.clusterName;
      return {
        ...project,
        name: checked,
        cluster: { ...project.cluster, settings: { ...settings, clusterName: followed } },
      };
    });
  }

  /**
   * Removes the project's folder with everything beside project.json (runs, keys, kubeconfig), if no one saved since.
   */
  delete(id: string, expectedRevision: number): Promise<void> {
    return this.serialize(id, async () => {
      const current = await this.open(id);
      if (current.revision !== expectedRevision) throw this.staleRevision(current, expectedRevision);
      await rm(this.folderOf(id), { recursive: true, force: true });
    });
  }

  setStep(id: string, step: WizardStepId, expectedRevision: number): Promise<ProjectDocument> {
    return this.update(id, expectedRevision, (project) => ({ ...project, wizard: { ...project.wizard, step } }));
  }

  private staleRevision(current: ProjectDocument, expectedRevision: number): AirsprayError {
    return coreError(
      'stale_revision',
      'project.stale-revision',
      { project: current.name, revision: current.revision, expected: expectedRevision },
      'revision',
    );
  }

  private async write(project: ProjectDocument): Promise<void> {
    await writeFileAtomic(this.fileOf(project.id), `${JSON.stringify(project, null, 2)}\n`);
  }

  private serialize<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    // The previous work's caller has its error; this work runs after it either way.
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(id, next);
    void next
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  private folderOf(id: string): string {
    return join(this.root, ProjectIdSchema.parse(id));
  }

  private fileOf(id: string): string {
    return join(this.folderOf(id), projectFileName);
  }
}
