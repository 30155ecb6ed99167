import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { BundleImageEntry } from '../../../common/bundle-manifest';
import { joinValues } from '../../../common/core-messages';
import type { ImageReference } from './kubespray-lists';
import { coreError } from '../../i18n/format-core-message';

export const manifestMediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const acceptHeader = Object.values(manifestMediaTypes).join(', ');
const isIndex = (mediaType: string) =>
  mediaType === manifestMediaTypes.ociIndex || mediaType === manifestMediaTypes.dockerList;

const DescriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});
const IndexSchema = z.object({
  mediaType: z.string().optional(),
  manifests: z.array(
    DescriptorSchema.extend({
      platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
    }),
  ),
});
const ImageManifestSchema = z.object({
  mediaType: z.string().optional(),
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema),
});
const ConfigSchema = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });

/** Writes into the Distribution registry's filesystem layout, so `docker-registry` serves it with no import. */
export class RegistryStorage {
  constructor(readonly root: string) {}

  private get v2(): string {
    return join(this.root, 'docker', 'registry', 'v2');
  }

  blobPath(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(this.v2, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }

  async hasBlob(digest: string): Promise<boolean> {
    return (await stat(this.blobPath(digest)).catch(() => undefined))?.isFile() ?? false;
  }

  /** Streams a blob in, checking its digest before it takes its place. */
  async putBlobStream(digest: string, body: Readable): Promise<void> {
    const target = this.blobPath(digest);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hasher, createWriteStream(temp));
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest)
        throw coreError('conflict', 'bundleBuild.blob-digest-differs', { digest, actual }, 'digest');
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async putBlob(digest: string, bytes: Buffer): Promise<void> {
    await this.putBlobStream(digest, Readable.from([bytes]));
  }

  private async link(path: string, digest: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, digest);
  }

  linkLayer(repository: string, digest: string): Promise<void> {
    return this.link(join(this.v2, 'repositories', repository, '_layers', 'sha256', digest.slice(7), 'link'), digest);
  }

  linkManifest(repository: string, digest: string): Promise<void> {
    return this.link(
      join(this.v2, 'repositories', repository, '_manifests', 'revisions', 'sha256', digest.slice(7), 'link'),
      digest,
    );
  }

  async tag(repository: string, tag: string, digest: string): Promise<void> {
    const tagDir = join(this.v2, 'repositories', repository, '_manifests', 'tags', tag);
    await this.link(join(tagDir, 'index', 'sha256', digest.slice(7), 'link'), digest);
    await this.link(join(tagDir, 'current', 'link'), digest);
  }
}

/** A minimal Distribution API client: anonymous bearer tokens, manifests by tag or digest, blobs streamed. */
class RegistryClient {
  private token: string | undefined;
  constructor(
    private readonly baseUrl: string,
    private readonly repository: string,
    private readonly signal?: AbortSignal,
  ) {}

  private async request(path: string, accept?: string): Promise<Response> {
    const url = `${this.baseUrl}/v2/${this.repository}/${path}`;
    const headers = (): Record<string, string> => ({
      ...(accept ? { accept } : {}),
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    });
    let response = await fetch(url, { headers: headers(), signal: this.signal });
    if (response.status === 401 && !this.token) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      await response.body?.cancel();
      this.token = await this.fetchToken(challenge);
      response = await fetch(url, { headers: headers(), signal: this.signal });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw coreError(
        'not_found',
        'bundleBuild.http-refused',
        { url, status: response.status, statusText: response.statusText },
        'imagesList',
      );
    }
    return response;
  }

  private async fetchToken(challenge: string): Promise<string> {
    if (!/^Bearer\s/i.test(challenge))
      throw coreError(
        'unsupported',
        'bundleBuild.registry-auth-unsupported',
        { registry: this.baseUrl, scheme: challenge.split(' ')[0] ?? '' },
        'imagesList',
      );
    const fields = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!.toLowerCase(), match[2]!]),
    );
    if (!fields.realm)
      throw coreError(
        'unsupported',
        'bundleBuild.registry-challenge-without-realm',
        { registry: this.baseUrl },
        'imagesList',
      );
    const tokenUrl = new URL(fields.realm);
    if (fields.service) tokenUrl.searchParams.set('service', fields.service);
    tokenUrl.searchParams.set('scope', fields.scope ?? `repository:${this.repository}:pull`);
    const response = await fetch(tokenUrl, { signal: this.signal });
    if (!response.ok)
      throw coreError(
        'not_found',
        'bundleBuild.token-service-refused',
        { service: tokenUrl.origin, status: response.status },
        'imagesList',
      );
    const body = z
      .object({ token: z.string().optional(), access_token: z.string().optional() })
      .parse(await response.json());
    const token = body.token ?? body.access_token;
    if (!token) throw coreError('not_found', 'bundleBuild.token-missing', { service: tokenUrl.origin }, 'imagesList');
    return token;
  }

  async manifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string }> {
    const response = await this.request(`manifests/${reference}`, acceptHeader);
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw coreError(
        'conflict',
        'bundleBuild.manifest-digest-differs',
        { reference, repository: this.repository, digest },
        'imagesList',
      );
    }
    const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    const mediaType =
      declared ?? response.headers.get('content-type')?.split(';')[0] ?? manifestMediaTypes.dockerManifest;
    return { bytes, digest, mediaType };
  }

  async blob(digest: string): Promise<Readable> {
    const response = await this.request(`blobs/${digest}`);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async blobBytes(digest: string): Promise<Buffer> {
    const response = await this.request(`blobs/${digest}`);
    return Buffer.from(await response.arrayBuffer());
  }
}

const platformName = (platform: { os: string; architecture: string; variant?: string }) =>
  [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');

export interface PullOptions {
  image: ImageReference;
  /** Registry base URL, e.g. https://quay.io or a loopback mirror. */
  baseUrl: string;
  storage: RegistryStorage;
  /** Children of an index outside these are left out of the bundle (the index itself is kept byte for byte). */
  architectures: readonly string[];
  signal?: AbortSignal;
  onBlob?(digest: string, state: 'fetched' | 'present'): void;
}

/** Pulls one image (an index and the children for the bundle's architectures) into the registry storage. */
export async function pullImage(options: PullOptions): Promise<BundleImageEntry> {
  const { image, storage } = options;
  const client = new RegistryClient(options.baseUrl, image.repository, options.signal);
  const top = await client.manifest(image.digest ?? image.tag);
  if (image.digest && top.digest !== image.digest)
    throw coreError(
      'conflict',
      'bundleBuild.image-digest-differs',
      { reference: image.reference, digest: top.digest },
      'imagesList',
    );

  const storeImageManifest = async (bytes: Buffer, digest: string): Promise<string> => {
    const manifest = ImageManifestSchema.parse(JSON.parse(bytes.toString('utf8')));
    for (const descriptor of [manifest.config, ...manifest.layers]) {
      if (await storage.hasBlob(descriptor.digest)) options.onBlob?.(descriptor.digest, 'present');
      else {
        await storage.putBlobStream(descriptor.digest, await client.blob(descriptor.digest));
        options.onBlob?.(descriptor.digest, 'fetched');
      }
      await storage.linkLayer(image.repository, descriptor.digest);
    }
    await storage.putBlob(digest, bytes);
    await storage.linkManifest(image.repository, digest);
    const config = ConfigSchema.parse(
      JSON.parse((await readFile(storage.blobPath(manifest.config.digest))).toString('utf8')),
    );
    return platformName(config);
  };

  let platforms: string[];
  if (isIndex(top.mediaType)) {
    const index = IndexSchema.parse(JSON.parse(top.bytes.toString('utf8')));
    const wanted = index.manifests.filter(
      (child) =>
        child.platform && child.platform.os === 'linux' && options.architectures.includes(child.platform.architecture),
    );
    if (wanted.length === 0) {
      throw coreError(
        'not_found',
        'bundleBuild.no-platform-manifest',
        { reference: image.reference, platforms: joinValues(options.architectures.map((arch) => `linux/${arch}`)) },
        'architectures',
      );
    }
    platforms = [];
    for (const child of wanted) {
      const fetched = await client.manifest(child.digest);
      await storeImageManifest(fetched.bytes, fetched.digest);
      platforms.push(platformName(child.platform!));
    }
    await storage.putBlob(top.digest, top.bytes);
    await storage.linkManifest(image.repository, top.digest);
  } else {
    platforms = [await storeImageManifest(top.bytes, top.digest)];
  }
  await storage.tag(image.repository, image.tag, top.digest);
  return {
    reference: image.reference,
    repository: image.repository,
    tag: image.tag,
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: [...new Set(platforms)],
  };
}
