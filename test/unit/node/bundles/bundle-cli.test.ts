import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleVerificationResultSchema } from '../../../../electron/common/bundle-verification';
import { startTestFileServer } from '../../../support/bundle-lab';
import { testManifest } from '../../../support/bundle-fixtures';
import { buildBundleCli, bundleBuildArgs, type BundleCli } from '../../../support/bundle-cli';

let airspray: BundleCli;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'airspray-cli-'));
  airspray = await buildBundleCli(work);
});

async function unsignedBundle(): Promise<string> {
  const dir = join(work, `bundle-${randomBytes(4).toString('hex')}`);
  await mkdir(join(dir, 'files', 'get.helm.sh'), { recursive: true });
  await writeFile(join(dir, 'files', 'get.helm.sh', 'helm-v3.12.3-linux-amd64.tar.gz'), randomBytes(3000));
  const manifest = await testManifest(dir, { bundleId: 'cli-bundle' });

  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

describe('airspray bundle CLI', () => {
  it('keygen, sign, verify, inspect; refuses a tampered bundle with exit 1 naming the file', async () => {
    const key = join(work, 'publisher.pem');
    const keygen = await airspray('bundle', 'keygen', '--out', key);
    expect(keygen.code).toBe(0);
    const fingerprint = /Fingerprint: (SHA256:\S+)/.exec(keygen.stdout)![1]!;
    expect(await readFile(key, 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect((await airspray('bundle', 'keygen', '--out', key)).code).toBe(1);

    const dir = await unsignedBundle();
    expect((await airspray('bundle', 'sign', dir, '--key', key)).code).toBe(0);
    const dataDir = join(work, 'data');
    const unknown = await airspray('bundle', 'verify', dir, '--data-dir', dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('unknown-publisher');

    const verified = await airspray('bundle', 'verify', dir, '--trust', `${key}.pub`, '--json', '--data-dir', dataDir);
    expect(verified.code).toBe(0);
    expect(BundleVerificationResultSchema.parse(JSON.parse(verified.stdout))).toMatchObject({
      outcome: 'verified',
      publisher: { fingerprint },
    });

    const inspect = await airspray('bundle', 'inspect', dir, '--trust', `${key}.pub`, '--data-dir', dataDir);
    expect(inspect.stdout).toContain('cli-bundle');
    expect(inspect.stdout).toContain(fingerprint);

    await writeFile(join(dir, 'files', 'get.helm.sh', 'helm-v3.12.3-linux-amd64.tar.gz'), randomBytes(3000));
    const tampered = await airspray('bundle', 'verify', dir, '--trust', `${key}.pub`, '--data-dir', dataDir);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/altered\s+files\/get\.helm\.sh\/helm-v3\.12\.3-linux-amd64\.tar\.gz/);
  });

  it('trusts an operator key only with its confirmed fingerprint', async () => {
    const key = join(work, 'operator.pem');
    await airspray('bundle', 'keygen', '--out', key);
    const dataDir = join(work, 'trust-data');
    const shown = await airspray('bundle', 'trust', `${key}.pub`, '--data-dir', dataDir);
    expect(shown.code).toBe(1);
    const fingerprint = /(SHA256:\S+)/.exec(shown.stdout)![1]!;
    const trustWith = (confirmed: string) =>
      airspray('bundle', 'trust', `${key}.pub`, '--name', 'Ops', '--fingerprint', confirmed, '--data-dir', dataDir);
    expect((await trustWith('SHA256:wrong')).code).toBe(1);
    expect((await trustWith(fingerprint)).code).toBe(0);

    const dir = await unsignedBundle();
    await airspray('bundle', 'sign', dir, '--key', key);
    const verified = await airspray('bundle', 'verify', dir, '--quick', '--data-dir', dataDir);
    expect(verified.stdout).toContain('Verified (quick)');
    expect(verified.code).toBe(0);
  });
});

describe('airspray bundle build', () => {
  it("checks downloads against the kubespray release's checksums.yml, then builds a bundle that verifies and a delta of it", async () => {
    const url = new URL('https://dl.k8s.io/release/v1.27.10/bin/linux/amd64/kubeadm');
    const content = randomBytes(50_000);
    const webRoot = join(work, 'web');
    await mkdir(join(webRoot, url.host, 'release/v1.27.10/bin/linux/amd64'), { recursive: true });
    await writeFile(join(webRoot, url.host, url.pathname), content);
    const server = await startTestFileServer(webRoot);
    const kubespray = join(work, 'kubespray-2.23.3');
    const checksumsDir = join(kubespray, 'roles', 'kubespray-defaults', 'defaults', 'main');
    await mkdir(checksumsDir, { recursive: true });
    const writeChecksum = (sha256: string) =>
      writeFile(join(checksumsDir, 'checksums.yml'), `kubeadm_checksums:\n  amd64:\n    v1.27.10: ${sha256}\n`);
    await writeFile(join(work, 'files.list'), `${url.href}\n`);
    await writeFile(join(work, 'images.list'), '# no images in this bundle\n');
    const key = join(work, 'builder.pem');
    await airspray('bundle', 'keygen', '--out', key);
    const out = join(work, 'built');
    const build = () =>
      airspray(
        ...bundleBuildArgs(
          out,
          kubespray,
          '--files-list',
          join(work, 'files.list'),
          '--images-list',
          join(work, 'images.list'),
          '--no-os-packages',
          '--mirror',
          `dl.k8s.io=${server.url}/dl.k8s.io`,
          '--key',
          key,
        ),
      );
    try {
      await writeChecksum('0'.repeat(64));
      const refused = await build();
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${url.href} has sha256`);

      await writeChecksum(createHash('sha256').update(content).digest('hex'));
      const built = await build();
      expect(built.stdout).toContain('Built ks-2.23.3-k8s-1.27.10-amd64');
      expect(built.code).toBe(0);
      const verified = await airspray('bundle', 'verify', out, '--trust', `${key}.pub`, '--no-cache');
      expect(verified.stdout).toContain('Verified (full)');
      const inspect = await airspray('bundle', 'inspect', out, '--trust', `${key}.pub`);
      expect(inspect.stdout).toMatch(
        /kubeadm_download_url\s+files\/dl\.k8s\.io\/release\/v1\.27\.10\/bin\/linux\/amd64\/kubeadm/,
      );
      expect(inspect.stdout).toContain('amd64 / debian-12');

      // The same release again as a delta of the first: only kubespray/ is its own, and it verifies beside its base.
      const delta = join(work, 'delta');
      const deltaBuilt = await airspray(
        ...bundleBuildArgs(delta, kubespray, '--files-list', join(work, 'files.list')),
        ...['--images-list', join(work, 'images.list'), '--no-os-packages', '--key', key],
        ...['--mirror', `dl.k8s.io=${server.url}/dl.k8s.io`, '--bundle-id', 'ks-next', '--base', out],
      );
      expect(deltaBuilt.stdout).toContain('Built ks-next: 1 files (delta of ks-2.23.3-k8s-1.27.10-amd64: 1 file(s)');
      const deltaVerified = await airspray('bundle', 'verify', delta, '--trust', `${key}.pub`, '--no-cache');
      expect(deltaVerified.stdout).toContain('Verified (full)');
      const deltaInspect = await airspray('bundle', 'inspect', delta, '--trust', `${key}.pub`);
      expect(deltaInspect.stdout).toMatch(/Delta of\s+ks-2\.23\.3-k8s-1\.27\.10-amd64/);
    } finally {
      await server.close();
    }
  });
});
