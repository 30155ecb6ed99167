import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { wizardStepIds } from '../../electron/common/wizard';
import { ProjectStore } from '../../electron/node/projects/project-store';

// What crash safety costs: a project save (temp file + fsync + rename + folder fsync, plus the revision check)
// against the peer a naive tool uses, a plain fs.writeFile of the same JSON with no fsync.
const dataDir = mkdtempSync(join(tmpdir(), 'airspray-bench-'));
const store = new ProjectStore(dataDir);
const project = await store.create('bench');
let revision = project.revision;
const plainPath = join(dataDir, 'plain.json');

describe('project save', () => {
  bench('airspray ProjectStore.setStep (atomic, durable)', async () => {
    const saved = await store.setStep(project.id, wizardStepIds[(revision + 1) % wizardStepIds.length]!, revision);
    revision = saved.revision;
  });

  bench('peer: fs.writeFile (torn on crash, not durable)', async () => {
    await writeFile(plainPath, `${JSON.stringify({ ...project, revision }, null, 2)}\n`);
  });
});
