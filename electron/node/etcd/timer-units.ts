import { EtcdTimerEverySchema } from '../../common/etcd-api';
import { remoteEtcdTimerDir } from '../deploy/remote-layout';
import { writeFileScript } from '../deploy/remote-shell';
import { quoteShellArg } from '../ssh/shell-quote';
// Real files beside this one: the hand backup's etcdctl and snapshot, and the timer's wrapper around them.
import etcdctlEnv from './etcdctl-env.sh?raw';
import program from './snapshot.sh?raw';
import timerProgram from './timer-snapshot.sh?raw';
import { coreError } from '../i18n/format-core-message';

export const timerService = 'airspray-etcd-snapshot.service';
export const timerUnit = 'airspray-etcd-snapshot.timer';
const unitDir = '/etc/systemd/system';

/** `--every` checked, naming `field` and the form; the schema's own check is the API's. */
export function parseEvery(text: string, field = 'every'): string {
  const parsed = EtcdTimerEverySchema.safeParse(text.trim());
  if (!parsed.success) throw coreError('invalid_params', 'etcd.duration-invalid', { field, text }, field);
  return parsed.data;
}

/** Our m is systemd's min (its m is minutes too, but min cannot be read as months). */
export const systemdSpan = (every: string) => every.replace(/m$/, 'min');

export function serviceUnit(): string {
  return [
    '[Unit]',
    'Description=Airspray: an etcd snapshot kept for airspray etcd collect',
    'After=etcd.service',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/sh ${remoteEtcdTimerDir}/run.sh`,
    '',
  ].join('\n');
}

/** The first snapshot `every` after the timer starts (install or boot), then `every` after the last one. */
export function timerUnitFile(every: string): string {
  const span = systemdSpan(every);
  return [
    '[Unit]',
    `Description=Airspray: an etcd snapshot every ${every}`,
    '',
    '[Timer]',
    `OnActiveSec=${span}`,
    `OnUnitActiveSec=${span}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

export interface TimerSettings {
  member: { name: string; address: string };
  every: string;
  keep: number;
}

/**
 * The root script that installs the timer: the member's certificates checked first (etcdctl-env.sh's exits 3 and 4),
 * then the scripts (their arguments written into run.sh, so the unit carries none), the settings and the two units.
 */
export function installScript(settings: TimerSettings): string {
  const { member, every, keep } = settings;
  const dir = remoteEtcdTimerDir;
  const words = [member.name, member.address, JSON.stringify(member), String(keep), dir];
  const args = words.map((arg) => quoteShellArg(arg));
  const check = [member.name, member.address].map((arg) => quoteShellArg(arg)).join(' ');
  return [
    `( set -- ${check}\n${etcdctlEnv}\n) || exit $?`,
    'set -e',
    `mkdir -p ${dir} && chmod 700 ${dir}`,
    writeFileScript(`${dir}/snapshot.sh`, `${etcdctlEnv}\n${program}`, '700'),
    writeFileScript(`${dir}/run.sh`, `set -- ${args.join(' ')}\n${timerProgram}`, '700'),
    writeFileScript(`${dir}/schedule.json`, `${JSON.stringify({ every, keep, member })}\n`, '600'),
    writeFileScript(`${unitDir}/${timerService}`, serviceUnit()),
    writeFileScript(`${unitDir}/${timerUnit}`, timerUnitFile(every)),
    'systemctl daemon-reload',
    `systemctl enable --quiet ${timerUnit}`,
    `systemctl restart ${timerUnit}`,
  ].join('\n');
}

/** The root script that removes the units and the timer's folder, its snapshots included. */
export function removeScript(): string {
  return [
    `systemctl disable --now --quiet ${timerUnit} 2>/dev/null || true`,
    `systemctl stop ${timerService} 2>/dev/null || true`,
    `rm -f ${unitDir}/${timerUnit} ${unitDir}/${timerService}`,
    'systemctl daemon-reload',
    `rm -rf ${remoteEtcdTimerDir}`,
  ].join('\n');
}
