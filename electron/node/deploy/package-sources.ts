import type { Client } from 'ssh2';
import type { z } from 'zod';
import type { PackageSourcesOutcomeSchema } from '../../common/deploy-api';
import { quoteShellArg } from '../ssh/shell-quote';
import type { ExecResult } from '../ssh/ssh-connection';
import type { DeployContext } from './deploy-context';
import { onEachHost, type KeySession } from './deploy-operations';
import type { DeployHost } from './key-bootstrap';
import { execAsRoot, sudoPasswordOf } from './remote-shell';
import { savedSourcesDir } from './remote-layout';
import { coreError } from '../i18n/format-core-message';

/** One host after its apt sources were pointed at the deploy node, or put back. */
export type PackageSourcesOutcome = z.infer<typeof PackageSourcesOutcomeSchema>;

/** Where a host's own sources wait while it uses the deploy node's repository; it exists only complete. */
const offlineSourceName = 'airspray-offline.list';

/** The base URL repos/ is served under: the deploy node's file server (offline-services.ts links repos/ there). */
export function reposBaseUrl(context: DeployContext): string {
  return `http://${context.endpoints.address}:${context.endpoints.filesPort}/repos`;
}

/** Where the scripts work: the host's real paths, or a scratch tree in tests. */
export interface SourcesPaths {
  aptDir: string;
  savedDir: string;
  osRelease: string;
}

const hostPaths: SourcesPaths = { aptDir: '/etc/apt', savedDir: savedSourcesDir, osRelease: '/etc/os-release' };

/**
 * Shell functions both scripts share. Every line the caller reads starts with "airspray-sources:". The
 * sources.list.d folder is replaced whole: the new one is staged beside it, then renamed in.
 */
const sharedFunctions = (paths: SourcesPaths) => [
  `apt_dir=${quoteShellArg(paths.aptDir)}`,
  `saved=${quoteShellArg(paths.savedDir)}`,
  'say() { echo "airspray-sources: $*"; }',
  'swap_in() {',
  '  rm -rf "$apt_dir/sources.list.d.airspray-old"',
  '  if [ -e "$apt_dir/sources.list.d" ]; then mv "$apt_dir/sources.list.d" "$apt_dir/sources.list.d.airspray-old" || return 1; fi',
  '  if ! mv "$1" "$apt_dir/sources.list.d"; then mv "$apt_dir/sources.list.d.airspray-old" "$apt_dir/sources.list.d"; return 1; fi',
  '  rm -rf "$apt_dir/sources.list.d.airspray-old"',
  '}',
  'list_saved() { (cd "$saved" && find sources.list sources.list.d -type f 2>/dev/null) | sed "s|^|airspray-sources: $1 $apt_dir/|"; }',
  // Puts the saved sources back, checks them byte for byte, and only then forgets the saved copy.
  'restore() {',
  '  [ -f "$saved/complete" ] || { say no-saved "$saved"; return 3; }',
  '  rm -rf "$apt_dir/sources.list.d.airspray-restore"',
  '  cp -a "$saved/sources.list.d" "$apt_dir/sources.list.d.airspray-restore" || { say not-restored "$apt_dir/sources.list.d"; return 4; }',
  '  if [ -e "$saved/sources.list" ]; then',
  '    { cp -a "$saved/sources.list" "$apt_dir/sources.list.airspray-tmp" && mv -f "$apt_dir/sources.list.airspray-tmp" "$apt_dir/sources.list"; } || { say not-restored "$apt_dir/sources.list"; return 4; }',
  '  else rm -f "$apt_dir/sources.list"; fi',
  '  swap_in "$apt_dir/sources.list.d.airspray-restore" || { say not-restored "$apt_dir/sources.list.d"; return 4; }',
  '  if [ -e "$saved/sources.list" ] && ! cmp -s "$saved/sources.list" "$apt_dir/sources.list"; then say not-restored "$apt_dir/sources.list"; return 4; fi',
  '  differs=$(diff -rq "$saved/sources.list.d" "$apt_dir/sources.list.d" 2>&1) || { say not-restored "$apt_dir/sources.list.d" "$differs"; return 4; }',
  '  list_saved restored',
  '  rm -rf "$saved"',
  '}',
];

/**
 * Root script: saves the host's sources once (a second point keeps the first, true originals), writes the one
 * source for its OS, and proves it with apt-get update. Any failure after the save puts the originals back.
 */
export function pointScript(baseUrl: string, served: readonly string[], paths = hostPaths): string {
  return [
    ...sharedFunctions(paths),
    `. ${quoteShellArg(paths.osRelease)} 2>/dev/null || { say no-os-release; exit 7; }`,
    'os="$ID-$VERSION_ID"',
    `case ${quoteShellArg(` ${served.join(' ')} `)} in *" $os "*) say os "$os" ;; *) say unsupported-os "$os"; exit 7 ;; esac`,
    `url=${quoteShellArg(baseUrl)}/"$os"`,
    'if [ ! -f "$saved/complete" ]; then',
    '  rm -rf "$saved.tmp" && mkdir -p "$saved.tmp" || { say not-saved "$saved"; exit 5; }',
    '  { [ ! -e "$apt_dir/sources.list" ] || cp -a "$apt_dir/sources.list" "$saved.tmp/"; } &&',
    '    { if [ -d "$apt_dir/sources.list.d" ]; then cp -a "$apt_dir/sources.list.d" "$saved.tmp/"; else mkdir "$saved.tmp/sources.list.d"; fi; } &&',
    '    touch "$saved.tmp/complete" && sync && mv "$saved.tmp" "$saved" || { rm -rf "$saved.tmp"; say not-saved "$saved"; exit 5; }',
    '  list_saved saved',
    'else say kept-saved "$saved"; fi',
    'new="$apt_dir/sources.list.d.airspray-new"',
    `rm -rf "$new" && mkdir "$new" && printf 'deb [trusted=yes] %s ./\\n' "$url" > "$new/${offlineSourceName}" && chmod 644 "$new"/* &&`,
    `  printf '# Airspray: apt uses sources.list.d/${offlineSourceName} (the deploy node); the original sources are in %s until restored.\\n' "$saved" > "$apt_dir/sources.list.airspray-tmp" &&`,
    '  chmod 644 "$apt_dir/sources.list.airspray-tmp" && mv -f "$apt_dir/sources.list.airspray-tmp" "$apt_dir/sources.list" && swap_in "$new" ||',
    '  { rm -rf "$new"; say not-written "$apt_dir/sources.list.d"; restore; exit 5; }',
    `say wrote "$apt_dir/sources.list.d/${offlineSourceName}"`,
    'if ! update=$(DEBIAN_FRONTEND=noninteractive apt-get update 2>&1); then',
    '  printf "%s\\n" "$update" | grep -E "^(E|W|Err):" | tail -n 3 | sed "s/^/airspray-sources: apt /"',
    '  say update-failed "$url"; restore; exit 6',
    'fi',
    'say pointed "$url"',
  ].join('\n');
}

export function restoreScript(paths = hostPaths): string {
  return [...sharedFunctions(paths), 'restore || exit $?', 'say restored-all'].join('\n');
}

interface ScriptLine {
  word: string;
  rest: string;
}

const scriptLines = (stdout: string): ScriptLine[] =>
  [...stdout.matchAll(/^airspray-sources: (\S+) ?(.*)$/gm)].map((match) => ({ word: match[1]!, rest: match[2]! }));

const restOf = (lines: readonly ScriptLine[], word: string) => lines.find((line) => line.word === word)?.rest;
const pathsOf = (lines: readonly ScriptLine[], word: string) =>
  lines.filter((line) => line.word === word).map((line) => line.rest);

/** What a failed script said, in the operator's words, naming the path it could not write or put back. */
function failureMessage(lines: readonly ScriptLine[], stderr: string, code: number | null): string {
  const apt = pathsOf(lines, 'apt').join(' / ');
  const problems: Record<string, (rest: string) => string> = {
    'no-os-release': () => "The host has no /etc/os-release: cannot tell which of the bundle's repositories fits it.",
    'unsupported-os': (os) =>
      `The host runs ${os}, which the bundle has no repository for: build the bundle with --os ${os}.`,
    'not-saved': (path) => `Could not save the host's sources to ${path} (nothing was changed): check the disk there.`,
    'not-written': (path) => `Could not write ${path}; the host's own sources were put back.`,
    'update-failed': (url) =>
      `apt-get update could not read ${url} (${apt || 'no detail'}); the host's own sources were put back. Check that the deploy node's file server runs (airspray deploy services).`,
    'no-saved': (path) =>
      `No saved sources at ${path}: this host's sources were not pointed by Airspray, nothing to restore.`,
    'not-restored': (path) =>
      `Could not restore ${path.split(' ')[0]}${path.includes(' ') ? ` (${path.slice(path.indexOf(' ') + 1)})` : ''}: the saved originals stay in ${savedSourcesDir}; copy them back by hand.`,
  };
  const failed = [...lines].reverse().find((line) => line.word in problems);
  if (failed) return problems[failed.word]!(failed.rest);
  const detail = stderr.trim().split('\n').slice(-2).join(' / ');
  return `The sources script failed (exit ${code}): ${detail || 'no output'}. Check the profile's sudo password on the Access step.`;
}

/** A host's outcome from what its script printed; `done` is the word the script ends on when all went well. */
export function sourcesOutcome(
  host: DeployHost,
  result: ExecResult,
  done: 'pointed' | 'restored-all',
): PackageSourcesOutcome {
  const lines = scriptLines(result.stdout);
  const ok = result.code === 0 && lines.some((line) => line.word === done);
  return {
    name: host.name,
    address: host.address,
    ok,
    os: restOf(lines, 'os') ?? null,
    url: done === 'pointed' ? (restOf(lines, 'pointed') ?? null) : null,
    saved: pathsOf(lines, 'saved'),
    restored: pathsOf(lines, 'restored'),
    wrote: ok ? pathsOf(lines, 'wrote') : [],
    ...(ok ? {} : { message: failureMessage(lines, result.stderr, result.code) }),
  };
}

async function runOnHost(
  client: Client,
  host: DeployHost,
  script: string,
  sudoPassword: string | undefined,
  done: 'pointed' | 'restored-all',
): Promise<PackageSourcesOutcome> {
  return sourcesOutcome(host, await execAsRoot(client, script, sudoPassword), done);
}

async function onHosts(
  planHosts: readonly DeployHost[],
  session: KeySession,
  only: readonly string[] | undefined,
  script: string,
  done: 'pointed' | 'restored-all',
): Promise<{ ok: boolean; hosts: PackageSourcesOutcome[] }> {
  const unknown = only?.find((name) => !planHosts.some((host) => host.name === name));
  if (unknown !== undefined) throw coreError('invalid_params', 'deploy.host-not-in-plan', { host: unknown }, 'hosts');
  const targets = only ? planHosts.filter((host) => only.includes(host.name)) : planHosts;
  const sudoPassword = sudoPasswordOf(session.credential);
  const hosts = await onEachHost(
    targets,
    session,
    (client, host) => runOnHost(client, host, script, sudoPassword, done),
    (host, reason): PackageSourcesOutcome => ({
      name: host.name,
      address: host.address,
      ok: false,
      os: null,
      url: null,
      saved: [],
      restored: [],
      wrote: [],
      message: `No SSH session with the deploy key: ${reason}`,
    }),
  );
  return { ok: hosts.every((host) => host.ok), hosts };
}

/** The OS repositories the bundle carries (repos/ID-VERSION/Packages), by name. */
export function servedRepositories(context: DeployContext): string[] {
  return context.manifest.files
    .map((file) => /^repos\/([^/]+)\/Packages$/.exec(file.path)?.[1])
    .filter((name): name is string => name !== undefined);
}

/**
 * Points every host's apt at the deploy node's repository for its OS, over the deploy key's SSH session with
 * sudo: the host's own sources are saved aside first, and put back on any failure.
 */
export async function pointPackageSources(
  context: DeployContext,
  session: KeySession,
  only?: readonly string[],
): Promise<{ ok: boolean; hosts: PackageSourcesOutcome[] }> {
  const served = servedRepositories(context);
  if (served.length === 0) {
    throw coreError('conflict', 'deploy.no-os-packages', { bundle: context.manifest.bundleId }, 'bundle');
  }
  return onHosts(context.hosts, session, only, pointScript(reposBaseUrl(context), served), 'pointed');
}

/**
 * Puts back the sources pointPackageSources saved, byte for byte; a host that cannot be restored is named with the
 * path. Needs the plan's hosts only, not the bundle: the stick may be gone by then.
 */
export function restorePackageSources(
  planHosts: readonly DeployHost[],
  session: KeySession,
  only?: readonly string[],
): Promise<{ ok: boolean; hosts: PackageSourcesOutcome[] }> {
  return onHosts(planHosts, session, only, restoreScript(), 'restored-all');
}
