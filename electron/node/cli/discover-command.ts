import { Command, InvalidArgumentError } from 'commander';
import { defaultConnectsPerSecond, SweepPortsSchema, SweepRateSchema } from '../../common/discovery';
import type { SweepResult } from '../../common/discovery';
import { addDiscoveredHosts } from '../projects/plan-from-access';
import { eachTarget, planTargets } from '../discovery/parse-targets';
import { sweep } from '../discovery/sweep';
import { collectSweepGarbageSooner } from '../discovery/sweep-heap';
import { describeSweepProgress, SweepMeter } from '../discovery/sweep-meter';
import { dataDirOption, openProject, runCommand, withRevisionOption, type ProjectOptions } from './cli-project';

interface DiscoverOptions {
  ports: number[];
  rate: number;
  json?: boolean;
  dataDir?: string;
  project?: string;
  revision?: number;
}

/** The exit code of a sweep stopped by Ctrl-C, as shells report a SIGINT. */
const interruptedExitCode = 130;
const progressEveryMs = 5000;

function parsePorts(value: string): number[] {
  const ports = value.split(',').map((part) => Number(part.trim()));
  const parsed = SweepPortsSchema.safeParse(ports);
  if (!parsed.success || ports.some((port) => !Number.isInteger(port))) {
    throw new InvalidArgumentError('--ports takes port numbers from 1 to 65535 separated by commas, such as 22,2222.');
  }
  return parsed.data;
}

function parseRate(value: string): number {
  const parsed = SweepRateSchema.safeParse(Number(value));
  if (!parsed.success) throw new InvalidArgumentError(`--rate ${value}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function registerDiscover(program: Command): void {
  withRevisionOption(
    program
      .command('discover')
      .description(
        'Sweep addresses for SSH: one line per address as it is classified (address, class, banner), or JSON; progress on stderr; Ctrl-C stops it. With --project, the SSH hosts go into its plan.',
      )
      .argument(
        '<target...>',
        'CIDR blocks, ranges (10.0.0.10-10.0.0.50 or 10.0.0.10-50), addresses or host names: a /16 at most, no two overlapping',
      )
      .option('--ports <ports>', 'ports to try, comma-separated', parsePorts, [22])
      .option(
        '--rate <n>',
        'connect attempts per second at most (lower it on a fragile network)',
        parseRate,
        defaultConnectsPerSecond,
      )
      .option('--json', 'print a JSON array')
      .option(
        '--project <name>',
        "add the hosts answering SSH on port 22 to this project's plan (named host-A-B-C-D until `facts --project` names them)",
      )
      .option(...dataDirOption),
  ).action((targets: string[], options: DiscoverOptions) => runCommand(() => discover(targets, options)));
}

/** Streams each result to stdout as it comes, a progress line to stderr every few seconds; Ctrl-C cancels. */
async function discover(targets: string[], options: DiscoverOptions): Promise<number> {
  const plan = planTargets(targets.join(' '));
  collectSweepGarbageSooner();
  const meter = new SweepMeter(plan.total);
  const sshHosts: SweepResult[] = [];
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  let shownAt = Date.now();
  if (options.json) process.stdout.write('[');
  const outcome = await sweep(eachTarget(plan), {
    ports: options.ports,
    connectsPerSecond: options.rate,
    signal: controller.signal,
    onResult: (result) => {
      if (options.json) process.stdout.write(`${meter.scanned > 0 ? ',' : ''}\n  ${JSON.stringify(result)}`);
      else console.log([result.address, result.class, result.banner ?? result.detail ?? ''].join('\t'));
      meter.record(result);
      if (result.class === 'ssh') sshHosts.push(result);
      if (Date.now() - shownAt < progressEveryMs) return;
      shownAt = Date.now();
      console.error(`airspray: ${describeSweepProgress(meter.now())}`);
    },
  }).finally(() => process.off('SIGINT', interrupt));
  if (options.json) process.stdout.write('\n]\n');
  if (outcome.cancelled) {
    console.error(
      `airspray: cancelled after ${meter.scanned} of ${plan.total} addresses; nothing was added to a plan.`,
    );
    return interruptedExitCode;
  }
  console.error(`airspray: ${plan.total} addresses swept, ${meter.found} answered SSH.`);
  if (options.project) await addSweptHosts({ ...options, project: options.project }, sshHosts);
  return 0;
}

/** Discover's SSH hosts on port 22 into the plan (the plan reaches hosts on 22 only). */
async function addSweptHosts(options: ProjectOptions, results: readonly SweepResult[]): Promise<void> {
  const { store, project, revision } = await openProject(options);
  const addresses = results.filter((result) => result.port === 22).map((result) => result.address);
  let added: string[] = [];
  await store.update(project.id, revision, (current) => {
    const outcome = addDiscoveredHosts(current.cluster, addresses);
    added = outcome.added;
    return { ...current, cluster: outcome.plan };
  });
  console.error(
    `airspray: ${added.length} host(s) added to ${project.name}${added.length > 0 ? `: ${added.join(', ')}` : ''}.`,
  );
}
