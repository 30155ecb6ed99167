import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startTestFileServer, type TestFileServer } from './bundle-lab';

const run = promisify(execFile);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface StandInDownloads {
  web: TestFileServer;
  /** Each URL's stand-in, as served. */
  contents: Map<string, Buffer>;
  /** A sha256sum-style file naming each URL (for `bundle build --checksums`). */
  checksumsFile: string;
  /** `--mirror HOST=URL` for every host the URLs name. */
  mirrorArgs: string[];
}

/**
 * The internet as a build machine sees it, on loopback: every URL a small stand-in at its path. An archive is a
 * real tar.gz: kubespray unpacks some while downloading, calico's CRDs from its libcalico-go/config/crd/ folder.
 */
export async function serveStandInDownloads(work: string, urls: readonly string[]): Promise<StandInDownloads> {
  const webRoot = join(work, 'web');
  const contents = new Map<string, Buffer>();
  for (const href of urls) {
    const url = new URL(href);
    const content = /\.(tar\.gz|tgz)$/.test(url.pathname)
      ? await standInArchive(work, href)
      : Buffer.from(`stand-in for ${href}\n`);
    await mkdir(dirname(join(webRoot, url.host, url.pathname)), { recursive: true });
    await writeFile(join(webRoot, url.host, url.pathname), content);
    contents.set(href, content);
  }
  const checksumsFile = join(work, 'checksums.txt');
  await writeFile(checksumsFile, [...contents].map(([href, content]) => `${sha256(content)}  ${href}\n`).join(''));
  const web = await startTestFileServer(webRoot);
  const hosts = [...new Set(urls.map((href) => new URL(href).host))];
  return {
    web,
    contents,
    checksumsFile,
    mirrorArgs: hosts.flatMap((host) => ['--mirror', `${host}=${web.url}/${host}`]),
  };
}

async function standInArchive(work: string, href: string): Promise<Buffer> {
  const dir = await mkdtemp(join(work, 'archive-'));
  await mkdir(join(dir, 'stand-in/libcalico-go/config/crd'), { recursive: true });
  await writeFile(join(dir, 'stand-in/libcalico-go/config/crd/stand-in.yaml'), `# stand-in for ${href}\n`);
  await run('tar', ['-czf', join(dir, 'archive.tar.gz'), '-C', dir, 'stand-in']);
  return readFile(join(dir, 'archive.tar.gz'));
}
