import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { OperatingSystemSchema, type BundleManifest } from '../../common/bundle-manifest';
import { formatBytes } from '../../common/format-bytes';
import type { BundleVerificationProgress, BundleVerificationResult } from '../../common/bundle-verification';
import type { BundleFolder } from '../../common/bundle';
import { coreError } from '../i18n/format-core-message';
import { findBundles } from '../bundles/find-bundles';
import { bundlesDirOption, cliServices, collect, dataDirOption } from './cli-project';
import { readDeltaBase } from '../bundles/delta-base';
import { buildBundle, copyFolderStep, type BuildProgress, type BundleBuildStep } from '../bundles/build/build-bundle';
import { deriveKubesprayLists, openKubesprayRelease } from '../bundles/build/derive-kubespray-lists';
import { readKubesprayChecksums } from '../bundles/build/kubespray-checksums';
import { debianCodename } from '../bundles/build/kubespray-packages';
import { defaultAptCacheDir, osPackagesStep } from '../bundles/build/os-packages-step';
import { parseFilesList, parseImagesList } from '../bundles/build/kubespray-lists';
import { fingerprintOf, generateSigningKey, readPublicKey } from '../bundles/bundle-signing';
import {
  addOperatorKey,
  builtInPublisherKeys,
  describePublisherKey,
  readOperatorKeys,
  type TrustedKey,
} from '../bundles/trusted-publishers';
import { VerificationCache } from '../bundles/verification-cache';
import { readSignedManifest, verifyBundle } from '../bundles/verify-bundle';
import { signManifestFile } from '../bundles/write-manifest';

const passphrase = () => process.env.AIRSPRAY_KEY_PASSPHRASE || undefined;

/** Built-in keys, the operator's confirmed keys, and any --trust keys for this run. */
async function trustedKeys(dataDir: string, trustFiles: readonly string[]): Promise<TrustedKey[]> {
  const optionKeys: TrustedKey[] = [];
  for (const file of trustFiles) {
    const publicKey = readPublicKey(await readFile(file, 'utf8'));
    optionKeys.push({ name: file, publicKey, fingerprint: fingerprintOf(publicKey), source: 'option' });
  }
  return [...builtInPublisherKeys(), ...(await readOperatorKeys(dataDir)), ...optionKeys];
}

function progressLine(progress: BundleVerificationProgress): string {
  if (progress.phase !== 'hashing') return `${progress.phase}…`;
  const eta = progress.etaSeconds === null ? '' : `, ${Math.ceil(progress.etaSeconds)} s left`;
  return `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} at ${formatBytes(progress.bytesPerSecond)}/s${eta}`;
}

function printResult(result: BundleVerificationResult): void {
  if (result.outcome === 'verified') {
    console.log(
      `Verified (${result.mode}${result.fromCache ? ', from the cache' : ''}): ${result.filesChecked} files, signed by ${result.publisher?.name} ${result.publisher?.fingerprint}.`,
    );
    return;
  }
  console.log(
    `Refused: ${result.refusals.length} problem${result.refusals.length === 1 ? '' : 's'} in ${result.bundlePath}`,
  );
  for (const refusal of result.refusals)
    console.log(`  ${refusal.reason.padEnd(18)} ${refusal.path}: ${refusal.detail}`);
}

function parseMirror(value: string, previous: Map<string, string>): Map<string, string> {
  const match = /^([A-Za-z0-9.-]+(?::\d+)?)=(https?:\/\/\S+)$/.exec(value);
  if (!match) throw new InvalidArgumentError('--mirror takes HOST=URL, e.g. quay.io=http://127.0.0.1:5000');
  return new Map(previous).set(match[1]!, match[2]!);
}

function parseOperatingSystem(
  value: string,
  previous: BundleManifest['operatingSystems'],
): BundleManifest['operatingSystems'] {
  const match = /^([a-z][a-z0-9-]*?)-(\d[\w.]*)$/.exec(value);
  const parsed = match ? OperatingSystemSchema.safeParse({ id: match[1], version: match[2] }) : undefined;
  if (!parsed?.success) throw new InvalidArgumentError('--os takes ID-VERSION, e.g. debian-12 or ubuntu-22.04');
  return [...previous, parsed.data];
}

/** sha256sum-style lines naming URLs: kubespray's published checksums in a form the builder reads. */
function parseChecksums(text: string): Map<string, string> {
  const checksums = new Map<string, string>();
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (!match)
      throw coreError(
        'invalid_params',
        'cli.checksums-line-invalid',
        { line: index + 1, form: '<sha256>  <url>' },
        'checksums',
      );
    checksums.set(match[2]!, match[1]!);
  }
  return checksums;
}

function printBuildProgress(event: BuildProgress): void {
  if (event.kind === 'file-bytes') return;
  if (event.kind === 'file') console.log(`file   ${event.state.padEnd(7)} ${event.url}`);
  else if (event.kind === 'image')
    console.log(`image  ${event.state.padEnd(7)} ${event.reference}${event.digest ? ` ${event.digest}` : ''}`);
  else if (event.kind === 'step') console.log(`step   ${event.state.padEnd(7)} ${event.name}`);
  else console.log(`manifest ${event.state}${event.fingerprint ? ` by ${event.fingerprint}` : ''}`);
}

/** One apt repository per OS, from the release's own package lists. */
function osPackageSteps(
  releaseDir: string,
  operatingSystems: BundleManifest['operatingSystems'],
  architectures: BundleManifest['architectures'],
  options: { osMirror?: string; osCache?: string },
): BundleBuildStep[] {
  return operatingSystems.map((os) => {
    const codename = debianCodename(os);
    return osPackagesStep({
      releaseDir,
      os,
      architectures,
      cacheDir: options.osCache ? resolve(options.osCache) : defaultAptCacheDir(),
      ...(options.osMirror
        ? { sources: [{ uri: options.osMirror, suites: [codename, `${codename}-updates`], components: ['main'] }] }
        : {}),
      onFetched: (summary) =>
        console.log(
          `repos/${summary.os}: ${summary.packages} packages (${formatBytes(summary.bytes)}) for ${summary.wanted.join(' ')}`,
        ),
    });
  });
}

function describeFoundBundle(found: BundleFolder): string {
  if (found.manifest.state !== 'readable') return `-\tunreadable: ${found.manifest.problem}\t${found.path}`;
  const { header } = found.manifest;
  return `${header.bundleId}\tkubespray ${header.kubespray.version}\tKubernetes ${header.kubernetesVersions.join(',')}\t${found.hasSignature ? 'signed' : 'unsigned'}\t${found.path}`;
}

/** `airspray bundle list|keygen|sign|verify|inspect|trust|build`. */
export function registerBundleCommands(program: Command): void {
  const bundle = program.command('bundle').description('Make, sign, inspect and verify offline bundles.');
  registerBundleList(bundle);
  registerBundleKeygen(bundle);
  registerBundleSign(bundle);
  registerBundleVerify(bundle);
  registerBundleInspect(bundle);
  registerBundleTrust(bundle);
  registerBundleBuild(bundle);
}

function registerBundleList(bundle: Command): void {
  bundle
    .command('list')
    .description(
      'List the bundles found beside the app on the stick, in the data folder and in --bundles-dir, as the Bundle step does.',
    )
    .option(...bundlesDirOption)
    .option('--json', 'print the search result as JSON')
    .option(...dataDirOption)
    .action(async (options: { bundlesDir: string[]; json?: boolean; dataDir?: string }) => {
      const result = await findBundles((await cliServices(options)).bundleLocations);
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else for (const found of result.bundles) console.log(describeFoundBundle(found));
    });
}

function registerBundleKeygen(bundle: Command): void {
  bundle
    .command('keygen')
    .description(
      'Make an ed25519 publisher key pair: KEY (private, mode 600; encrypted when AIRSPRAY_KEY_PASSPHRASE is set) and KEY.pub.',
    )
    .requiredOption('--out <key>', 'private key file to write (the public key goes to <key>.pub)')
    .option('--force', 'overwrite existing key files')
    .action(async (options: { out: string; force?: boolean }) => {
      const pair = generateSigningKey(passphrase());
      const flag = options.force ? 'w' : 'wx';
      try {
        await writeFile(options.out, pair.privateKeyPem, { mode: 0o600, flag });
        await writeFile(`${options.out}.pub`, pair.publicKeyPem, { mode: 0o644, flag });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw coreError('conflict', 'cli.key-file-exists', { path: options.out }, 'out');
        throw error;
      }
      console.log(`Wrote ${options.out} and ${options.out}.pub`);
      console.log(`Fingerprint: ${pair.fingerprint}`);
    });
}

function registerBundleSign(bundle: Command): void {
  bundle
    .command('sign <dir>')
    .description("Sign the bundle's manifest.json with a publisher key (writes manifest.json.sig).")
    .requiredOption('--key <key>', 'private key file from "airspray bundle keygen"')
    .action(async (dir: string, options: { key: string }) => {
      const signature = await signManifestFile(resolve(dir), await readFile(options.key, 'utf8'), passphrase());
      console.log(`Signed ${join(resolve(dir), 'manifest.json')} with ${signature.keyFingerprint}`);
    });
}

function registerBundleVerify(bundle: Command): void {
  bundle
    .command('verify <dir>')
    .description('Check the signature, then every file (exit 1 on any refusal, naming the file).')
    .option('--quick', 'signature and file sizes only')
    .option('--trust <pubkey>', 'also trust this public key file for this run (repeatable)', collect, [] as string[])
    .option('--json', 'print the result as JSON')
    .option('--no-cache', 'ignore and do not store a cached result')
    .option('--data-dir <dir>', 'data folder holding trusted keys and the result cache')
    .action(
      async (
        dir: string,
        options: { quick?: boolean; trust: string[]; json?: boolean; cache: boolean; dataDir?: string },
      ) => {
        const { dataDir } = await cliServices(options);
        const showProgress = !options.json && process.stderr.isTTY;
        const result = await verifyBundle(resolve(dir), {
          mode: options.quick ? 'quick' : 'full',
          trustedKeys: await trustedKeys(dataDir, options.trust),
          ...(options.cache ? { cache: new VerificationCache(dataDir) } : {}),
          onProgress: showProgress
            ? (progress) => process.stderr.write(`\r\x1b[K${progressLine(progress)}`)
            : undefined,
        });
        if (showProgress) process.stderr.write('\r\x1b[K');
        if (options.json) console.log(JSON.stringify(result, null, 2));
        else printResult(result);
        if (result.outcome !== 'verified') process.exitCode = 1;
      },
    );
}

function registerBundleInspect(bundle: Command): void {
  bundle
    .command('inspect <dir>')
    .description("Show a bundle's manifest: versions, architectures, plugins, files and images, and who signed it.")
    .option('--trust <pubkey>', 'also trust this public key file (repeatable)', collect, [] as string[])
    .option('--json', 'print the manifest as JSON')
    .option('--data-dir <dir>', 'data folder holding trusted keys')
    .action(async (dir: string, options: { trust: string[]; json?: boolean; dataDir?: string }) => {
      const signed = await readSignedManifest(
        resolve(dir),
        await trustedKeys((await cliServices(options)).dataDir, options.trust),
      );
      if (!signed.ok) {
        console.log(`Cannot inspect: ${signed.refusal.reason} ${signed.refusal.path}: ${signed.refusal.detail}`);
        process.exitCode = 1;
        return;
      }
      const { manifest, publisher } = signed;
      if (options.json) {
        console.log(JSON.stringify({ publisher, manifestDigest: signed.manifestDigest, manifest }, null, 2));
        return;
      }
      const bytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
      console.log(
        `Bundle       ${manifest.bundleId} (format ${manifest.formatVersion}, created ${manifest.createdAt})`,
      );
      console.log(`Signed by    ${publisher.name} ${publisher.fingerprint} (${publisher.source})`);
      console.log(
        `Kubespray    ${manifest.kubespray.version}${manifest.kubespray.commit ? ` (${manifest.kubespray.commit})` : ''}`,
      );
      console.log(`Kubernetes   ${manifest.kubernetesVersions.join(', ')}`);
      console.log(
        `Arch / OS    ${manifest.architectures.join(', ')} / ${manifest.operatingSystems.map((os) => `${os.id}-${os.version}`).join(', ') || 'none'}`,
      );
      console.log(`Network      ${manifest.networkPlugins.join(', ') || 'none'}`);
      if (manifest.base)
        console.log(
          `Delta of     ${manifest.base.bundleId} (manifest sha256 ${manifest.base.manifestSha256}; ${manifest.base.files.length} file(s) reused from it)`,
        );
      console.log(`Files        ${manifest.files.length} (${formatBytes(bytes)})`);
      for (const file of manifest.files.filter((entry) => entry.kubesprayVariable))
        console.log(`  ${file.kubesprayVariable!.padEnd(34)} ${file.path}`);
      console.log(`Images       ${manifest.images.length}`);
      for (const image of manifest.images)
        console.log(`  ${image.reference.padEnd(50)} ${image.digest.slice(0, 19)}… ${image.platforms.join(' ')}`);
    });
}

function registerBundleTrust(bundle: Command): void {
  bundle
    .command('trust <pubkey>')
    .description("Trust a publisher's key for every later run, after comparing its fingerprint with the publisher.")
    .option('--name <name>', 'who the key belongs to')
    .option('--fingerprint <fingerprint>', 'the fingerprint you compared (required to add the key)')
    .option('--data-dir <dir>', 'data folder to store the key in')
    .action(async (pubkey: string, options: { name?: string; fingerprint?: string; dataDir?: string }) => {
      const text = await readFile(pubkey, 'utf8');
      const { fingerprint } = describePublisherKey(text);
      if (!options.fingerprint || !options.name) {
        console.log(`Fingerprint of ${pubkey}: ${fingerprint}`);
        console.log(
          'Compare it with the publisher (by phone, on paper), then run again with --name NAME --fingerprint FINGERPRINT.',
        );
        process.exitCode = 1;
        return;
      }
      const added = await addOperatorKey((await cliServices(options)).dataDir, {
        name: options.name,
        publicKey: text,
        confirmedFingerprint: options.fingerprint,
      });
      console.log(`Trusted "${added.name}" ${added.fingerprint}`);
    });
}

function registerBundleBuild(bundle: Command): void {
  bundle
    .command('build')
    .description(
      "Build a signed bundle from kubespray's files.list and images.list (on a connected machine; resumes when interrupted).",
    )
    .requiredOption('--out <dir>', 'bundle folder to create or resume')
    .option(
      '--files-list <file>',
      "kubespray's files.list (contrib/offline/generate_list.sh); default: derived from --kubespray",
    )
    .option('--images-list <file>', "kubespray's images.list; default: derived from --kubespray")
    .requiredOption('--kubespray-version <version>', 'e.g. 2.23.3')
    .requiredOption('--kubernetes-version <version>', 'e.g. 1.27.10 (repeatable)', collect, [] as string[])
    .requiredOption('--key <key>', 'publisher private key')
    .option('--kubespray <dir-or-tarball>', 'the kubespray release to put in kubespray/')
    .option('--kubespray-commit <sha>', 'the release commit')
    .option('--arch <arch>', 'architecture (repeatable; default amd64)', collect, [] as string[])
    .option(
      '--os <id-version>',
      'OS the repos/ serve, e.g. debian-12 (repeatable); with --kubespray, repos/ID-VERSION/ holds the packages its roles install',
      parseOperatingSystem,
      [] as BundleManifest['operatingSystems'],
    )
    .option('--os-mirror <url>', "Debian mirror for the OS packages (default: this machine's apt sources)")
    .option('--os-cache <dir>', 'folder keeping downloaded .debs between builds (default: ~/.cache/airspray/apt)')
    .option(
      '--no-os-packages',
      'only record --os in the manifest: no OS packages are fetched (repos/ from --repos, or none)',
    )
    .option('--checksums <file>', 'sha256sum-style file naming URLs (overrides the checksums.yml of --kubespray)')
    .option('--mirror <host=url>', 'fetch HOST from URL instead (repeatable)', parseMirror, new Map<string, string>())
    .option('--python <dir>', 'folder of wheels for python/')
    .option('--repos <dir>', 'folder of OS package repositories for repos/')
    .option('--tools <dir>', 'folder of static tools for tools/')
    .option('--bundle-id <id>', 'bundle id (default: ks-VERSION-k8s-VERSION-ARCHS)')
    .option(
      '--base <dir-or-id>',
      'build a delta: keep only what this bundle (a folder, or the id of one beside --out) does not hold byte-identical',
    )
    .action(buildFromCommandLine);
}

interface BuildCommandOptions {
  out: string;
  filesList?: string;
  imagesList?: string;
  kubesprayVersion: string;
  kubernetesVersion: string[];
  key: string;
  kubespray?: string;
  kubesprayCommit?: string;
  arch: string[];
  os: BundleManifest['operatingSystems'];
  checksums?: string;
  mirror: Map<string, string>;
  python?: string;
  repos?: string;
  tools?: string;
  bundleId?: string;
  osMirror?: string;
  osCache?: string;
  osPackages: boolean;
  base?: string;
}

async function buildFromCommandLine(options: BuildCommandOptions): Promise<void> {
  const architectures = (options.arch.length > 0 ? options.arch : ['amd64']) as BundleManifest['architectures'];
  const steps: BundleBuildStep[] = [];
  if ((!options.filesList || !options.imagesList) && !options.kubespray) {
    throw coreError('invalid_params', 'cli.lists-or-kubespray', {}, 'kubespray');
  }
  // Read first: a wrong --base is refused before anything is downloaded.
  const base = options.base ? await readDeltaBase(options.base, resolve(options.out)) : undefined;
  const release = options.kubespray ? await openKubesprayRelease(options.kubespray) : undefined;
  try {
    const { files, images } = await downloadLists(options, release?.dir, architectures);
    if (release) steps.push(copyFolderStep('kubespray', release.dir, 'kubespray'));
    const checksums = await checksumsOf(options, release?.dir, files);
    if (options.python) steps.push(copyFolderStep('python wheels', options.python, 'python'));
    if (options.repos) steps.push(copyFolderStep('OS repositories', options.repos, 'repos'));
    else if (release && options.osPackages)
      steps.push(...osPackageSteps(release.dir, options.os, architectures, options));
    if (options.tools) steps.push(copyFolderStep('tools', options.tools, 'tools'));
    const { manifest, signature } = await buildBundle({
      outDir: resolve(options.out),
      bundleId:
        options.bundleId ??
        `ks-${options.kubesprayVersion}-k8s-${options.kubernetesVersion.join('+')}-${architectures.join('+')}`,
      kubespray: {
        version: options.kubesprayVersion,
        ...(options.kubesprayCommit ? { commit: options.kubesprayCommit } : {}),
      },
      kubernetesVersions: options.kubernetesVersion,
      architectures,
      operatingSystems: options.os,
      files,
      images,
      checksums,
      mirrors: options.mirror,
      steps,
      ...(base ? { base } : {}),
      privateKeyPem: await readFile(options.key, 'utf8'),
      passphrase: passphrase(),
      onProgress: printBuildProgress,
    });
    const delta = manifest.base
      ? ` (delta of ${manifest.base.bundleId}: ${manifest.base.files.length} file(s) reused from it)`
      : '';
    console.log(
      `Built ${manifest.bundleId}: ${manifest.files.length} files${delta}, ${manifest.images.length} images, signed by ${signature.keyFingerprint}`,
    );
  } finally {
    await release?.cleanup();
  }
}

/**
 * files.list and images.list from their files; a list a file does not give is rendered from the release for every
 * version and architecture asked for.
 */
async function downloadLists(
  options: BuildCommandOptions,
  releaseDir: string | undefined,
  architectures: BundleManifest['architectures'],
): Promise<{ files: URL[]; images: ReturnType<typeof parseImagesList> }> {
  const derived =
    releaseDir && (!options.filesList || !options.imagesList)
      ? await deriveKubesprayLists(
          releaseDir,
          options.kubernetesVersion.flatMap((kubernetesVersion) =>
            architectures.map((architecture) => ({ kubernetesVersion, architecture })),
          ),
        )
      : undefined;
  const files = options.filesList
    ? parseFilesList(await readFile(options.filesList, 'utf8'), options.filesList)
    : parseFilesList(derived!.files.join('\n'), 'files.list derived from --kubespray');
  const images = options.imagesList
    ? parseImagesList(await readFile(options.imagesList, 'utf8'), options.imagesList)
    : parseImagesList(derived!.images.join('\n'), 'images.list derived from --kubespray');
  if (derived) console.log(`Derived from the release: ${derived.files.length} files, ${derived.images.length} images.`);
  return { files, images };
}

/** kubespray's own published checksums first; a --checksums file overrides them. Downloads with none are named. */
async function checksumsOf(
  options: BuildCommandOptions,
  releaseDir: string | undefined,
  files: readonly URL[],
): Promise<Map<string, string>> {
  const checksums = new Map<string, string>();
  if (releaseDir)
    for (const [url, sha256] of await readKubesprayChecksums(releaseDir, files)) checksums.set(url, sha256);
  if (options.checksums)
    for (const [url, sha256] of parseChecksums(await readFile(options.checksums, 'utf8'))) checksums.set(url, sha256);
  const unchecked = files.filter((url) => !checksums.has(url.href));
  if (unchecked.length > 0)
    console.log(
      `No published checksum for ${unchecked.length} download(s); their sha256 is recorded as downloaded:\n  ${unchecked.map((url) => url.href).join('\n  ')}`,
    );
  return checksums;
}
