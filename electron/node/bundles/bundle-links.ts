import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleLink } from '../../common/bundle-manifest';
import type { CoreMessage } from '../../common/core-messages';
import { coreError } from '../i18n/format-core-message';

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
 * Why a link cannot be carried (a core message), or undefined when it can: it must resolve inside kubespray/ to one
 * of `files` or to a folder holding some, and no file or other link may lie at or under its path.
 */
export function bundleLinkProblem(
  link: BundleLink,
  links: ReadonlyMap<string, string>,
  files: ReadonlySet<string>,
): CoreMessage | undefined {
  const { path, target } = link;
  if (target.startsWith('/')) return { id: 'bundle.link-absolute', params: { path, target, root: linkRoot } };
  const resolved = resolveBundleLink(link.path, links);
  if (resolved === undefined) return { id: 'bundle.link-outside', params: { path, target, root: linkRoot } };
  const under = (base: string, path: string) => path.startsWith(`${base}/`);
  if (
    files.has(link.path) ||
    [...files].some((file) => under(link.path, file)) ||
    [...links.keys()].some((other) => under(link.path, other))
  ) {
    return { id: 'bundle.link-and-file', params: { path } };
  }
  if (!files.has(resolved) && ![...files].some((file) => under(resolved, file)))
    return { id: 'bundle.link-dangling', params: { path, target, resolved } };
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
      const params = { path: link.path, target: link.target, root: linkRoot };
      throw coreError('invalid_params', 'bundle.link-escapes', params, 'kubespray');
    }
  }
}
