import { afterAll, bench, describe, expect } from 'vitest';
import type { RunRecord } from '../../../electron/common/run';
import { hostKeyStoreFor } from '../../../electron/node/access/access-handlers';
import { DeployKeyStore } from '../../../electron/node/deploy/deploy-key-store';
import { ProjectStore } from '../../../electron/node/projects/project-store';
import { ansibleSshArgs, playbookCommand, remoteRunDir } from '../../../electron/node/runs/remote-run';
import { quoteShellArg as q } from '../../../electron/node/ssh/shell-quote';
import { connectSsh, execCommand } from '../../../electron/node/ssh/ssh-connection';
import { hostAddress, labAccounts } from '../../lab/lab-network';
import { BenchTimes, loadAverage } from '../../support/bench-times';
import { requireLab } from '../../support/lab';
import { openRealKubesprayLab } from '../../support/real-kubespray-lab';

// The appliance's overhead on the real run: `airspray run cluster.yml --tags bootstrap-os,preinstall,download` (the
// CLI from its start to its exit: login, inventory, the unit, the followed log, the digest) against ansible-playbook
// started by hand over SSH on the deploy node with the same inventory, tags, variables, environment and deploy key.
// They take turns, each pair in the other order, after one warm-up pair (the first run installs the packages).
await requireLab();
const lab = await openRealKubesprayLab();
afterAll(() => lab.close(), 600_000);

const projects = new ProjectStore(lab.dataDir);
const keys = new DeployKeyStore((projectId) => projects.projectFolder(projectId));

async function lastRun(): Promise<RunRecord> {
  const [record] = JSON.parse((await lab.step('runs', 'list', ...lab.projectArgs(), '--json')).stdout) as RunRecord[];
  return record!;
}

async function airsprayRun(): Promise<void> {
  const result = await lab.cli(...(await lab.runArgs()));
  expect(result.code, result.stderr.slice(-2000)).toBe(0);
}

const byHandDir = '/tmp/airspray-by-hand';

/** What an operator types on the deploy node: an agent with the deploy key, then the run's own command line. */
function byHandScript(record: RunRecord): string {
  const runDir = remoteRunDir(record.id);
  const env = [
    'ANSIBLE_FORCE_COLOR=1',
    'PYTHONUNBUFFERED=1',
    'ANSIBLE_HOST_KEY_CHECKING=True',
    'ANSIBLE_DISPLAY_SKIPPED_HOSTS=True',
    `ANSIBLE_SSH_ARGS=${ansibleSshArgs(`${runDir}/known_hosts`, `${runDir}/deploy_key.pub`)}`,
  ];
  return [
    `set -u; umask 077; d=${byHandDir}; rm -rf $d; mkdir $d`,
    'IFS= read -r become; IFS= read -r key; IFS= read -r passphrase',
    'printf "%s" "$become" > $d/become; printf "%s" "$key" | base64 -d > $d/key; printf "%s\\n" "$passphrase" > $d/passphrase',
    'printf "#!/bin/sh\\nexec cat %s\\n" "$d/passphrase" > $d/askpass; chmod 700 $d/askpass',
    'eval "$(ssh-agent -s)" > /dev/null',
    'SSH_ASKPASS=$d/askpass SSH_ASKPASS_REQUIRE=force ssh-add -q $d/key < /dev/null; rm -f $d/key $d/passphrase',
    `cd ${q(record.invocation!.kubesprayDir)} && env ${env.map((word) => q(word)).join(' ')} ${playbookCommand(record.invocation!, `${byHandDir}/become`)} > $d/log 2>&1 < /dev/null`,
    'code=$?; ssh-agent -k > /dev/null; tail -n 40 $d/log; rm -rf $d; exit $code',
  ].join('\n');
}

async function byHandRun(): Promise<void> {
  const record = await lastRun();
  const key = await keys.get(lab.projectId, lab.keyPassphrase);
  const hostKeys = hostKeyStoreFor(lab.dataDir, lab.projectId);
  const session = await connectSsh(
    { host: hostAddress(1), port: 22 },
    { credential: { user: 'ops', auth: { kind: 'password', password: labAccounts.ops.password } }, hostKeys },
  );
  try {
    const secrets = [
      labAccounts.ops.password,
      Buffer.from(key!.credential.privateKey).toString('base64'),
      key!.credential.passphrase ?? '',
    ];
    const result = await execCommand(session.client, `sh -c ${q(byHandScript(record))}`, `${secrets.join('\n')}\n`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  } finally {
    session.client.end();
  }
}

// Two pairs after the warm-up: each pair takes minutes, and the turns cancel the machine's drift between them.
const pairs = 2;
const times = new BenchTimes(1);
let pair = 0;

/** Each run's time as it ends: a figure survives a bench cut short. */
async function timed(name: string, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await times.time(name, work);
  console.log(
    `pair ${pair} (${pair === 1 ? 'warm-up' : 'measured'}): ${name} ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadAverage()}`,
  );
}

function printRatio(): void {
  if (!times.has('by hand', pairs)) return;
  const ratio = times.mean('airspray') / times.mean('by hand');
  console.log(
    `real kubespray cluster.yml --tags bootstrap-os,preinstall,download on 2 hosts: airspray run ${times.mean('airspray').toFixed(1)} s (${times.range('airspray')}), ` +
      `ansible-playbook by hand over SSH ${times.mean('by hand').toFixed(1)} s (${times.range('by hand')}): airspray takes ${ratio.toFixed(3)}x (goal: at most 1.05x); load average ${loadAverage()}`,
  );
}

describe('real kubespray v2.23.3 through airspray run, against ansible-playbook by hand on the deploy node', () => {
  bench(
    'airspray run cluster.yml, then ansible-playbook by hand (turns swapped each pair)',
    async () => {
      const sides = [() => timed('airspray', airsprayRun), () => timed('by hand', byHandRun)];
      for (const side of (pair += 1) % 2 === 0 ? sides.reverse() : sides) await side();
    },
    { iterations: pairs, warmupIterations: 1, warmupTime: 0, time: 0, teardown: printRatio },
  );
});
