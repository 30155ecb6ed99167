import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../electron/common/run';
import { recordText, sealRun, verifyRunChain } from '../../../../electron/node/runs/run-chain';
import { finishedRun } from '../../../support/run-record';

let runsFolder: string;

beforeEach(async () => {
  runsFolder = join(await mkdtemp(join(tmpdir(), 'airspray-chain-')), 'runs');
});

const endedRun = (id: string, state: RunRecord['state'] = 'succeeded') =>
  finishedRun({ playbook: 'cluster.yml' }, { id, state });

/** A run that ended with `log`, stored unsealed as the service writes it, then sealed. */
async function endRun(id: string, log: string): Promise<RunRecord> {
  await mkdir(join(runsFolder, id), { recursive: true });
  await writeFile(join(runsFolder, id, 'log'), log);
  await writeFile(join(runsFolder, id, 'run.json'), recordText(endedRun(id)));
  return sealRun(runsFolder, endedRun(id));
}

async function editRecord(id: string, change: (record: RunRecord) => void): Promise<void> {
  const path = join(runsFolder, id, 'run.json');
  const record = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  change(record);
  await writeFile(path, recordText(record));
}

describe('the chain of run records', () => {
  it('links each ended run to the one before and hashes its log', async () => {
    const first = await endRun('r-1', 'PLAY [all]\n');
    const second = await endRun('r-2', 'PLAY RECAP\n');
    expect(first.seal).toMatchObject({ sequence: 1 });
    expect(first.seal?.previousRecordSha256).toBeUndefined();
    expect(second.seal?.sequence).toBe(2);
    expect(second.seal?.previousRecordSha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.parse(await readFile(join(runsFolder, 'r-2', 'run.json'), 'utf8')) as RunRecord;
    expect(stored.seal).toEqual(second.seal);
    expect(await verifyRunChain(runsFolder)).toMatchObject({ intact: true, records: 2, problems: [], unsealed: [] });
  });

  it('is intact and empty for a project with no runs', async () => {
    expect(await verifyRunChain(runsFolder)).toEqual({ intact: true, records: 0, problems: [], unsealed: [] });
  });

  it('finds a log changed after its run ended', async () => {
    await endRun('r-1', 'ok: [lab2]\n');
    await endRun('r-2', 'ok: [lab3]\n');
    await writeFile(join(runsFolder, 'r-1', 'log'), 'ok: [lab9]\n');
    expect(await verifyRunChain(runsFolder)).toMatchObject({
      intact: false,
      problems: [{ runId: 'r-1', problem: 'The log was changed after the run ended.' }],
    });
  });

  it('finds an older record changed by the next record’s link, and the newest by the head', async () => {
    await endRun('r-1', 'a\n');
    await endRun('r-2', 'b\n');
    await editRecord('r-1', (record) => (record.startedBy = 'someone@else'));
    const older = await verifyRunChain(runsFolder);
    expect(older.intact).toBe(false);
    expect(older.problems).toEqual([{ runId: 'r-1', problem: expect.stringContaining("run r-2's link") as string }]);

    await editRecord('r-1', (record) => (record.startedBy = 'ops'));
    expect((await verifyRunChain(runsFolder)).intact).toBe(true);
    await editRecord('r-2', (record) => (record.state = 'failed'));
    expect((await verifyRunChain(runsFolder)).problems).toEqual([
      { runId: 'r-2', problem: expect.stringContaining('no longer matches chain.json') as string },
    ]);
  });

  it('finds a record removed from the middle and one removed from the end', async () => {
    for (const id of ['r-1', 'r-2', 'r-3']) await endRun(id, `${id}\n`);
    const headBefore = (await verifyRunChain(runsFolder)).headSha256;
    await rm(join(runsFolder, 'r-3'), { recursive: true });
    const cutEnd = await verifyRunChain(runsFolder);
    expect(cutEnd.intact).toBe(false);
    expect(cutEnd.problems[0]?.problem).toContain('newer records were removed');
    expect(cutEnd.headSha256).not.toBe(headBefore);

    await endRun('r-4', 'r-4\n');
    await rm(join(runsFolder, 'r-2'), { recursive: true });
    expect((await verifyRunChain(runsFolder)).problems).toEqual([
      { runId: 'r-4', problem: 'Record 2 of the chain is missing before this run.' },
    ]);
  });

  it('reports a damaged record by name and lists ended runs from before the chain as not covered', async () => {
    await endRun('r-1', 'a\n');
    await mkdir(join(runsFolder, 'r-old'));
    await writeFile(join(runsFolder, 'r-old', 'run.json'), recordText(endedRun('r-old', 'failed')));
    await mkdir(join(runsFolder, 'r-live'));
    await writeFile(join(runsFolder, 'r-live', 'run.json'), recordText(endedRun('r-live', 'running')));
    expect(await verifyRunChain(runsFolder)).toMatchObject({ intact: true, unsealed: ['r-old'] });
    await writeFile(join(runsFolder, 'r-1', 'run.json'), '{"id": "r-1", trunc');
    const damaged = await verifyRunChain(runsFolder);
    expect(damaged.problems).toContainEqual({
      runId: 'r-1',
      problem: 'The record cannot be read: it was changed or damaged.',
    });
    expect(damaged.intact).toBe(false);
  });

  it('continues after the newest record when the head was left behind (a stop between the two writes)', async () => {
    await endRun('r-1', 'a\n');
    const headAfterFirst = await readFile(join(runsFolder, 'chain.json'), 'utf8');
    await endRun('r-2', 'b\n');
    await writeFile(join(runsFolder, 'chain.json'), headAfterFirst);
    expect((await verifyRunChain(runsFolder)).problems[0]?.problem).toContain('it stopped while sealing one');
    const third = await endRun('r-3', 'c\n');
    expect(third.seal?.sequence).toBe(3);
    expect(await verifyRunChain(runsFolder)).toMatchObject({ intact: true, records: 3 });
  });
});
