import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints a fixture's text as if it were a file at `pretendPath`, so the layer rules for that folder apply. */
async function restrictedImportMessages(fixture: string, pretendPath: string): Promise<string[]> {
  const code = await readFile(join(import.meta.dirname, 'fixtures', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: join(root, pretendPath) });
  return (result?.messages ?? [])
    .filter((message) =>
      ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'].includes(message.ruleId ?? ''),
    )
    .map((message) => message.message);
}

describe('layering lint', () => {
  it('fails when electron/node imports electron, statically, by require or dynamically', async () => {
    const messages = await restrictedImportMessages('imports-electron.ts', 'electron/node/lint-fixture.ts');
    expect(messages).toHaveLength(3);
    for (const message of messages)
      expect(message).toMatch(/Only electron\/main and electron\/preload may import electron/);
  });

  it('fails when the renderer imports Node built-ins, ssh2 or electron', async () => {
    const messages = await restrictedImportMessages('renderer-imports-node.ts', 'renderer/features/lint-fixture.ts');
    expect(messages.filter((message) => message.includes('The renderer has no Node'))).toHaveLength(2);
    expect(messages.some((message) => message.includes('SSH lives in electron/node'))).toBe(true);
    expect(
      messages.some((message) => message.includes('Only electron/main and electron/preload may import electron')),
    ).toBe(true);
  });

  it('fails when electron/common imports outside itself', async () => {
    const messages = await restrictedImportMessages('common-imports-node.ts', 'electron/common/lint-fixture.ts');
    expect(messages).toHaveLength(2);
  });

  it('fails when main code uses raw ipcMain outside the IPC wrapper', async () => {
    const messages = await restrictedImportMessages('main-raw-ipc.ts', 'electron/main/lint-fixture.ts');
    expect(messages.some((message) => message.includes('typed IPC wrappers'))).toBe(true);
    expect(await restrictedImportMessages('main-raw-ipc.ts', 'electron/main/ipc-handlers.ts')).toEqual([]);
  });

  it('passes the same imports where the layers allow them', async () => {
    expect(await restrictedImportMessages('imports-electron.ts', 'electron/main/lint-fixture.ts')).toEqual([]);
  });
});

describe('import cycle check (npm run lint:cycles)', () => {
  const cycles = (folder: string) =>
    new Promise<number>((resolve) => {
      const dpdm = join(root, 'node_modules', '.bin', 'dpdm');
      execFile(
        dpdm,
        ['--transform', '--no-warning', '--no-tree', '--exit-code', 'circular:1', `${folder}/*.ts`],
        { cwd: join(import.meta.dirname, 'fixtures', 'cycles') },
        (error) => resolve(error ? Number(error.code ?? 1) : 0),
      );
    });

  it('fails on a runtime import cycle, and lets a cycle of type imports alone pass', async () => {
    expect(await cycles('runtime')).toBe(1);
    expect(await cycles('type-only')).toBe(0);
  });
});
