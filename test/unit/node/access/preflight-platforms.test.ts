import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../../electron/common/host-facts';
import { kubespray223Platforms, platformsFor, runPreflightChecks } from '../../../../electron/node/access/preflight';
import { sampleFacts } from '../../../support/host-facts';

const facts = (os: { id: string; versionId: string }, arch: string): HostFacts =>
  sampleFacts({ os: { ...os, prettyName: `${os.id} ${os.versionId}` }, arch });
const statusOf = (checks: ReturnType<typeof runPreflightChecks>, id: string) =>
  checks.find((check) => check.id === id)?.status;

describe('pre-flight platforms follow the chosen bundle', () => {
  it("uses kubespray 2.23's list without a bundle, or when the bundle does not say", () => {
    expect(platformsFor(null)).toBe(kubespray223Platforms);
    expect(platformsFor({ operatingSystems: [] })).toBe(kubespray223Platforms);
  });

  it('accepts only the operating systems and architectures the bundle carries', () => {
    const platforms = platformsFor({
      operatingSystems: [{ id: 'ubuntu', version: '22.04' }],
      architectures: ['arm64'],
    });
    const context = (host: HostFacts) =>
      runPreflightChecks('10.0.0.1', host, { platforms, everyHost: [{ address: '10.0.0.1', facts: host }] });
    const debianOnX86 = context(facts({ id: 'debian', versionId: '12' }, 'x86_64'));
    expect(statusOf(debianOnX86, 'os')).toBe('fail');
    expect(debianOnX86.find((check) => check.id === 'os')?.message).toContain('install one of ubuntu 22.04');
    expect(statusOf(debianOnX86, 'arch')).toBe('fail');
    const ubuntuOnArm = context(facts({ id: 'ubuntu', versionId: '22.04' }, 'aarch64'));
    expect(statusOf(ubuntuOnArm, 'os')).toBe('pass');
    expect(statusOf(ubuntuOnArm, 'arch')).toBe('pass');
  });
});
