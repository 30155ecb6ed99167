import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RunRecordSchema, type RunChainCheck, type RunRecord } from '../../common/run';
import { sha256OfFile } from '../bundles/file-digest';
import { writeFileAtomic } from '../fs/write-file-atomic';

/**
 * The run records of a project as a hash chain: each ended run's record holds the sha256 of its log and of the
 * record sealed before it, and `runs/chain.json` names the newest. A record or log changed afterwards, or a record
 * removed, no longer matches. It proves nothing against someone who rewrites the whole chain: the newest record's
 * hash, noted in change control (the report shows it), is what pins it.
 */

const headFileName = 'chain.json';
const HeadSchema = z.object({ sequence: z.number().int().positive(), runId: z.string(), recordSha256: z.string() });

/** A run record as its file holds it: the exact bytes the chain hashes. */
export const recordText = (run: RunRecord): string => `${JSON.stringify(run, null, 2)}\n`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

interface StoredRecord {
  runId: string;
  text: string;
  record?: RunRecord;
}

async function readRecords(runsFolder: string): Promise<StoredRecord[]> {
  const names = await readdir(runsFolder, { withFileTypes: true }).catch(() => []);
  const folders = names.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const records = await Promise.all(
    folders.map(async (runId) => {
      const text = await readFile(join(runsFolder, runId, 'run.json'), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const parsed = RunRecordSchema.safeParse(safeJson(text));
      return { runId, text, ...(parsed.success ? { record: parsed.data } : {}) };
    }),
  );
  return records.filter((stored) => stored !== undefined);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A log the run never wrote counts as empty, so verifying it later agrees. */
const logSha256 = (runsFolder: string, runId: string) =>
  sha256OfFile(join(runsFolder, runId, 'log')).catch(() => sha256(''));

const sealedInOrder = (records: StoredRecord[]) =>
  records
    .filter((stored) => stored.record?.seal)
    .sort((a, b) => (a.record?.seal?.sequence ?? 0) - (b.record?.seal?.sequence ?? 0));

/**
 * Seals an ended run after the newest sealed record (found by reading them, so a head left behind by a crash between
 * the two writes does not fork the chain), writes it, then the head. Calls must not overlap.
 */
export async function sealRun(runsFolder: string, run: RunRecord): Promise<RunRecord> {
  const newest = sealedInOrder(await readRecords(runsFolder)).at(-1);
  const sequence = (newest?.record?.seal?.sequence ?? 0) + 1;
  const sealed: RunRecord = {
    ...run,
    seal: {
      sequence,
      logSha256: await logSha256(runsFolder, run.id),
      ...(newest ? { previousRecordSha256: sha256(newest.text) } : {}),
    },
  };
  const text = recordText(sealed);
  await writeFileAtomic(join(runsFolder, run.id, 'run.json'), text);
  const head = { sequence, runId: run.id, recordSha256: sha256(text) };
  await writeFileAtomic(join(runsFolder, headFileName), `${JSON.stringify(head, null, 2)}\n`);
  return sealed;
}

/** Checks every sealed record, log and link, and the head; says what does not match and where. */
export async function verifyRunChain(runsFolder: string): Promise<RunChainCheck> {
  const records = await readRecords(runsFolder);
  const problems: RunChainCheck['problems'] = records
    .filter((stored) => !stored.record)
    .map((stored) => ({ runId: stored.runId, problem: 'The record cannot be read: it was changed or damaged.' }));
  const sealed = sealedInOrder(records);
  problems.push(...(await chainProblems(runsFolder, sealed)));
  problems.push(...(await headProblems(runsFolder, sealed.at(-1))));
  const newest = sealed.at(-1);
  return {
    intact: problems.length === 0,
    records: sealed.length,
    ...(newest ? { headSha256: sha256(newest.text) } : {}),
    problems,
    unsealed: records
      .filter((stored) => stored.record && !stored.record.seal && stored.record.state !== 'running')
      .map((stored) => stored.runId)
      .sort(),
  };
}

async function chainProblems(runsFolder: string, sealed: StoredRecord[]): Promise<RunChainCheck['problems']> {
  const problems: RunChainCheck['problems'] = [];
  let previous: StoredRecord | undefined;
  for (const [index, stored] of sealed.entries()) {
    const seal = stored.record?.seal;
    if (!seal) continue;
    const runId = stored.runId;
    const expected = (previous?.record?.seal?.sequence ?? 0) + 1;
    if (seal.sequence > expected)
      problems.push({ runId, problem: `${missingRecords(expected, seal.sequence - 1)} before this run.` });
    else if (seal.sequence < expected) problems.push({ runId, problem: `Record ${seal.sequence} appears twice.` });
    else if (index > 0 && previous && seal.previousRecordSha256 !== sha256(previous.text))
      problems.push({
        runId: previous.runId,
        problem: `The record was changed after it was sealed (run ${runId}'s link to it does not match).`,
      });
    if ((await logSha256(runsFolder, runId)) !== seal.logSha256)
      problems.push({ runId, problem: 'The log was changed after the run ended.' });
    previous = stored;
  }
  return problems;
}

const missingRecords = (first: number, last: number) =>
  first === last ? `Record ${first} of the chain is missing` : `Records ${first} to ${last} of the chain are missing`;

async function headProblems(runsFolder: string, newest: StoredRecord | undefined): Promise<RunChainCheck['problems']> {
  const text = await readFile(join(runsFolder, headFileName), 'utf8').catch(() => undefined);
  if (text === undefined)
    return newest ? [{ problem: `${headFileName}, which names the newest record, is missing.` }] : [];
  const head = HeadSchema.safeParse(safeJson(text));
  if (!head.success) return [{ problem: `${headFileName} cannot be read: it was changed or damaged.` }];
  const newestSequence = newest?.record?.seal?.sequence ?? 0;
  if (head.data.sequence > newestSequence)
    return [
      {
        problem: `The chain ends at record ${newestSequence}, but ${headFileName} names record ${head.data.sequence}: newer records were removed.`,
      },
    ];
  if (head.data.sequence < newestSequence)
    return [
      {
        problem: `Records after ${head.data.sequence} are not in ${headFileName}: they were added outside Airspray, or it stopped while sealing one.`,
      },
    ];
  if (newest && head.data.recordSha256 !== sha256(newest.text))
    return [
      { runId: newest.runId, problem: 'The record was changed after it was sealed (it no longer matches chain.json).' },
    ];
  return [];
}
