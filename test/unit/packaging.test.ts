import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/airspray-serve';

interface BuilderConfig {
  files: string[];
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  [key: string]: unknown;
}

const config = parse(await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder configuration', () => {
  it('builds AppImage, NSIS + portable and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage']);
    expect(config.win.target).toEqual(['nsis', 'portable']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('turns off runAsNode, NODE_OPTIONS and the inspector in release builds', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packages only the bundle index, never a bundle', () => {
    expect(config.files.some((pattern) => pattern.includes('resources'))).toBe(false);
    expect(config.extraResources).toEqual([{ from: 'resources/bundles/index.json', to: 'bundles/index.json' }]);
  });

  it('holds no signing secret: certificates and passwords come from the environment', () => {
    const text = JSON.stringify(config);
    for (const key of [
      'cscLink',
      'cscKeyPassword',
      'certificatePassword',
      'certificateFile',
      'appleIdPassword',
      'password',
    ]) {
      expect(text).not.toContain(`"${key}"`);
    }
  });
});
