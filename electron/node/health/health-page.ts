import { certificatesBySoonest, defaultFailDays, defaultWarnDays, expiryTone } from '../../common/certs-api';
import { formatBytes } from '../../common/format-bytes';
import type { HealthReport } from '../../common/health-api';
import { dataTable, escapeHtml, factsTable, pageHead } from '../reports/html-page';

const pageStyle = `td.warn { background: #fff8c5; } td.fail { background: #ffebe9; font-weight: 600; }
p.unread { color: #9a6700; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }`;

const yesNo = (value: boolean, no = 'fail') => ({ text: value ? 'yes' : 'no', tone: value ? '' : no });
const unread = (error: string) => `<p class="unread">Could not be read: ${escapeHtml(error)}</p>`;

/** airspray-<cluster>-health-<date>.html */
export const healthPageFileName = (report: HealthReport): string =>
  `airspray-${report.cluster.name}-health-${report.madeAt.slice(0, 10)}.html`;

/** The health report as one self-contained, printable HTML page for change control. */
export function healthPage(report: HealthReport): string {
  return [
    pageHead(`Airspray health report — ${report.cluster.name}`, pageStyle),
    `<h1>Cluster health: ${escapeHtml(report.cluster.name)}</h1>`,
    summary(report),
    '<h2>Nodes</h2>',
    nodes(report.nodes),
    '<h2>etcd</h2>',
    etcd(report),
    '<h2>Certificates</h2>',
    certificates(report.certificates),
    '<h2>Hosts in the plan</h2>',
    dataTable(
      ['Host', 'Address', 'Groups'],
      report.cluster.hosts.map((host) => [host.name, host.address, host.roles.join(', ')]),
    ),
    '<h2>Runs</h2>',
    runs(report.runs),
    '</body>\n</html>\n',
  ].join('\n');
}

function summary(report: HealthReport): string {
  const bundle = report.bundle;
  const signer = bundle?.publisher
    ? `${bundle.publisher.name} (${bundle.publisher.fingerprint})`
    : bundle && 'not verified on this data folder';
  return factsTable([
    ['Made at', report.madeAt],
    ['Kubernetes version (plan)', report.cluster.kubernetesVersion],
    ['Deploy node', report.cluster.deployNode ?? undefined],
    ['Bundle', bundle ? `${bundle.bundleId} (kubespray ${bundle.kubesprayVersion})` : 'none chosen'],
    ['Bundle manifest sha256', bundle?.manifestSha256],
    ['Signed by', signer || undefined],
  ]);
}

function nodes(section: HealthReport['nodes']): string {
  if (!section.read) return unread(section.error);
  return `<p>As the admin kubeconfig on ${escapeHtml(section.from)} reports them.</p>${dataTable(
    ['Node', 'Ready', 'Roles', 'Kubelet', 'Address', 'Why not ready'],
    section.nodes.map((node) => [
      node.name,
      yesNo(node.ready === 'True'),
      node.roles.join(', '),
      node.kubeletVersion,
      node.internalIp ?? '',
      node.readyMessage ?? '',
    ]),
  )}`;
}

function etcd(report: HealthReport): string {
  const section = report.etcd;
  const members = section.read
    ? dataTable(
        ['Member', 'Endpoint', 'Healthy', 'Leader', 'Version', 'Database size', 'Error'],
        section.members.map((member) => [
          member.name,
          member.endpoint,
          yesNo(member.healthy),
          member.leader ? 'leader' : '',
          member.version ?? '',
          member.dbSizeBytes === undefined ? '' : formatBytes(member.dbSizeBytes),
          member.error ?? '',
        ]),
      )
    : unread(section.error);
  const backup = report.lastBackup;
  const last = backup
    ? factsTable([
        ['Last backup', `${backup.takenAt} on ${backup.member.name}`],
        ['Size', formatBytes(backup.sizeBytes)],
        ['Revision', String(backup.revision)],
        ['sha256', backup.sha256],
      ])
    : '<p class="unread">No etcd backup has been taken for this project.</p>';
  return `${members}\n${last}`;
}

function certificates(section: HealthReport['certificates']): string {
  if (!section.read) return unread(section.error);
  const thresholds = { warnDays: defaultWarnDays, failDays: defaultFailDays };
  const rows = certificatesBySoonest(section).map(({ host, file, certificate }) => [
    host,
    certificate.isCa ? `${file.label} (CA)` : file.label,
    certificate.notAfter.slice(0, 10),
    { text: String(certificate.daysLeft), tone: expiryTone(certificate.daysLeft, thresholds) },
  ]);
  const failed = section.hosts.filter((host) => !host.ok).map((host) => [host.name, host.message ?? '']);
  return [
    dataTable(['Host', 'Certificate', 'Expires', 'Days left'], rows),
    failed.length > 0 ? dataTable(['Host not read', 'Why'], failed) : '',
  ].join('\n');
}

function runs(section: HealthReport['runs']): string {
  const chain = section.chain;
  const verdict = factsTable([
    ['Run records', chain.intact ? `intact (${chain.records} sealed)` : `CHANGED: ${chain.problems.length} problems`],
    ['Newest record sha256', chain.headSha256],
    ['Not covered', chain.unsealed.join(', ') || undefined],
  ]);
  const problems = chain.problems.map(({ runId, problem }) => [runId ?? '', problem]);
  return [
    verdict,
    problems.length > 0 ? dataTable(['Run', 'Problem'], problems) : '',
    dataTable(
      ['Run', 'Playbook', 'Result', 'Started', 'Finished', 'Started by', 'Record'],
      section.recent.map((run) => [
        run.id,
        run.playbook,
        {
          text: `${run.state}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`,
          tone: run.state === 'failed' ? 'fail' : '',
        },
        run.startedAt,
        run.finishedAt ?? '',
        run.startedBy,
        run.seal ? String(run.seal.sequence) : '',
      ]),
    ),
  ].join('\n');
}
