import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../electron/common/bundle-manifest';
import type { PushProgress } from '../../electron/common/deploy-api';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { cutLink, execOnHost, restoreLink } from '../lab/lab';
import { labAccounts } from '../lab/lab-network';
import { deployKeyOnLab1, labDeployNode } from '../support/deploy-key';
import { writeDeployBundle } from '../support/deploy-bundle';
import { requireLab } from '../support/lab';

const deployNode = labDeployNode;
const largeBytes = 50 * 1024 * 1024;

let workDir: string;
let bundle: { dir: string; manifest: BundleManifest };
let connect: () => Promise<Client>;

/** sha256 of every file under a folder on the node, as the node's own sha256sum sees it. */
async function nodeHashes(folder: string): Promise<Map<string, string>> {
  const out = await execOnHost(
    deployNode.name,
    `cd ${folder} && find . -path ./.airspray-push -prune -o -type f -print0 | xargs -0 sha256sum`,
  );
  return new Map(
    out
      .trim()
      .split('\n')
      .map((line) => [line.slice(66).replace(/^\.\//, ''), line.slice(0, 64)]),
  );
}

function expectAllOnNode(hashes: Map<string, string>) {
  expect(hashes.size).toBe(bundle.manifest.files.length + 2);
  for (const file of bundle.manifest.files) expect(hashes.get(file.path), file.path).toBe(file.sha256);
}

beforeAll(async () => {
  await requireLab();
  workDir = await mkdtemp(join(tmpdir(), 'airspray-deploy-push-'));
  bundle = await writeDeployBundle(join(workDir, 'bundle'), {
    largeFiles: 3,
    largeBytes,
    smallFiles: 3000,
    smallBytes: 2048,
  });
  ({ connect } = await deployKeyOnLab1(workDir, 'push'));
}, 120_000);

describe('bundle push to the deploy node (lab)', () => {
  it('pushes large and small files into /var/lib/airspray with sudo once, checks sha256 there, and a second push sends nothing', async () => {
    const progress: PushProgress[] = [];
    const first = await pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      connect,
      sudoPassword: labAccounts.ops.password,
      onProgress: (event) => progress.push(event),
    });
    const destination = `/var/lib/airspray/bundles/${bundle.manifest.bundleId}`;
    expect(first).toMatchObject({ destination, filesTotal: 3006, filesSent: 3006, filesSkipped: 0, reconnects: 0 });
    expect(first.bytesSent).toBeGreaterThanOrEqual(first.bytesToSend);
    expect(progress.map((event) => event.phase)).toContain('sending');
    expect(
      progress.some((event) => event.phase === 'sending' && event.rateBytesPerSecond > 0 && event.etaSeconds !== null),
    ).toBe(true);
    expect(progress.at(-1)).toMatchObject({
      phase: 'done',
      bytesDone: first.bytesToSend,
      bytesTotal: first.bytesToSend,
      filesDone: 3006,
    });
    expectAllOnNode(await nodeHashes(destination));
    expect(
      (await execOnHost(deployNode.name, `stat -c '%U %a' ${destination} /var/lib/airspray`)).trim().split('\n'),
    ).toEqual(['ops 755', 'root 755']);

    const second = await pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      connect,
      sudoPassword: undefined,
    });
    expect(second).toMatchObject({ filesSent: 0, filesSkipped: 3006, bytesToSend: 0, bytesSent: 0 });

    // A file changed on the node behind Airspray's back is found by its mtime and size, hashed, and replaced.
    await execOnHost(
      deployNode.name,
      `printf 'x' | dd of=${destination}/files/dl.k8s.io/release/v1.27.10/bin/linux/amd64/large-1 bs=1 seek=100 conv=notrunc status=none`,
    );
    const third = await pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      connect,
      sudoPassword: undefined,
    });
    expect(third).toMatchObject({ filesSent: 1, bytesToSend: largeBytes });
    expectAllOnNode(await nodeHashes(destination));
  });

  it('resumes after the link is cut mid-upload without resending acknowledged bytes, and ends with matching sha256', async () => {
    const destination = '/var/lib/airspray/bundles/resume-test';
    let cut = false;
    let restored: Promise<void> | undefined;
    const result = await pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      destination,
      connect,
      sudoPassword: labAccounts.ops.password,
      stallTimeoutMs: 2000,
      onProgress: (event) => {
        if (!cut && event.phase === 'sending' && event.bytesDone > event.bytesTotal * 0.4) {
          cut = true;
          restored = cutLink(deployNode.name)
            .then(() => new Promise((resolve) => setTimeout(resolve, 5000)))
            .then(() => restoreLink(deployNode.name));
        }
      },
    });
    await restored;
    expect(cut).toBe(true);
    expect(result.reconnects).toBeGreaterThanOrEqual(1);
    // Resending from scratch would add 40 % (over 60 MB); only what was in flight at the cut may travel twice (ssh2's
    // queue and the SSH window, 2 MiB each, the receiver's pipe and its 4 MiB buffer): well under this bound.
    const inFlightBound = 24 * 1024 * 1024;
    expect(result.bytesSent - result.bytesToSend).toBeLessThan(inFlightBound);
    expectAllOnNode(await nodeHashes(destination));
  }, 120_000);

  it('a push that gave up keeps a journal, and the next push resumes each large file from its acknowledged bytes', async () => {
    const destination = '/var/lib/airspray/bundles/journal-test';
    const journalPath = join(workDir, 'push-journal.json');
    let cut = false;
    const attempt = pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      destination,
      connect,
      journalPath,
      sudoPassword: labAccounts.ops.password,
      stallTimeoutMs: 1500,
      reconnectForMs: 1000,
      onProgress: (event) => {
        if (!cut && event.phase === 'sending' && event.bytesDone > event.bytesTotal * 0.5) {
          cut = true;
          void cutLink(deployNode.name);
        }
      },
    });
    await expect(attempt).rejects.toMatchObject({ i18n: { id: 'deploy.link-lost', params: { seconds: 1 } } });
    await restoreLink(deployNode.name);
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as {
      files: Record<string, { ranges: [number, number, number][] }>;
    };
    const acknowledgedIn = (ranges: [number, number, number][]) =>
      ranges.reduce((sum, [start, , acked]) => sum + acked - start, 0);
    const files = Object.values(journal.files);
    expect(acknowledgedIn(files.flatMap((file) => file.ranges))).toBeGreaterThan(30 * 1024 * 1024);
    // Files finished before the cut are found complete and skipped; the others go on from their acknowledged bytes.
    const acknowledged = acknowledgedIn(
      files.filter((file) => file.ranges.some(([, end, acked]) => acked < end)).flatMap((file) => file.ranges),
    );

    const resumed = await pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      destination,
      connect,
      journalPath,
      sudoPassword: undefined,
    });
    // Small files in flight at the cut, resent whole, are the only bytes beyond what the journal did not cover.
    expect(resumed.bytesSent).toBeLessThan(resumed.bytesToSend - acknowledged + 4 * 1024 * 1024);
    expectAllOnNode(await nodeHashes(destination));
    await expect(stat(journalPath)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);

  it('refuses a push that would not fit, with the numbers, before sending a byte, and leaves no receiver behind', async () => {
    const destination = '/var/lib/airspray/bundles/too-big';
    const attempt = pushBundle({
      bundleDir: bundle.dir,
      manifest: bundle.manifest,
      destination,
      connect,
      sudoPassword: labAccounts.ops.password,
      reserveBytes: 1024 ** 5,
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict',
      field: 'destination',
      i18n: {
        id: 'deploy.no-space',
        params: {
          free: expect.stringMatching(/^[\d.]+ GB$/) as string,
          needed: expect.stringMatching(/^1[56]\d\.\d MB$/) as string,
          reserve: '1125899.91 GB',
        },
      },
    });
    expect((await execOnHost(deployNode.name, `find ${destination} -type f | wc -l`)).trim()).toBe('0');
  });
});
