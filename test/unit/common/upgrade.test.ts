import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decideUpgrade,
  kubesprayTags,
  presetRunOptions,
  upgradePresetNames,
  upgradePresets,
  versionStep,
  type UpgradeVersions,
} from '../../../electron/common/upgrade';
import { RunOptionsSchema } from '../../../electron/common/run';
import { formatCoreMessage } from '../../../electron/node/i18n/format-core-message';
import { requireKubesprayRelease } from '../../support/kubespray-release-path';

const run = promisify(execFile);

const current: UpgradeVersions = { bundleId: 'b-1.27', kubesprayVersion: '2.23.3', kubernetesVersion: '1.27.7' };
const candidate = (kubernetesVersions: string[], kubesprayVersion = '2.23.3', bundleId = 'b-next') => ({
  bundleId,
  kubesprayVersion,
  kubernetesVersions,
});

describe('versionStep', () => {
  it('tells patches, one minor, skipped minors and downgrades apart', () => {
    expect(versionStep('1.27.7', '1.27.10')).toBe('patch');
    expect(versionStep('v1.27.7', '1.28.0')).toBe('minor');
    expect(versionStep('1.27.7', '1.29.0')).toBe('skips');
    expect(versionStep('1.28.2', '1.27.10')).toBe('down');
    expect(versionStep('1.27.7', 'v1.27.7')).toBe('same');
    expect(versionStep('1.27.7', '2.0.0')).toBe('skips');
    expect(versionStep('1.27.7', 'latest')).toBe('unreadable');
  });
});

describe('decideUpgrade', () => {
  it('allows one Kubernetes minor up, picking the newest allowed version the bundle carries', () => {
    const decision = decideUpgrade(current, candidate(['1.29.1', '1.28.6', '1.28.2']));
    expect(decision).toEqual({
      allowed: true,
      to: { bundleId: 'b-next', kubesprayVersion: '2.23.3', kubernetesVersion: '1.28.6' },
    });
  });

  it('allows a patch upgrade', () => {
    expect(decideUpgrade(current, candidate(['v1.27.10']))).toMatchObject({
      allowed: true,
      to: { kubernetesVersion: '1.27.10' },
    });
  });

  it('refuses skipping a minor, naming both versions', () => {
    const decision = decideUpgrade(current, candidate(['1.29.0']));
    expect(decision.allowed).toBe(false);
    expect(decision).toEqual({
      allowed: false,
      reason: { id: 'upgrade.skips-minor', params: { what: 'Kubernetes', from: '1.27.7', to: '1.29.0', next: '1.28' } },
    });
    // What `airspray upgrades` prints, as before the reason had an id.
    if (!decision.allowed)
      expect(formatCoreMessage(decision.reason.id, decision.reason.params)).toBe(
        'Kubernetes 1.27.7 → 1.29.0 skips a minor release: upgrade one minor release at a time (a bundle with Kubernetes 1.28 first).',
      );
  });

  it('refuses a downgrade, naming both versions', () => {
    const decision = decideUpgrade({ ...current, kubernetesVersion: '1.28.2' }, candidate(['1.27.10']));
    expect(decision.allowed).toBe(false);
    expect(decision).toEqual({
      allowed: false,
      reason: { id: 'upgrade.downgrade', params: { what: 'Kubernetes', from: '1.28.2', to: '1.27.10' } },
    });
  });

  it('refuses a kubespray downgrade or a skipped kubespray release', () => {
    const down = decideUpgrade(current, candidate(['1.27.10'], '2.22.1'));
    const skip = decideUpgrade(current, candidate(['1.28.6'], '2.25.0'));
    expect(down).toMatchObject({
      reason: { id: 'upgrade.downgrade', params: { what: 'kubespray', from: '2.23.3', to: '2.22.1' } },
    });
    expect(skip).toMatchObject({
      reason: { id: 'upgrade.skips-minor', params: { what: 'kubespray', from: '2.23.3', to: '2.25.0', next: '2.24' } },
    });
  });

  it('takes a wanted version only when the bundle carries it and the step is allowed', () => {
    expect(decideUpgrade(current, candidate(['1.28.6', '1.27.10']), '1.27.10')).toMatchObject({
      allowed: true,
      to: { kubernetesVersion: '1.27.10' },
    });
    const missing = decideUpgrade(current, candidate(['1.28.6']), '1.28.1');
    expect(missing).toMatchObject({
      reason: {
        id: 'upgrade.kubernetes-not-carried',
        params: { bundle: 'b-next', carried: '1.28.6', wanted: '1.28.1' },
      },
    });
  });

  it("refuses the project's own bundle", () => {
    const same = decideUpgrade(current, candidate(['1.27.7'], '2.23.3', 'b-1.27'));
    expect(same).toMatchObject({ reason: { id: 'upgrade.bundle-current', params: { bundle: 'b-1.27' } } });
  });
});

describe('upgrade presets', () => {
  it("run cluster.yml with kubespray's tags and the new version's variables", () => {
    expect(presetRunOptions('nodes', '1.28.6')).toEqual({
      playbook: 'cluster.yml',
      tags: 'node',
      skipTags: 'k8s-gen-tokens',
      extraVars: { kube_version: 'v1.28.6' },
    });
    expect(presetRunOptions('control-plane', 'v1.28.6').tags).toBe('master');
    expect(presetRunOptions('container-runtime', '1.28.6').tags).toBe('container-engine');
    for (const name of upgradePresetNames)
      expect(RunOptionsSchema.parse(presetRunOptions(name, '1.28.6'))).toBeTruthy();
  });

  describe("tag names in kubespray v2.23.3's playbooks and roles", () => {
    let release: string;
    beforeAll(async () => {
      release = await mkdtemp(join(tmpdir(), 'airspray-tags-'));
      await run('tar', ['-xzf', requireKubesprayRelease(), '-C', release, '--wildcards', '*/playbooks/*', '*/roles/*']);
    });
    afterAll(() => rm(release, { recursive: true, force: true }));

    it.each(kubesprayTags)('%s is a tag there', async (tag) => {
      // A tag appears as `tags: x`, `tags: [.., x]`, `tags: "x"` or a `- x` item under tags:.
      const pattern = `(tags:.*[\\[ ,"']${tag}([\\] ,"']|$))|(^\\s+- ${tag}\\s*$)`;
      const found = await run('grep', ['-rlE', pattern, join(release, 'kubespray-2.23.3')]).catch(() => ({
        stdout: '',
      }));
      expect(found.stdout.trim(), `tag ${tag}`).not.toBe('');
    });

    it('every preset uses those tags only', () => {
      const used = Object.values(upgradePresets).flatMap((preset) => [...preset.tags, ...(preset.skipTags ?? [])]);
      expect(new Set(used)).toEqual(new Set(kubesprayTags));
    });
  });
});
