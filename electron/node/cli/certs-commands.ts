import { Command, InvalidArgumentError } from 'commander';
import {
  certificatesBySoonest,
  defaultFailDays,
  defaultWarnDays,
  expiryTone,
  type CertificateReport,
} from '../../common/certs-api';
import { checkCertificates } from '../certs/read-certificates';
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
}
