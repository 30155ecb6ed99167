import { z } from 'zod';
import { BundleBaseSchema, BundleManifestHeaderSchema } from './bundle';
import { networkPlugins } from './cluster-plan';

/** The newest manifest format this build reads; a newer one is refused with the version named. */
export const bundleFormatVersion = 3;
/** What a full bundle is written as (read by older Airsprays too). */
export const fullBundleFormatVersion = 2;
/** A delta names its base (format 3), so an Airspray that cannot join it to its base refuses it by version. */
export const deltaBundleFormatVersion = 3;

/** Files above this size are stored as parts so the stick can be FAT32 (its limit is 4 GiB - 1 byte). */
export const bundlePartBytes = 4 * 1024 * 1024 * 1024 - 1024 * 1024;

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a sha256)');
export const OciDigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>');

/** Relative, "/"-separated and free of control characters (sha256sum and find would escape or split those). */
function isRelativeWithoutControls(path: string): boolean {
  return !path.startsWith('/') && !path.includes('\\') && ![...path].some((char) => char < ' ' || char === '\u007f');
}

/** A path inside the bundle: relative, "/"-separated, no "..", no empty or hidden-dot segments. */
export const BundleRelativePathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (path) =>
      isRelativeWithoutControls(path) && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'must be a relative path with "/" separators, no control characters and no "." or ".." segments',
  );

/**
 * A symbolic link of the kubespray release (format 2). FAT32 has no links, so the stick holds none: the manifest
 * records them and the push recreates them on the deploy node.
 */
export const BundleLinkSchema = z.object({
  path: BundleRelativePathSchema,
  /** As the link holds it, resolved from the link's folder; relative, and it must stay inside kubespray/. */
  target: z
    .string()
    .min(1)
    .max(1024)
    .refine(isRelativeWithoutControls, 'must be a relative path with "/" separators and no control characters'),
});
export type BundleLink = z.infer<typeof BundleLinkSchema>;

export const bundleFileKinds = ['kubespray', 'file', 'image', 'repo', 'python', 'tool', 'other'] as const;

export const BundleFilePartSchema = z.object({
  path: BundleRelativePathSchema,
  size: z.number().int().nonnegative(),
  sha256: Sha256HexSchema,
});

export const BundleFileEntrySchema = z.object({
  path: BundleRelativePathSchema,
  size: z.number().int().nonnegative(),
  /** Of the whole file: what kubespray's own checksums name. */
  sha256: Sha256HexSchema,
  kind: z.enum(bundleFileKinds),
  /** The download URL the file answers (files/ only); its host and path are its place under files/. */
  url: z.url().optional(),
  /** The kubespray variable pointing at this file, e.g. kubeadm_download_url. */
  kubesprayVariable: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .optional(),
  /** Present when the file is stored split: the parts in order, each with its own hash (hashed in parallel). */
  parts: z.array(BundleFilePartSchema).min(2).optional(),
});
export type BundleFileEntry = z.infer<typeof BundleFileEntrySchema>;

export const BundleImageEntrySchema = z.object({
  /** As kubespray names it, e.g. quay.io/calico/node:v3.25.2. */
  reference: z.string().min(1).max(500),
  /** The repository the bundle registry serves it under (the reference without its registry host). */
  repository: z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/),
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/),
  /** Of the top manifest (an index when the image is multi-platform). */
  digest: OciDigestSchema,
  mediaType: z.string().min(1),
  platforms: z.array(z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/)).min(1),
});
export type BundleImageEntry = z.infer<typeof BundleImageEntrySchema>;

/** The plugins a bundle can carry: those a plan can choose, weave (older kubespray) and multus (beside another). */
export const networkPluginIds = [...networkPlugins, 'weave', 'multus'] as const;
export const NetworkPluginIdSchema = z.enum(networkPluginIds);

export const OperatingSystemSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.string().min(1).max(30),
});

/**
 * The full manifest.json (format version 2; version 1 is read too and has no links). It extends the header the
 * listing reads, so every manifest also parses as a header.
 */
export const BundleManifestSchema = BundleManifestHeaderSchema.extend({
  formatVersion: z.union([z.literal(1), z.literal(fullBundleFormatVersion), z.literal(deltaBundleFormatVersion)]),
  kubespray: z.object({
    version: z.string().min(1).max(50),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/)
      .optional(),
  }),
  architectures: z.array(z.enum(['amd64', 'arm64', 'arm', 'ppc64le'])).min(1),
  operatingSystems: z.array(OperatingSystemSchema),
  /** The network plugins whose files and images the bundle carries; the inventory offers only these. */
  networkPlugins: z.array(NetworkPluginIdSchema),
  files: z.array(BundleFileEntrySchema),
  images: z.array(BundleImageEntrySchema),
  /** The release's symbolic links (format 2); none on the stick itself. */
  links: z.array(BundleLinkSchema).optional(),
  /**
   * A delta bundle's base and the files it reuses from it (same path, size and sha256 there, lying in the base's
   * folder): `files` holds only what the delta adds or changes.
   */
  base: BundleBaseSchema.extend({ files: z.array(BundleFileEntrySchema) }).optional(),
});
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

/** Every file a bundle deploys: its own and, for a delta, those it reuses from its base; sorted by path. */
export function completeFiles(manifest: Pick<BundleManifest, 'files' | 'base'>): BundleFileEntry[] {
  const own = new Set(manifest.files.map((file) => file.path));
  const reused = (manifest.base?.files ?? []).filter((file) => !own.has(file.path));
  return [...manifest.files, ...reused].sort((a, b) => a.path.localeCompare(b.path));
}

/** The manifest with `files` complete (see completeFiles): what deploy and the download check read. */
export function completeManifest(manifest: BundleManifest): BundleManifest {
  return manifest.base ? { ...manifest, files: completeFiles(manifest) } : manifest;
}

/** Which kind a bundle path belongs to, from its top folder. */
export function bundleFileKindOf(path: string): BundleFileEntry['kind'] {
  const top = path.split('/')[0];
  switch (top) {
    case 'kubespray':
      return 'kubespray';
    case 'files':
      return 'file';
    case 'images':
      return 'image';
    case 'repos':
      return 'repo';
    case 'python':
      return 'python';
    case 'tools':
      return 'tool';
    default:
      return 'other';
  }
}
