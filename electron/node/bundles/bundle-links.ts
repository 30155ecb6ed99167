import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleLink } from '../../common/bundle-manifest';
import { AirsprayError } from '../../common/errors';

/** The only folder whose links a bundle carries: kubespray's release ships some, and ansible needs them. */
export const linkRoot = 'kubespray';
/** Enough for any real chain; more means a loop. */
const maxLinkHops = 40;

/**
 * Where a bundle link leads, following links through the chain: a bundle-relative path, or undefined when the
 * path leaves kubespray/ at any step, is absolute, or loops.
 */
export function resolveBundleLink(path: string, links: ReadonlyMap<string, string>): string | undefined {
  const resolved = path.split('/').slice(0, -1);
  let pending = (links.get(path) ?? '').split('/');
  let hops = 0;
  if (resolved[0] !== linkRoot) return undefined;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      if (resolved.length === 0) return undefined;
      continue;
    }
    resolved.push(part);
    const target = links.get(resolved.join('/'));
    if (target === undefined) continue;
    hops += 1;
    if (hops > maxLinkHops || target.startsWith('/')) return undefined;
    resolved.pop();
    pending = [...target.split('/'), ...pending];
  }
  return resolved.length > 0 ? resolved.join('/') : undefined;
}

/**
 * Why a link cannot be carried, or undefined when it can: it must resolve inside kubespray/ to one of `files` or
 * to a folder holding some, and no file or other link may lie at or under its path.
 */
export function bundleLinkProblem(
  link: BundleLink,
  links: ReadonlyMap<string, string>,
  files: ReadonlySet<string>,
): string | undefined {
  if (link.target.startsWith('/'))
    return `${link.path} points to the absolute path ${link.target}; a bundle carries only relative links inside ${linkRoot}/.`;
  const resolved = resolveBundleLink(link.path, links);
  if (resolved === undefined)
    return `${link.path} -> ${link.target} leads outside ${linkRoot}/ (or loops); a bundle carries only links inside ${linkRoot}/.`;
  const under = (base: string, path: string) => path.startsWith(`${base}/`);
  if (
    files.has(link.path) ||
    [...files].some((file) => under(link.path, file)) ||
    [...links.keys()].some((other) => under(link.path, other))
  ) {
    return `${link.path} is listed both as a link and as a file or folder.`;
  }
  if (!files.has(resolved) && ![...files].some((file) => under(resolved, file)))
    return `${link.path} -> ${link.target} leads to ${resolved}, which the bundle does not hold.`;
  return undefined;
}

/** Every symbolic link under `dir` (not following any), named `prefix/<relative path>`; .git is skipped. */
export async function readFolderLinks(dir: string, prefix: string): Promise<BundleLink[]> {
  const links: BundleLink[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) links.push({ path: `${prefix}/${path}`, target: await readlink(join(dir, path)) });
      else if (entry.isDirectory() && entry.name !== '.git') await walk(path);
    }
  };
  await walk('');
  return links.sort((a, b) => a.path.localeCompare(b.path));
}

/** Refuses, naming the link, any that is absolute or leads outside kubespray/ (following chains). */
export function refuseEscapingLinks(links: readonly BundleLink[]): void {
  const byPath = new Map(links.map((link) => [link.path, link.target]));
  for (const link of links) {
    if (link.target.startsWith('/') || resolveBundleLink(link.path, byPath) === undefined) {
      throw new AirsprayError(
        'invalid_params',
        `The symbolic link ${link.path} -> ${link.target} leads outside ${linkRoot}/: a bundle carries only relative links inside it.`,
        'kubespray',
      );
    }
  }
}
