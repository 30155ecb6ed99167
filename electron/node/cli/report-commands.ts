import { resolve } from 'node:path';
import type { Command } from 'commander';
import { VerificationCache } from '../bundles/verification-cache';
import { writeFileAtomic } from '../fs/write-file-atomic';
import { healthPage } from '../health/health-page';
import { readHealthReport } from '../health/health-report';
import type { ReportLanguage } from '../reports/report-strings';
import { printJson, runCommand, withReportLanguageOption } from './cli-project';
import { deployKeyPassphraseVariable } from './deploy-commands';
import { openProjectKeySession, withKeySessionOptions, type KeySessionOptions } from './key-session-options';

interface HealthOptions extends KeySessionOptions {
  out?: string;
  json?: boolean;
  lang: ReportLanguage;
}

/** `airspray report health`: the one page for change control, as Operate makes it. */
export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('Reports for change control.');
  withKeySessionOptions(
    withReportLanguageOption(report.command('health')),
    "etcd's and Kubernetes' admin credentials are root's",
  )
    .description(
      `Read the cluster (nodes, etcd members, certificates) over SSH with the deploy key and sudo, and the project's backups, bundle and runs, and write one printable HTML page; changes nothing. Needs ${deployKeyPassphraseVariable}.`,
    )
    .option('--out <file>', 'HTML file to write')
    .option('--json', 'print the report as JSON instead')
    .action((options: HealthOptions) =>
      runCommand(async () => {
        if (!options.out && !options.json) throw new Error('Give --out FILE for the HTML page, or --json.');
        const { services, project, session } = await openProjectKeySession(options);
        const health = await readHealthReport({
          project,
          projectFolder: services.projects.projectFolder(project.id),
          session,
          runs: services.runs({}),
          cluster: services.cluster(),
          verifications: new VerificationCache(services.dataDir),
        });
        if (options.json) return printJson(health);
        const out = resolve(options.out!);
        await writeFileAtomic(out, healthPage(health, options.lang), 0o644);
        console.log(`Wrote ${out}.`);
      }),
    );
}
