import { bench, describe } from 'vitest';
import { AnsibleOutputParser } from '../../electron/node/runs/ansible-output-parser';
import { BenchTimes, loadAverage } from '../support/bench-times';
import { kubesprayLog } from '../support/kubespray-log';

// The run digest's parser on one core: a kubespray-shaped log of a 100-host run (coloured results, profile_tasks
// timestamps, loop items), pushed in the 64 KiB chunks an SSH channel hands over. The goal: 100 MB/s.
const log = kubesprayLog(64 * 1024 * 1024, 100);
const chunkSize = 64 * 1024;
const chunks: string[] = [];
for (let at = 0; at < log.length; at += chunkSize) chunks.push(log.slice(at, at + chunkSize));
const megabytes = Buffer.byteLength(log) / 1e6;

const measured = { iterations: 8, warmupIterations: 2, warmupTime: 0, time: 0 };
const times = new BenchTimes(measured.warmupIterations);

async function parseLog(): Promise<void> {
  const cpuBefore = process.cpuUsage();
  await times.time('parser', async () => {
    const parser = new AnsibleOutputParser();
    for (const chunk of chunks) parser.push(chunk);
    const digest = parser.end();
    // A parser that read nothing would be fast: the recap must name every host.
    if (Object.keys(digest.hosts).length !== 100)
      throw new Error(`digest has ${Object.keys(digest.hosts).length} hosts`);
  });
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time as well as wall time: on a machine shared by a dozen processes the wall clock counts their turns too.
  times.add('parser cpu', (cpu.user + cpu.system) / 1e6);
  if (!times.has('parser', measured.iterations)) return;
  console.log(
    `Ansible output parser, ${megabytes.toFixed(1)} MB log of 100 hosts: ${(megabytes / times.mean('parser')).toFixed(0)} MB/s ` +
      `(${times.range('parser')} a pass); ${(megabytes / times.mean('parser cpu')).toFixed(0)} MB per CPU second; ` +
      `load ${loadAverage()}`,
  );
}

describe('Ansible output parser', () => {
  bench('100-host kubespray log, 64 KiB chunks', parseLog, measured);
});
