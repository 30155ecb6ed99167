import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleManifest } from '../../../common/bundle-manifest';
import {
  checkAptRepository,
  fetchDebianPackages,
  IsolatedApt,
  machineAptSources,
  sourcesForCodename,
  writeAptRepository,
  type AptSource,
} from './apt-repository';
import type { BundleBuildStep } from './build-bundle';
import { debianCodename, kubesprayPackages } from './kubespray-packages';
import { coreError } from '../../i18n/format-core-message';

type OperatingSystem = BundleManifest['operatingSystems'][number];

export interface OsPackagesOptions {
  releaseDir: string;
  os: OperatingSystem;
  architectures: BundleManifest['architectures'];
  /** Where downloaded .debs and apt's lists are kept between builds. */
  cacheDir: string;
  /** The Debian sources to fetch from; default: the build machine's own for this release. */
  sources?: readonly AptSource[];
  /** Inventory variables that change kubespray's package list (kube_proxy_mode…). */
  variables?: Record<string, unknown>;
  onFetched?(summary: { os: string; wanted: string[]; packages: number; bytes: number }): void;
}

/** ~/.cache/airspray/apt (or under XDG_CACHE_HOME): .debs a later build does not fetch again. */
export function defaultAptCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'airspray', 'apt');
}

/** The sources given, or the machine's own for the release; none at all is refused with the fix. */
async function sourcesFor(options: OsPackagesOptions, codename: string): Promise<AptSource[]> {
  const sources = sourcesForCodename(options.sources ?? (await machineAptSources()), codename);
  if (sources.length === 0) {
    throw coreError('not_found', 'bundleBuild.no-debian-source', { codename }, 'os');
  }
  return sources;
}

async function checkRepository(
  repoDir: string,
  wanted: readonly string[],
  minbase: string,
  architecture: string,
): Promise<void> {
  const checkDir = await mkdtemp(join(tmpdir(), 'airspray-apt-check-'));
  try {
    await checkAptRepository(repoDir, wanted, minbase, checkDir, architecture);
  } finally {
    await rm(checkDir, { recursive: true, force: true });
  }
}

/**
 * repos/ID-VERSION/: a flat apt repository holding what kubespray's bootstrap-os and preinstall roles install on
 * a minimal host of that OS, with everything it depends on; refused if apt cannot install them from it alone.
 */
export function osPackagesStep(options: OsPackagesOptions): BundleBuildStep {
  const name = `${options.os.id}-${options.os.version}`;
  return {
    name: `OS packages ${name}`,
    run: async (bundleDir) => {
      const codename = debianCodename(options.os);
      const wanted = await kubesprayPackages(options.releaseDir, options.os, { variables: options.variables });
      const sources = await sourcesFor(options, codename);
      // One flat repository holds every architecture: apt picks its own by each package's Architecture field.
      const fetched = [];
      for (const architecture of options.architectures) {
        const apt = new IsolatedApt(join(options.cacheDir, `${name}-${architecture}`), architecture);
        fetched.push({ architecture, ...(await fetchDebianPackages(apt, sources, wanted)) });
      }
      const debs = [
        ...new Map(fetched.flatMap((each) => each.debs).map((deb) => [deb.path.split('/').pop()!, deb])).values(),
      ];
      const repoDir = join(bundleDir, 'repos', name);
      await writeAptRepository(
        repoDir,
        debs.map((deb) => deb.path),
        name,
      );
      try {
        for (const each of fetched) await checkRepository(repoDir, wanted, each.minbase, each.architecture);
      } catch (error) {
        // An incomplete repository never stays in the bundle.
        await rm(repoDir, { recursive: true, force: true });
        throw error;
      }
      options.onFetched?.({
        os: name,
        wanted,
        packages: debs.length,
        bytes: debs.reduce((sum, deb) => sum + deb.size, 0),
      });
    },
  };
}
