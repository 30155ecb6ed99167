// npm run lab -- up --hosts N | down | status
import { parseArgs } from 'node:util';
import { labDown, labStatus, labUp } from './lab';
import { acquireLabLock } from './lab-lock';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { hosts: { type: 'string', default: '4' } },
});
const log = (line: string) => console.error(`lab: ${line}`);

async function main(): Promise<void> {
  const lock = positionals[0] === 'status' ? undefined : await acquireLabLock();
  try {
    await runCommand();
  } finally {
    lock?.release();
  }
}

async function runCommand(): Promise<void> {
  switch (positionals[0]) {
    case 'up':
      console.log(JSON.stringify(await labUp(Number(values.hosts), log), null, 2));
      break;
    case 'down':
      await labDown();
      console.log('lab is down');
      break;
    case 'status':
      console.log(JSON.stringify(await labStatus(), null, 2));
      break;
    default:
      console.error('usage: npm run lab -- up [--hosts N] | down | status');
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(`lab: ${(error as Error).message}`);
  process.exit(1);
});
