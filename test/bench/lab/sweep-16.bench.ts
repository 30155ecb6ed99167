import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { defaultConnectsPerSecond } from '../../../electron/common/discovery';
import { labUp } from '../../lab/lab';
import { sweepRangeCidr, sweepRangeNonSshAddress, sweepRangeResetAddresses } from '../../lab/lab-network';
import { repoRoot } from '../../support/airspray-serve';
import { BenchTimes, loadAverage } from '../../support/bench-times';
import { requireLab } from '../../support/lab';

// The /16 the sink owns (nearly all silent: three addresses reset, one is a non-SSH service), swept by the CLI at
// its default rate and at a rate raised for a quiet network, and by the tuned nmap an operator runs on a large
// range: the three take turns within one bench task. Needs root (the lab) and a built app (npm run build).
await labUp(1);
await requireLab();

const fastRate = 10_000;
const nmapArgs = ['-sT', '-p22', '-n', '-Pn', '-T4', '--min-rate', '2000', '--max-retries', '1', sweepRangeCidr];

/** Runs a command under GNU time, stdout counted by class, and answers its peak RSS in MB. */
function measured(command: string, args: string[]): Promise<{ rssMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kb=%M', command, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const rss = /peak-rss-kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ rssMb: Number(rss[1]) / 1024, stdout });
    });
  });
}

const peakRss = new Map<string, number>();

/** The sweep, checked: every address reported once, the resets and the service found, the rest silent. */
async function airspray(name: string, rate: number): Promise<void> {
  const { rssMb, stdout } = await measured(process.execPath, [
    join(repoRoot, 'bin', 'airspray.cjs'),
    'discover',
    sweepRangeCidr,
    '--rate',
    String(rate),
  ]);
  peakRss.set(name, Math.max(peakRss.get(name) ?? 0, rssMb));
  const lines = stdout.trimEnd().split('\n');
  const count = (kind: string) => lines.filter((line) => line.split('\t')[1] === kind).length;
  const closed = lines
    .filter((line) => line.endsWith('\tclosed\tconnection refused'))
    .map((line) => line.split('\t')[0]);
  if (
    lines.length !== 65_534 ||
    count('open-not-ssh') !== 1 ||
    !stdout.includes(`${sweepRangeNonSshAddress}\topen-not-ssh`) ||
    closed.sort().join() !== [...sweepRangeResetAddresses].sort().join() ||
    count('silent') !== 65_534 - 4
  )
    throw new Error(`the sweep of ${sweepRangeCidr} misclassified addresses: ${lines.length} lines`);
}

// One pair: the three sides take about two minutes together, and the lab is shared.
const iterations = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };
const times = new BenchTimes(0);

function printRatio(): void {
  if (!times.has('nmap', iterations.iterations)) return;
  const line = (name: string) =>
    `${times.mean(name).toFixed(1)} s (${times.range(name)}), peak RSS ${peakRss.get(name)!.toFixed(0)} MB, ` +
    `${(times.mean(name) / times.mean('nmap')).toFixed(2)}x nmap's time`;
  console.log(
    `sweep of ${sweepRangeCidr} port 22: airspray at the default ${defaultConnectsPerSecond}/s ${line('default')}; ` +
      `airspray --rate ${fastRate} ${line('fast')}; nmap ${nmapArgs.slice(0, -1).join(' ')} ` +
      `${times.mean('nmap').toFixed(1)} s (${times.range('nmap')}), peak RSS ${peakRss.get('nmap')!.toFixed(0)} MB ` +
      `(goal: at most 0.25x, RSS under 200 MB); load average ${loadAverage()}`,
  );
}

describe(`sweep of the silent /16 ${sweepRangeCidr}`, () => {
  bench(
    `airspray discover at ${defaultConnectsPerSecond}/s and at ${fastRate}/s, then nmap -T4 --min-rate 2000 --max-retries 1`,
    async () => {
      await times.time('default', () => airspray('default', defaultConnectsPerSecond));
      await times.time('fast', () => airspray('fast', fastRate));
      await times.time('nmap', async () => {
        const { rssMb } = await measured('nmap', nmapArgs);
        peakRss.set('nmap', Math.max(peakRss.get('nmap') ?? 0, rssMb));
      });
    },
    { ...iterations, teardown: printRatio },
  );
});
