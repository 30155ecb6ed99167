import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const gate = join(root, 'build', 'electronegativity-gate.mjs');

async function runGate(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [gate, ...args], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

// Needs dist/ from `npm run build`, as `npm test` runs it first.
describe('the Electronegativity gate', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'airspray-gate-'));
    for (const folder of ['electron/main', 'electron/preload', 'renderer']) {
      await cp(join(root, folder), join(work, 'src', folder), { recursive: true });
    }
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('fails on a window without sandbox and context isolation, naming both checks', async () => {
    const mainFile = join(work, 'src', 'electron', 'main', 'main.ts');
    const main = await readFile(mainFile, 'utf8');
    expect(main).toContain('sandbox: true');
    await writeFile(
      mainFile,
      main.replace('sandbox: true', 'sandbox: false').replace('contextIsolation: true', 'contextIsolation: false'),
    );
    const result = await runGate(['--sources', join(work, 'src'), '--report', join(work, 'report.csv')]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL {2}SANDBOX_JS_CHECK at source\/electron\/main\/main\.ts/);
    expect(result.output).toMatch(/FAIL {2}CONTEXT_ISOLATION_JS_CHECK at source\/electron\/main\/main\.ts/);
    await writeFile(mainFile, main);
  }, 60_000);

  it('fails on an accepted row that no longer matches a finding, and on a row without a reason', async () => {
    const doc = await readFile(join(root, 'docs', 'security.md'), 'utf8');
    const stale = join(work, 'stale.md');
    await writeFile(
      stale,
      `${doc.trimEnd()}\n| \`NODE_INTEGRATION_JS_CHECK\` | \`source/renderer/main.tsx\` | made up |\n`,
    );
    const staleResult = await runGate([
      '--sources',
      join(work, 'src'),
      '--accepted',
      stale,
      '--report',
      join(work, 'report.csv'),
    ]);
    expect(staleResult.code).toBe(1);
    expect(staleResult.output).toContain(
      'NODE_INTEGRATION_JS_CHECK in source/renderer/main.tsx is accepted in docs/security.md but no longer found',
    );

    const reasonless = join(work, 'reasonless.md');
    await writeFile(reasonless, `${doc.trimEnd()}\n| \`PRELOAD_JS_CHECK\` | \`x.ts\` |  |\n`);
    const reasonlessResult = await runGate(['--accepted', reasonless, '--report', join(work, 'report.csv')]);
    expect(reasonlessResult.code).toBe(1);
    expect(reasonlessResult.output).toContain('needs a check, a file and a reason');
  }, 60_000);
});
