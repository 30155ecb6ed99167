// npm run lab -- up --hosts N | down | status | costs
import { parseArgs } from 'node:util';
import { labCosts, labDown, labStatus, labUp, type HostCost } from './lab';
import { acquireLabLock } from './lab-lock';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { hosts: { type: 'string', default: '4' } },
});
const log = (line: string) => console.error(`lab: ${line}`);

async function main(): Promise<void> {
  const lock = ['status', 'costs'].includes(positionals[0] ?? '') ? undefined : await acquireLabLock();
  try {
    await runCommand();
  } finally {
    lock?.release();
  }
}

async function runCommand(): Promise<void> {
  switch (positionals[0]) {
    case 'up': {
      const startedAt = Date.now();
      console.log(JSON.stringify(await labUp(Number(values.hosts), log), null, 2));
      log(`up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      break;
    }
    case 'costs':
      printCosts(await labCosts());
      break;
    case 'down':
      await labDown();
      console.log('lab is down');
      break;
    case 'status':
      console.log(JSON.stringify(await labStatus(), null, 2));
      break;
    default:
      console.error('usage: npm run lab -- up [--hosts N] | down | status | costs');
      process.exit(2);
  }
}

/** Per host and in total: the PSS of its processes and the size of its writable layer. */
function printCosts(costs: HostCost[]): void {
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  for (const cost of costs)
    console.log(
      `${cost.name}\t${cost.processes} processes\t${mib(cost.pssKiB)} MiB PSS\t${mib(cost.diskKiB)} MiB disk`,
    );
  const total = (key: 'pssKiB' | 'diskKiB') => costs.reduce((sum, cost) => sum + cost[key], 0);
  const each = (key: 'pssKiB' | 'diskKiB') => mib(costs.length ? total(key) / costs.length : 0);
  console.log(
    `${costs.length} hosts: ${mib(total('pssKiB'))} MiB PSS (${each('pssKiB')} each), ` +
      `${mib(total('diskKiB'))} MiB disk (${each('diskKiB')} each)`,
  );
}

main().catch((error: unknown) => {
  console.error(`lab: ${(error as Error).message}`);
  process.exit(1);
});
