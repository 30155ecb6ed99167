import { Command, InvalidArgumentError } from 'commander';
import {
  certificatesBySoonest,
  type CertificateRenewal,
  defaultFailDays,
  defaultWarnDays,
  expiryTone,
  type CertificateReport,
} from '../../common/certs-api';
import { checkCertificates } from '../certs/read-certificates';
import { renewCertificates } from '../certs/renew-certificates';
import { printJson, runCommand } from './cli-project';
import { deployKeyPassphraseVariable } from './deploy-commands';
import { openProjectKeySession, withKeySessionOptions, type KeySessionOptions } from './key-session-options';

interface CertsCheckOptions extends KeySessionOptions {
  json?: boolean;
  warnDays: number;
  failDays: number;
}

interface Thresholds {
  warnDays: number;
  failDays: number;
}

function parseDays(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('takes a whole number of days, such as 30.');
  return Number(value);
}

const toneWords = { ok: 'ok', warn: 'WARN', fail: 'FAIL' } as const;

/**
 * One row per certificate, soonest first, then the missing and unreadable files, then the hosts that could not be read.
 */
export function certificateTable(report: CertificateReport, thresholds: Thresholds): string[][] {
  const rows = certificatesBySoonest(report).map(({ host, file, certificate }) => [
    host,
    certificate.isCa ? `${file.label} (CA)` : file.label,
    certificate.notAfter.slice(0, 10),
    String(certificate.daysLeft),
    toneWords[expiryTone(certificate.daysLeft, thresholds)],
    file.path,
  ]);
  for (const host of report.hosts) {
    for (const file of host.files.filter((entry) => entry.state !== 'found'))
      rows.push([
        host.name,
        file.label,
        '-',
        '-',
        file.state,
        `${file.path}${file.message ? ` (${file.message})` : ''}`,
      ]);
    if (!host.ok) rows.push([host.name, '-', '-', '-', 'FAILED', host.message ?? '']);
  }
  return [['HOST', 'CERTIFICATE', 'EXPIRES', 'DAYS LEFT', 'STATUS', 'PATH'], ...rows];
}

export function printAligned(rows: readonly string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(
      row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '),
    );
}

/** Exit 1 when a certificate is under --fail-days, or a host could not be read (its certificates are unknown). */
export function certsExitCode(report: CertificateReport, thresholds: Thresholds): number {
  const failing = certificatesBySoonest(report).some(
    ({ certificate }) => expiryTone(certificate.daysLeft, thresholds) === 'fail',
  );
  return failing || report.hosts.some((host) => !host.ok) ? 1 : 0;
}

async function checkProjectCertificates(options: CertsCheckOptions): Promise<CertificateReport> {
  const { project, session } = await openProjectKeySession(options);
  return checkCertificates(project.cluster.hosts, session);
}

interface CertsRenewOptions extends KeySessionOptions {
  hosts?: string[];
  json?: boolean;
}

const hostList = (value: string) =>
  value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

/** What was renewed, where it stopped and how to finish, before the table read again. */
export function renewalLines(renewal: CertificateRenewal): string[] {
  const lines = renewal.renewed.map((node) => `renewed ${node.name} (${node.address}) at ${node.renewedAt}`);
  if (renewal.stopped) {
    lines.push(
      `STOPPED at ${renewal.stopped.name} (${renewal.stopped.address}): ${renewal.stopped.reason}`,
      `Not renewed: ${renewal.remaining.join(', ')}. Fix that, then finish with --hosts ${renewal.remaining.join(',')}.`,
    );
  }
  return lines;
}

function registerRenew(certs: Command): void {
  withKeySessionOptions(certs.command('renew'), 'kubeadm runs as root')
    .description(
      `On each control plane of the plan, one at a time, as kubespray's k8s-certs-renew.sh: kubeadm certs renew all, the control-plane pods restarted, its API waited for; then the expiry table read again. A node that fails stops it (exit 1); the nodes done stay done. Needs ${deployKeyPassphraseVariable}.`,
    )
    .option(
      '--hosts <names>',
      'only these control planes, comma-separated (to finish a renewal that stopped)',
      hostList,
    )
    .option('--json', 'print the renewal and the table as JSON')
    .action((options: CertsRenewOptions) =>
      runCommand(async () => {
        const { project, session } = await openProjectKeySession(options);
        const renewal = await renewCertificates(
          project.cluster.hosts,
          session,
          options.hosts ? { only: options.hosts } : {},
        );
        if (options.json) printJson(renewal);
        else {
          for (const line of renewalLines(renewal)) console.log(line);
          printAligned(certificateTable(renewal.report, { warnDays: defaultWarnDays, failDays: defaultFailDays }));
        }
        return renewal.stopped ? 1 : 0;
      }),
    );
}

/** `airspray certs check`: the certificate expiry table of Operate, for a script or a cron job. */
export function registerCertsCommands(program: Command): void {
  const certs = program
    .command('certs')
    .description("The cluster's certificates: what kubespray and kubeadm made, and when each expires.");
  withKeySessionOptions(certs.command('check'), 'the certificates are readable by root only')
    .description(
      `Read every certificate on the plan's hosts (one SSH login each, with the deploy key, and sudo) and print host, certificate, expiry and days left; exits 1 when one is under --fail-days or a host could not be read. Needs ${deployKeyPassphraseVariable}.`,
    )
    .option('--warn-days <days>', 'mark certificates with fewer days left as WARN', parseDays, defaultWarnDays)
    .option(
      '--fail-days <days>',
      'mark certificates with fewer days left as FAIL, and exit 1',
      parseDays,
      defaultFailDays,
    )
    .option('--json', 'print the report as JSON')
    .action((options: CertsCheckOptions) =>
      runCommand(async () => {
        const thresholds = { warnDays: options.warnDays, failDays: options.failDays };
        const report = await checkProjectCertificates(options);
        if (options.json) printJson({ ...thresholds, ...report });
        else printAligned(certificateTable(report, thresholds));
        return certsExitCode(report, thresholds);
      }),
    );
  registerRenew(certs);
}
