import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../../fs/write-file-atomic';
import { coreError } from '../../i18n/format-core-message';

const run = promisify(execFile);

/** One `deb` source: where apt fetches a suite's packages from, and the keyring that signs it. */
export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  signedBy?: string;
}

/** One package apt would install: its name, version and architecture, as `apt-get --simulate` prints it. */
export interface AptPackage {
  name: string;
  version: string;
  architecture: string;
}

const deb822Field = (stanza: string, field: string) =>
  new RegExp(`^${field}:[ \\t]*(.*)$`, 'mi').exec(stanza)?.[1]?.trim();

/**
 * The machine's own `deb` sources (sources.list, *.list, deb822 *.sources), so the build fetches from its usual mirror.
 */
export async function machineAptSources(etcApt = '/etc/apt'): Promise<AptSource[]> {
  const sources: AptSource[] = [];
  const names = await readdir(join(etcApt, 'sources.list.d')).catch(() => [] as string[]);
  const files = [
    join(etcApt, 'sources.list'),
    ...names.filter((name) => /\.(list|sources)$/.test(name)).map((name) => join(etcApt, 'sources.list.d', name)),
  ];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        if (!/^Types:.*\bdeb\b/im.test(stanza) || /^Enabled:\s*no/im.test(stanza)) continue;
        const signedBy = deb822Field(stanza, 'Signed-By');
        for (const uri of (deb822Field(stanza, 'URIs') ?? '').split(/\s+/).filter(Boolean)) {
          sources.push({
            uri,
            suites: (deb822Field(stanza, 'Suites') ?? '').split(/\s+/).filter(Boolean),
            components: (deb822Field(stanza, 'Components') ?? '').split(/\s+/).filter(Boolean),
            ...(signedBy ? { signedBy } : {}),
          });
        }
      }
      continue;
    }
    for (const match of text.matchAll(/^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.+)$/gm)) {
      const signedBy = /signed-by=(\S+)/.exec(match[1] ?? '')?.[1];
      sources.push({
        uri: match[2]!,
        suites: [match[3]!],
        components: match[4]!.trim().split(/\s+/),
        ...(signedBy ? { signedBy } : {}),
      });
    }
  }
  return sources;
}

/** The sources that serve this Debian release (bookworm, bookworm-updates, bookworm-security), main only. */
export function sourcesForCodename(sources: readonly AptSource[], codename: string): AptSource[] {
  return sources
    .map((source) => ({
      ...source,
      suites: source.suites.filter((suite) => suite === codename || suite.startsWith(`${codename}-`)),
      components: ['main'],
    }))
    .filter((source) => source.suites.length > 0 && !source.suites.every((suite) => suite.endsWith('-backports')));
}

/**
 * An apt of its own: sources, lists, .deb cache and dpkg status under one folder, so the build machine's apt and
 * packages are never touched and downloaded .debs are kept for the next build.
 */
export class IsolatedApt {
  constructor(
    readonly root: string,
    readonly architecture: string,
  ) {}

  get archives(): string {
    return join(this.root, 'var/cache/apt/archives');
  }

  async prepare(sourcesList: string, status = ''): Promise<void> {
    for (const dir of [
      'etc/apt/sources.list.d',
      'etc/apt/preferences.d',
      'var/lib/apt/lists/partial',
      'var/cache/apt/archives/partial',
      'var/lib/dpkg',
      'var/log/apt',
    ]) {
      await mkdir(join(this.root, dir), { recursive: true });
    }
    await writeFileAtomic(join(this.root, 'etc/apt/sources.list'), sourcesList, 0o644);
    await this.setStatus(status);
  }

  setStatus(status: string): Promise<void> {
    return writeFileAtomic(join(this.root, 'var/lib/dpkg/status'), status, 0o644);
  }

  private options(): string[] {
    const settings: Record<string, string> = {
      'Dir::Etc': join(this.root, 'etc/apt'),
      'Dir::Etc::Trusted': '/etc/apt/trusted.gpg',
      'Dir::Etc::TrustedParts': '/etc/apt/trusted.gpg.d',
      'Dir::State': join(this.root, 'var/lib/apt'),
      'Dir::State::status': join(this.root, 'var/lib/dpkg/status'),
      'Dir::Cache': join(this.root, 'var/cache/apt'),
      'Dir::Log': join(this.root, 'var/log/apt'),
      'APT::Architecture': this.architecture,
      'APT::Architectures': this.architecture,
      // Downloads land in a folder of ours, not one the _apt user can write.
      'APT::Sandbox::User': 'root',
      'Acquire::Languages': 'none',
    };
    return Object.entries(settings).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  }

  async run(command: 'apt-get' | 'apt-cache', args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await run(command, [...this.options(), ...args], {
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, LANG: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' },
      });
      return stdout;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (failure.code === 'ENOENT') throw coreError('not_found', 'bundleBuild.apt-tool-missing', { command }, 'os');
      throw new AptFailure(`${command} ${args.join(' ')}`, `${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
    }
  }

  /** What `apt-get install` would install here, without installing it. */
  async simulateInstall(packages: readonly string[], extra: readonly string[] = []): Promise<AptPackage[]> {
    const output = await this.run('apt-get', ['install', '--simulate', '-y', ...extra, ...packages]);
    return [...output.matchAll(/^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) .*\[([^\]]+)\]\)/gm)].map((match) => ({
      name: match[1]!,
      version: match[2]!,
      architecture: match[3]!,
    }));
  }
}

/** apt's refusal, with its own output kept so the caller can name the package it complains about. */
export class AptFailure extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(
      `${command} failed: ${
        output
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('E:') || line.includes('Depends:'))
          .join(' ') || output.trim().slice(-400)
      }`,
    );
  }
}

/** One-line sources for apt, one line per suite, each with its keyring. */
export function sourcesListText(sources: readonly AptSource[]): string {
  const lines = sources.flatMap((source) =>
    source.suites.map(
      (suite) =>
        `deb ${source.signedBy ? `[signed-by=${source.signedBy}] ` : ''}${source.uri} ${suite} ${source.components.join(' ')}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** Status stanzas that say every one of these package versions is installed (the host apt resolves against). */
async function statusFor(apt: IsolatedApt, packages: readonly AptPackage[]): Promise<string> {
  if (packages.length === 0) return '';
  const output = await apt.run('apt-cache', [
    'show',
    ...packages.map(
      (pkg) => `${pkg.name}:${pkg.architecture === 'all' ? apt.architecture : pkg.architecture}=${pkg.version}`,
    ),
  ]);
  const seen = new Set<string>();
  const stanzas: string[] = [];
  for (const stanza of output.split(/\n\s*\n/)) {
    const name = deb822Field(stanza, 'Package');
    if (!name || seen.has(name)) continue;
    seen.add(name);
    stanzas.push(stanza.trim().replace(/^(Package:.*)$/m, '$1\nStatus: install ok installed'));
  }
  return stanzas.join('\n\n') + '\n';
}

/**
 * A minimal Debian's dpkg status, as debootstrap --variant=minbase makes it: every Priority: required package
 * and apt, with what they depend on, at the versions the sources offer.
 */
export async function minbaseStatus(apt: IsolatedApt): Promise<string> {
  await apt.setStatus('');
  const available = await apt.run('apt-cache', ['dumpavail']);
  const required = new Set<string>();
  for (const stanza of available.split(/\n\s*\n/)) {
    if (deb822Field(stanza, 'Priority') === 'required') required.add(deb822Field(stanza, 'Package')!);
  }
  const installed = await apt.simulateInstall([...required, 'apt'], ['--no-install-recommends']);
  return statusFor(apt, installed);
}

export interface FetchedPackages {
  /** The packages a minimal host lacks to install the wanted ones, each as a .deb in the cache. */
  debs: { pkg: AptPackage; path: string; size: number }[];
  /** The minimal host's dpkg status the closure was taken against. */
  minbase: string;
}

const debFileName = (pkg: AptPackage) => `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_${pkg.architecture}.deb`;

/**
 * Fetches what a minimal Debian needs to install `packages` (Depends, Pre-Depends and Recommends, as apt installs by
 * default), with apt itself; .debs already in the cache are not fetched again.
 */
export async function fetchDebianPackages(
  apt: IsolatedApt,
  sources: readonly AptSource[],
  packages: readonly string[],
): Promise<FetchedPackages> {
  await apt.prepare(sourcesListText(sources));
  await apt.run('apt-get', ['update']);
  const minbase = await minbaseStatus(apt);
  await apt.setStatus(minbase);
  const wanted = await apt.simulateInstall(packages).catch((error: unknown) => {
    throw error instanceof AptFailure
      ? coreError(
          'not_found',
          'bundleBuild.apt-cannot-install',
          { problem: missingFromApt(error.output) ?? error.message },
          'os',
        )
      : error;
  });
  if (wanted.length > 0) await apt.run('apt-get', ['install', '--download-only', '-y', ...packages]);
  const debs = [];
  for (const pkg of wanted) {
    const path = join(apt.archives, debFileName(pkg));
    const info = await stat(path).catch(() => undefined);
    if (!info)
      throw coreError('internal', 'bundleBuild.apt-file-missing', { name: pkg.name, version: pkg.version, path }, 'os');
    debs.push({ pkg, path, size: info.size });
  }
  return { debs, minbase };
}

/** The package apt names as missing, as "NAME (needed by DEPENDENT)", or undefined when its output names none. */
export function missingFromApt(output: string): string | undefined {
  const depends =
    /^\s*(\S+) : (?:Pre-)?Depends: (\S+)(?: \([^)]*\))? but it is not (?:installable|going to be installed)/m.exec(
      output,
    );
  if (depends) return `${depends[2]} (needed by ${depends[1]})`;
  const unknown = /^E: (?:Unable to locate package |Package '?)([^\s']+)/m.exec(output);
  return unknown ? unknown[1] : undefined;
}

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Writes a flat apt repository (`deb [trusted=yes] URL ./`): the .debs under pool/, Packages and Packages.gz
 * made by dpkg-scanpackages, and a Release naming their sizes and sha256.
 */
export async function writeAptRepository(repoDir: string, debs: readonly string[], label: string): Promise<void> {
  await rm(repoDir, { recursive: true, force: true });
  await mkdir(join(repoDir, 'pool'), { recursive: true });
  for (const deb of debs) await copyFile(deb, join(repoDir, 'pool', deb.split('/').pop()!));
  let packages: string;
  try {
    packages = (
      await run('dpkg-scanpackages', ['--multiversion', 'pool', '/dev/null'], {
        cwd: repoDir,
        maxBuffer: 256 * 1024 * 1024,
      })
    ).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw coreError('not_found', 'bundleBuild.dpkg-dev-missing', {}, 'os');
    throw error;
  }
  await writeAptIndex(repoDir, packages, label);
}

/** Packages, Packages.gz and Release for a flat repository, each written atomically. */
export async function writeAptIndex(repoDir: string, packages: string, label: string): Promise<void> {
  const plain = Buffer.from(packages);
  // No name or time in the gzip header, so the same packages give the same bytes.
  const gzipped = gzipSync(plain, { level: 9 });
  gzipped.fill(0, 4, 8);
  const indexes = [
    { name: 'Packages', data: plain },
    { name: 'Packages.gz', data: gzipped },
  ];
  for (const index of indexes) await writeFileAtomic(join(repoDir, index.name), index.data, 0o644);
  const release = [
    `Origin: Airspray`,
    `Label: ${label}`,
    `Date: ${new Date().toUTCString()}`,
    'SHA256:',
    ...indexes.map((index) => ` ${sha256Of(index.data)} ${String(index.data.length).padStart(16)} ${index.name}`),
  ].join('\n');
  await writeFileAtomic(join(repoDir, 'Release'), `${release}\n`, 0o644);
}

/**
 * Refuses a repository a minimal host cannot install `packages` from: apt's own resolver, against the minimal
 * status and only this repository, must find every package and everything it depends on.
 */
export async function checkAptRepository(
  repoDir: string,
  packages: readonly string[],
  minbase: string,
  workDir: string,
  architecture: string,
): Promise<void> {
  const apt = new IsolatedApt(workDir, architecture);
  await apt.prepare(`deb [trusted=yes] file:${repoDir} ./\n`, minbase);
  await apt.run('apt-get', ['update']);
  try {
    await apt.simulateInstall(packages);
  } catch (error) {
    if (!(error instanceof AptFailure)) throw error;
    const missing = missingFromApt(error.output);
    throw coreError(
      'invalid_params',
      'bundleBuild.apt-repository-incomplete',
      { path: repoDir, knownCount: missing ? 1 : 0, missing: missing ?? '', detail: error.message },
      'os',
    );
  }
}

/** Packages listed in a repository's Packages index. */
export async function repositoryPackageNames(repoDir: string): Promise<string[]> {
  const text = await readFile(join(repoDir, 'Packages'), 'utf8');
  return [...text.matchAll(/^Package: (\S+)$/gm)].map((match) => match[1]!);
}
