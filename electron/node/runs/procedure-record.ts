import { join } from 'node:path';
import type { z } from 'zod';
import type { CoreMessage, CoreMessageId } from '../../common/core-messages';
import { readJsonIfPresent } from '../fs/read-json-if-present';
import type { CoreLog } from '../core-log';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';
import type { ProjectStore } from '../projects/project-store';

/** Where a procedure of several runs (a node change, an upgrade) stands, and why it stopped or paused. */
export interface ProcedureRecord {
  state: 'running' | 'paused' | 'stopped' | 'succeeded';
  message?: string | undefined;
  /** `message` by id, for the window's language. */
  i18n?: CoreMessage | undefined;
}

/** What keeps the record as it changes. */
export interface SavesRecord<R> {
  save(record: R): Promise<void>;
}

/** An attempt begins: running again, the last stop's message gone; what is done stays done. */
export async function resumeProcedure<R extends ProcedureRecord>(record: R, work: SavesRecord<R>): Promise<void> {
  record.state = 'running';
  delete record.message;
  delete record.i18n;
  await work.save(record);
}

/** Says where the procedure stands: in English, and by id beside it. */
export function tellRecord(record: ProcedureRecord, message: CoreMessage): void {
  record.message = formatCoreMessage(message.id, message.params);
  record.i18n = message;
}

/** Marks the procedure stopped with why (and how to go on), saved. */
export async function stopProcedure<R extends ProcedureRecord>(
  record: R,
  work: SavesRecord<R>,
  message: CoreMessage,
): Promise<R> {
  record.state = 'stopped';
  tellRecord(record, message);
  await work.save(record);
  return record;
}

export async function finishProcedure<R extends ProcedureRecord>(record: R, work: SavesRecord<R>): Promise<R> {
  record.state = 'succeeded';
  await work.save(record);
  return record;
}

/** A procedure under way: its record as it began, and the promise that takes it to its end, a pause or a stop. */
export interface UnderWay<R> {
  record: R;
  advancing: Promise<R>;
}

/**
 * An API call answers with the record once the procedure is under way; its stops are in the record (and its update
 * event), so what escapes `advancing` is a bug, logged as `doing`.
 */
export async function answerUnderWay<R>(begun: Promise<UnderWay<R>>, log: CoreLog, doing: string): Promise<R> {
  const { record, advancing } = await begun;
  void advancing.catch((error: unknown) => log.failed(doing, error));
  return record;
}

/** The service's own options: where projects live, and who hears of each saved change (nodes.updated, …). */
export interface ProcedureRecordsOptions<R> {
  projects: ProjectStore;
  onUpdated?: ((record: R) => void) | undefined;
}

/**
 * The last procedure of one kind a project ran, kept in the project's folder and written atomically so a crash leaves
 * the last saved step, and which projects advance one in this process now (one at a time a project).
 */
export class ProcedureRecords<R extends ProcedureRecord> {
  private readonly advancing = new Set<string>();

  /** `fileName` is the record's file in the project's folder (node-lifecycle.json, upgrade.json). */
  constructor(
    private readonly options: ProcedureRecordsOptions<R>,
    private readonly fileName: string,
    private readonly schema: z.ZodType<R>,
  ) {}

  private file(projectId: string): string {
    return join(this.options.projects.projectFolder(projectId), this.fileName);
  }

  async last(projectId: string): Promise<R | null> {
    return readJsonIfPresent(this.file(projectId), this.schema);
  }

  async save(projectId: string, record: R): Promise<void> {
    await writeFileAtomic(this.file(projectId), `${JSON.stringify(record, null, 2)}\n`);
    this.options.onUpdated?.(structuredClone(record));
  }

  isAdvancing(projectId: string): boolean {
    return this.advancing.has(projectId);
  }

  /** Refuses a second procedure while the project's one is under way here; `message` says to follow it. */
  refuseIfAdvancing(projectId: string, refusal: CoreMessageId): void {
    if (this.advancing.has(projectId)) throw coreError('already_running', refusal, {}, 'projectId');
  }

  /** Answers with a copy of the record at once; `advancing` is `advance` taking it to its end, a pause or a stop. */
  advance(projectId: string, record: R, advance: (record: R) => Promise<R>): UnderWay<R> {
    this.advancing.add(projectId);
    const advancing = advance(record).finally(() => this.advancing.delete(projectId));
    return { record: structuredClone(record), advancing };
  }
}
