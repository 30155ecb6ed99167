import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, bench, describe } from 'vitest';
import { remoteRunDir } from '../../../electron/node/runs/remote-run';
import { execOnHost } from '../../lab/lab';
import { hostAddress } from '../../lab/lab-network';
import { startServe } from '../../support/airspray-serve';
import { openApiClient } from '../../support/api-client';
import { launchChromium } from '../../support/chromium';
import { openProject } from '../../support/wizard-page';
import { createFixtureCluster, opsProfile } from '../../support/fixture-cluster';
import { kubesprayLog } from '../../support/kubespray-log';
import { BenchTimes, loadAverage } from '../../support/bench-times';
import { requireLab } from '../../support/lab';
import { stageRecordedRuns } from '../../support/recorded-run';
import { trustHosts } from '../../support/trust-hosts';

// One run, same lab host, same file: a 50 MiB recorded kubespray log streamed from the deploy node's run folder into
// the Operate step's xterm (airspray serve + Debian's Chromium, from opening the run until the terminal has written
// every byte), against OpenSSH reading the same file to /dev/null. The two take turns, each after a sync: writing
// back 50 MiB costs this machine's kernel up to a second of CPU, and without it the log staged on the host and the
// copies kept by earlier opens were written back during whichever measurement came 30 s later.
const run = promisify(execFile);
await requireLab();
const iterations = 3;
const log = kubesprayLog(50 * 1024 * 1024);
const logBytes = Buffer.byteLength(log);
const address = hostAddress(1);
const stamp = Date.now().toString(36);
// Newest first: the view opens on the first one (a warm-up), the bench opens the others from the run history.
const runIds = Array.from({ length: iterations + 1 }, (_, index) => `r-bench-${stamp}-${index}`);

const workDir = await mkdtemp(join(tmpdir(), 'airspray-terminal-bench-'));
const dataDir = join(workDir, 'data');
const serve = await startServe(['--data-dir', dataDir]);
const api = await openApiClient(Number(new URL(serve.url).port), serve.token);
const project = await createFixtureCluster(api, 'terminal-bench');
await api.call('projects.setStep', { id: project.id, step: 'operate', revision: project.revision });
const credential = await api.call('credentials.add', { credential: opsProfile, persist: false });
await trustHosts(api, project.id, credential.id, [1, 2, 3].map(hostAddress));
// Runs log in to the deploy node with the project's deploy key (kept in the server's memory here).
const keys = await api.call('deploy.bootstrapKeys', { projectId: project.id, credentialId: credential.id });
if (!keys.hosts.every((host) => host.ok)) throw new Error(`deploy key not installed: ${JSON.stringify(keys.hosts)}`);
// The test's own client would decode all 50 MiB of events too: gone before anything is timed.
api.close();
await stageRecordedRuns({ dataDir, projectId: project.id, cluster: project.name, hostIndex: 1, runIds, log });

const key = join(workDir, 'id_ed25519');
const knownHosts = join(workDir, 'known_hosts');
await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
await execOnHost(
  'lab1',
  `install -d -m 700 -o ops -g ops /home/ops/.ssh && echo '${publicKey}' >> /home/ops/.ssh/authorized_keys && chown ops: /home/ops/.ssh/authorized_keys && chmod 600 /home/ops/.ssh/authorized_keys`,
);
await run('sh', ['-c', `ssh-keyscan -t ed25519 ${address} > ${knownHosts} 2>/dev/null`]);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(serve.url);
await openProject(page, /terminal-bench/);

/** Resolves once the terminal of `runId` has written the whole log (its write callbacks counted every byte). */
const allWritten = (runId: string) =>
  page
    .locator(`[aria-label="Run ${runId}"] [role="log"][data-shown-bytes="${logBytes}"]`)
    .waitFor({ state: 'attached', timeout: 300_000 });
await allWritten(runIds[0]!);

/**
 * Clicks "Open run" in the page and resolves once the terminal's byte count reaches the log's size, checked every
 * frame there: Playwright's own click (actionability checks) and locator waits (polling up to every 500 ms) would
 * add their latency to the figure.
 */
const clickAndWaitForAllWritten = (runId: string) =>
  page.evaluate(
    ({ runId, logBytes }) =>
      new Promise<void>((resolve) => {
        document.querySelector<HTMLButtonElement>(`button[aria-label="Open run ${runId}"]`)!.click();
        const check = () => {
          const shown = document
            .querySelector(`[aria-label="Run ${runId}"] [role="log"]`)
            ?.getAttribute('data-shown-bytes');
          if (shown === String(logBytes)) resolve();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { runId, logBytes },
  );

let opened = 1;
afterAll(async () => {
  await browser.close();
  await serve.stop();
  await execOnHost('lab1', `rm -rf ${runIds.map(remoteRunDir).join(' ')}`);
});

const times = new BenchTimes();
/** The goal's own terms, once every measured open is in (the bench may call its teardown after a warm-up too). */
function printRatio(): void {
  if (!times.has('ssh', iterations)) return;
  const [airspray, ssh] = [times.mean('airspray'), times.mean('ssh')];
  console.log(
    `terminal, ${(logBytes / 1024 / 1024).toFixed(0)} MiB: airspray ${airspray.toFixed(2)} s (${times.range('airspray')}), ssh cat ${ssh.toFixed(2)} s (${times.range('ssh')}): ` +
      `airspray takes ${(airspray / ssh).toFixed(2)}x ssh cat's time (goal: at most 1.50x; each open reuses the login the one before left, as in the app); load average ${loadAverage()}`,
  );
}

describe(`terminal throughput: ${(logBytes / 1024 / 1024).toFixed(0)} MiB recorded kubespray log from lab1`, () => {
  // Jump scroll: xterm does not parse lines that scroll out of its scrollback before being painted; the screen and
  // scrollback end the same, and the count of bytes left unparsed is printed with each open.
  bench(
    'airspray: SSH follow -> airspray serve -> WebSocket -> xterm in Chromium, every byte written or skipped; then peer: ssh ops@lab1 cat log > /dev/null',
    async () => {
      const runId = runIds[opened++]!;
      await run('sync');
      await times.time('airspray', () => clickAndWaitForAllWritten(runId));
      const unparsed = Number(
        await page.locator(`[aria-label="Run ${runId}"] [role="log"]`).getAttribute('data-unparsed-bytes'),
      );
      console.log(
        `${runId}: jump scroll left ${(unparsed / 1024 / 1024).toFixed(1)} of ${(logBytes / 1024 / 1024).toFixed(1)} MiB unparsed`,
      );
      await run('sync');
      await times.time('ssh', () =>
        run('sh', [
          '-c',
          `ssh -i ${key} -o BatchMode=yes -o UserKnownHostsFile=${knownHosts} ops@${address} cat ${remoteRunDir(runIds[0]!)}/log > /dev/null`,
        ]),
      );
    },
    { iterations, time: 0, warmupIterations: 0, warmupTime: 0, teardown: printRatio },
  );
});
