import { certificatesBySoonest, defaultFailDays, defaultWarnDays, expiryTone } from '../../common/certs-api';
import type { HealthReport } from '../../common/health-api';
import { dataTable, escapeHtml, factsTable, pageHead } from '../reports/html-page';
import type { ReportLanguage, ReportStrings } from '../reports/report-strings';

const pageStyle = `td.warn { background: #fff8c5; } td.fail { background: #ffebe9; font-weight: 600; }
p.unread { color: #9a6700; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }`;

const yesNo = (text: ReportStrings, value: boolean, no = 'fail') => ({
  text: value ? text.yes : text.no,
  tone: value ? '' : no,
});
const unread = (text: ReportStrings, error: string) => `<p class="unread">${escapeHtml(text.couldNotRead(error))}</p>`;
const heading = (text: string) => `<h2>${escapeHtml(text)}</h2>`;

/** airspray-<cluster>-health-<date>.html */
export const healthPageFileName = (report: HealthReport): string =>
  `airspray-${report.cluster.name}-health-${report.madeAt.slice(0, 10)}.html`;

/** The health report as one self-contained, printable HTML page for change control, in `language`. */
export function healthPage(report: HealthReport, language: ReportLanguage): string {
  const words = language.text.health;
  return [
    pageHead(words.title(report.cluster.name), pageStyle, language.locale),
    `<h1>${escapeHtml(words.heading(report.cluster.name))}</h1>`,
    summary(report, language),
    heading(words.nodes),
    nodes(report.nodes, language),
    heading(words.etcd),
    etcd(report, language),
    heading(words.certificates),
    certificates(report.certificates, language),
    heading(words.hostsInPlan),
    dataTable(
      words.hostColumns,
      report.cluster.hosts.map((host) => [host.name, host.address, language.list(host.roles)]),
    ),
    heading(words.runs),
    runs(report.runs, language),
    '</body>\n</html>\n',
  ].join('\n');
}

function summary(report: HealthReport, { text, dateTime }: ReportLanguage): string {
  const words = text.health;
  const bundle = report.bundle;
  const signer = bundle?.publisher
    ? `${bundle.publisher.name} (${bundle.publisher.fingerprint})`
    : bundle && words.notVerified;
  return factsTable([
    [words.madeAt, dateTime(report.madeAt)],
    [words.kubernetesVersion, report.cluster.kubernetesVersion],
    [words.deployNode, report.cluster.deployNode ?? undefined],
    [words.bundle, bundle ? words.bundleName(bundle.bundleId, bundle.kubesprayVersion) : words.noBundle],
    [words.manifestSha256, bundle?.manifestSha256],
    [words.signedBy, signer || undefined],
  ]);
}

function nodes(section: HealthReport['nodes'], { text, list }: ReportLanguage): string {
  if (!section.read) return unread(text, section.error);
  return `<p>${escapeHtml(text.health.nodesFrom(section.from))}</p>${dataTable(
    text.health.nodeColumns,
    section.nodes.map((node) => [
      node.name,
      yesNo(text, node.ready === 'True'),
      list(node.roles),
      node.kubeletVersion,
      node.internalIp ?? '',
      node.readyMessage ?? '',
    ]),
  )}`;
}

function etcd(report: HealthReport, { text, bytes, dateTime }: ReportLanguage): string {
  const words = text.health;
  const section = report.etcd;
  const members = section.read
    ? dataTable(
        words.memberColumns,
        section.members.map((member) => [
          member.name,
          member.endpoint,
          yesNo(text, member.healthy),
          member.leader ? words.leader : '',
          member.version ?? '',
          member.dbSizeBytes === undefined ? '' : bytes(member.dbSizeBytes),
          member.error ?? '',
        ]),
      )
    : unread(text, section.error);
  const backup = report.lastBackup;
  const last = backup
    ? factsTable([
        [words.lastBackup, words.backupTaken(dateTime(backup.takenAt), backup.member.name)],
        [words.size, bytes(backup.sizeBytes)],
        [words.revision, String(backup.revision)],
        ['sha256', backup.sha256],
      ])
    : `<p class="unread">${escapeHtml(words.noBackup)}</p>`;
  return `${members}\n${last}`;
}

function certificates(section: HealthReport['certificates'], { text }: ReportLanguage): string {
  if (!section.read) return unread(text, section.error);
  const words = text.health;
  const thresholds = { warnDays: defaultWarnDays, failDays: defaultFailDays };
  const rows = certificatesBySoonest(section).map(({ host, file, certificate }) => [
    host,
    certificate.isCa ? words.certificateAuthority(file.label) : file.label,
    certificate.notAfter.slice(0, 10),
    { text: String(certificate.daysLeft), tone: expiryTone(certificate.daysLeft, thresholds) },
  ]);
  const failed = section.hosts.filter((host) => !host.ok).map((host) => [host.name, host.message ?? '']);
  return [
    dataTable(words.certificateColumns, rows),
    failed.length > 0 ? dataTable(words.hostsNotRead, failed) : '',
  ].join('\n');
}

function runs(section: HealthReport['runs'], { text, dateTime, list }: ReportLanguage): string {
  const words = text.health;
  const chain = section.chain;
  const verdict = factsTable([
    [words.runRecords, chain.intact ? words.chainIntact(chain.records) : words.chainChanged(chain.problems.length)],
    [words.newestRecord, chain.headSha256],
    [words.notCovered, list(chain.unsealed) || undefined],
  ]);
  const problems = chain.problems.map(({ runId, problem }) => [runId ?? '', problem]);
  return [
    verdict,
    problems.length > 0 ? dataTable(words.problemColumns, problems) : '',
    dataTable(
      words.runColumns,
      section.recent.map((run) => [
        run.id,
        run.playbook,
        { text: text.result(text.state[run.state], run.exitCode), tone: run.state === 'failed' ? 'fail' : '' },
        dateTime(run.startedAt),
        run.finishedAt ? dateTime(run.finishedAt) : '',
        run.startedBy,
        run.seal ? String(run.seal.sequence) : '',
      ]),
    ),
  ].join('\n');
}
