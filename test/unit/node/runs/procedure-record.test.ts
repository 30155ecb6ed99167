import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CoreMessageSchema } from '../../../../electron/common/core-messages';
import { ProjectStore } from '../../../../electron/node/projects/project-store';
import {
  answerUnderWay,
  finishProcedure,
  ProcedureRecords,
  resumeProcedure,
  stopProcedure,
} from '../../../../electron/node/runs/procedure-record';

const TestRecordSchema = z.object({
  id: z.string(),
  done: z.array(z.string()),
  state: z.enum(['running', 'paused', 'stopped', 'succeeded']),
  message: z.string().optional(),
  i18n: CoreMessageSchema.optional(),
});
type TestRecord = z.infer<typeof TestRecordSchema>;

let root: string;
let projects: ProjectStore;
let projectId: string;
let updates: TestRecord[];
let records: ProcedureRecords<TestRecord>;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'procedure-record-'));
  projects = new ProjectStore(root);
  projectId = (await projects.create('alpha')).id;
  updates = [];
  const onUpdated = (record: TestRecord) => updates.push(record);
  records = new ProcedureRecords({ projects, onUpdated }, 'procedure.json', TestRecordSchema);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const stopped = (): TestRecord => ({ id: 't-1', done: ['first'], state: 'stopped', message: 'Stopped at second.' });
const saver = () => ({ save: (record: TestRecord) => records.save(projectId, record) });

describe('ProcedureRecords', () => {
  it('has no last record before the first save, then reads back what was saved', async () => {
    expect(await records.last(projectId)).toBeNull();
    await records.save(projectId, stopped());
    expect(await records.last(projectId)).toEqual(stopped());
    const folder = projects.projectFolder(projectId);
    expect(JSON.parse(readFileSync(join(folder, 'procedure.json'), 'utf8'))).toEqual(stopped());
    expect(readdirSync(folder).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('tells each save to onUpdated with a copy the procedure cannot change afterwards', async () => {
    const record = stopped();
    await records.save(projectId, record);
    record.done.push('second');
    expect(updates).toEqual([stopped()]);
  });

  it('refuses a stored record that does not match its schema', async () => {
    writeFileSync(join(projects.projectFolder(projectId), 'procedure.json'), '{"id": 1}');
    await expect(records.last(projectId)).rejects.toThrow();
  });

  it('refuses a second procedure of the project while one advances, and allows it once that one ended', async () => {
    let finish!: () => void;
    const { advancing } = records.advance(projectId, stopped(), async (record) => {
      await new Promise<void>((resolve) => (finish = resolve));
      return record;
    });
    expect(records.isAdvancing(projectId)).toBe(true);
    expect(() => records.refuseIfAdvancing(projectId, 'upgrade.running')).toThrow(
      expect.objectContaining({ code: 'already_running', i18n: { id: 'upgrade.running', params: {} } }),
    );
    finish();
    await advancing;
    expect(records.isAdvancing(projectId)).toBe(false);
    expect(() => records.refuseIfAdvancing(projectId, 'upgrade.running')).not.toThrow();
  });

  it('allows the next procedure after one that failed', async () => {
    const { advancing } = records.advance(projectId, stopped(), () => Promise.reject(new Error('broken')));
    await expect(advancing).rejects.toThrow('broken');
    expect(records.isAdvancing(projectId)).toBe(false);
  });

  it('answers with a copy of the record as the first step of the advance left it', async () => {
    const { record, advancing } = records.advance(projectId, stopped(), async (record) => {
      await resumeProcedure(record, saver());
      return finishProcedure(record, saver());
    });
    expect(record).toEqual({ id: 't-1', done: ['first'], state: 'running' });
    expect((await advancing).state).toBe('succeeded');
    expect(record.state).toBe('running');
  });
});

describe('resumeProcedure, stopProcedure and finishProcedure', () => {
  it('save each state: running without the old message, stopped with why, succeeded', async () => {
    const record = stopped();
    await resumeProcedure(record, saver());
    expect(await records.last(projectId)).toEqual({ id: 't-1', done: ['first'], state: 'running' });
    await stopProcedure(record, saver(), { id: 'upgrade.interrupted', params: {} });
    expect(await records.last(projectId)).toMatchObject({
      state: 'stopped',
      message: 'Airspray stopped while this upgrade was under way. The same upgrade command goes on from there.',
      i18n: { id: 'upgrade.interrupted', params: {} },
    });
    await resumeProcedure(record, saver());
    expect(await finishProcedure(record, saver())).toBe(record);
    expect(await records.last(projectId)).toEqual({ id: 't-1', done: ['first'], state: 'succeeded' });
    expect(updates.map((update) => update.state)).toEqual(['running', 'stopped', 'running', 'succeeded']);
  });
});

describe('answerUnderWay', () => {
  const logged: { doing: string; error: unknown }[] = [];
  const log = { failed: (doing: string, error: unknown) => logged.push({ doing, error }) };
  beforeEach(() => logged.splice(0));

  it('answers with the record while the procedure still advances, and logs nothing when it ends', async () => {
    let finish!: () => void;
    const advancing = new Promise<TestRecord>((resolve) => (finish = () => resolve(stopped())));
    const answer = await answerUnderWay(Promise.resolve({ record: stopped(), advancing }), log, 'Testing');
    expect(answer).toEqual(stopped());
    finish();
    await advancing;
    expect(logged).toEqual([]);
  });

  it('logs what escapes the advance under what was being done, instead of leaving it unhandled', async () => {
    const broken = new Error('broken');
    const advancing = Promise.reject(broken);
    await answerUnderWay(Promise.resolve({ record: stopped(), advancing }), log, 'Upgrading project p-1');
    await advancing.catch(() => undefined);
    await Promise.resolve();
    expect(logged).toEqual([{ doing: 'Upgrading project p-1', error: broken }]);
  });

  it('passes on a refusal to begin, so the call fails with it', async () => {
    const refused = Promise.reject(new Error('already running'));
    await expect(answerUnderWay(refused, log, 'Testing')).rejects.toThrow('already running');
    expect(logged).toEqual([]);
  });
});
