import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunChainCheck } from '../../electron/common/run';
import { recordText, sealRun } from '../../electron/node/runs/run-chain';
import { buildAirsprayCli, type BundleCli } from '../support/bundle-cli';
import { finishedRun } from '../support/run-record';

let dataDir: string;
let runsFolder: string;
let cli: BundleCli;

const verify = (...more: string[]) => cli('runs', 'verify', '--project', 'dc1', '--data-dir', dataDir, ...more);

/**
 * Two runs ended as the run service ends them (record, log, then the seal). Real runs need the lab: the lab's
 * deploy-operate test checks the chain its four runs leave; here the command's verdict and exit code are the subject.
 */
beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'airspray-runs-verify-'));
  dataDir = join(root, 'data');
  cli = await buildAirsprayCli(root);
  const created = await cli('project', 'create', 'dc1', '--json', '--data-dir', dataDir);
  const { id } = JSON.parse(created.stdout) as { id: string };
  runsFolder = join(dataDir, 'projects', id, 'runs');
  for (const runId of ['r-1', 'r-2']) {
    const run = finishedRun({ playbook: 'cluster.yml' }, { id: runId, projectId: id });
    await mkdir(join(runsFolder, runId), { recursive: true });
    await writeFile(join(runsFolder, runId, 'log'), `PLAY RECAP for ${runId}\n`);
    await writeFile(join(runsFolder, runId, 'run.json'), recordText(run));
    await sealRun(runsFolder, run);
  }
}, 120_000);

describe('airspray runs verify', { timeout: 60_000 }, () => {
  it('says the records are intact, with the newest record’s hash, and exits 0', async () => {
    const result = await verify();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Run records of dc1: intact, 2 sealed\.\nNewest record sha256: [0-9a-f]{64}\n$/);
  });

  it('names the changed log and exits 1, in text and in JSON', async () => {
    await writeFile(join(runsFolder, 'r-1', 'log'), 'PLAY RECAP for someone else\n');
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Run records of dc1: CHANGED, 2 sealed.');
    expect(result.stdout).toContain('r-1: The log was changed after the run ended.');
    const json = await verify('--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as RunChainCheck).problems).toEqual([
      { runId: 'r-1', problem: 'The log was changed after the run ended.' },
    ]);
  });

  it('refuses a project that does not exist, naming it', async () => {
    const result = await cli('runs', 'verify', '--project', 'nope', '--data-dir', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope');
  });
});

describe('airspray runs report', { timeout: 60_000 }, () => {
  const report = (out: string, ...more: string[]) =>
    cli('runs', 'report', 'r-2', '--project', 'dc1', '--data-dir', dataDir, '--out', join(dataDir, out), ...more);

  it('writes English whatever the window chose on the folder, and Simplified Chinese with --lang zh-CN', async () => {
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ locale: 'zh-CN' }));
    expect(await report('en.html')).toMatchObject({ code: 0 });
    const english = await readFile(join(dataDir, 'en.html'), 'utf8');
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<h2>Play recap</h2>');
    expect(await report('zh.html', '--lang', 'zh-CN')).toMatchObject({ code: 0 });
    const chinese = await readFile(join(dataDir, 'zh.html'), 'utf8');
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('<h2>Play 汇总</h2>');
    expect(chinese).toContain('PLAY RECAP for r-2');
  });

  it('refuses a language the window does not speak, naming the ones it does', async () => {
    const result = await report('fr.html', '--lang', 'fr');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--lang takes en or zh-CN, not "fr"');
  });
});
