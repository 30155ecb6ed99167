import { z } from 'zod';

/** Names the bundle's folder on the deploy node and its systemd units: letters, digits, ".", "_" and "-" only. */
const BundleIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must start with a letter or digit and hold only letters, digits, ".", "_" and "-" (it names folders and services on the deploy node)',
  );

/** A delta bundle's base (format 3): the bundle it needs beside it, by id and the sha256 of its manifest's bytes. */
export const BundleBaseSchema = z.object({
  bundleId: BundleIdSchema,
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a sha256)'),
});
export type BundleBase = z.infer<typeof BundleBaseSchema>;

/**
 * The part of a bundle's manifest.json the app reads to list bundles.
 * The full format, signature and verification belong to the bundle capability.
 */
export const BundleManifestHeaderSchema = z.object({
  formatVersion: z.number().int().positive(),
  bundleId: BundleIdSchema,
  createdAt: z.iso.datetime(),
  kubespray: z.object({ version: z.string().min(1).max(50) }),
  kubernetesVersions: z.array(z.string().min(1).max(50)).min(1).max(50),
  base: BundleBaseSchema.optional(),
});

export const BundleLocationSourceSchema = z.enum(['stick', 'data-dir', 'option']);

export const BundleFolderSchema = z.object({
  path: z.string(),
  folderName: z.string(),
  source: BundleLocationSourceSchema,
  /** The signature is checked by the bundle verifier; listing only says whether one is present. */
  hasSignature: z.boolean(),
  manifest: z.discriminatedUnion('state', [
    z.object({ state: z.literal('readable'), header: BundleManifestHeaderSchema }),
    z.object({ state: z.literal('unreadable'), problem: z.string() }),
  ]),
});
export type BundleFolder = z.infer<typeof BundleFolderSchema>;

export const BundleSearchResultSchema = z.object({
  searchedFolders: z.array(z.object({ path: z.string(), source: BundleLocationSourceSchema, exists: z.boolean() })),
  bundles: z.array(BundleFolderSchema),
});
export type BundleSearchResult = z.infer<typeof BundleSearchResultSchema>;
