import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { RunRecord } from '../../common/run';
import { escapeHtml, factsTable, pageHead } from '../reports/html-page';
import { failureReason, stripAnsi } from './ansible-output-parser';

/** airspray-<cluster>-<playbook>-<run>.html */
export const runReportFileName = (run: RunRecord): string =>
  `airspray-${run.cluster}-${run.playbook.replace(/\.yml$/, '')}-${run.id}.html`;

/**
 * A self-contained HTML page (no scripts, no external resources) for change control: what ran, how it ended, and the
 * full log. The log is streamed through: a long kubespray run never sits in memory whole.
 */
export async function writeRunReport(run: RunRecord, log: Readable, sink: Writable): Promise<void> {
  await pipeline(reportParts(run, log), sink);
}

async function* reportParts(run: RunRecord, log: Readable): AsyncGenerator<string> {
  yield reportHead(run);
  const decoder = new StringDecoder('utf8');
  // Colour codes never span lines: cutting at the last newline keeps each one whole.
  let rest = '';
  for await (const chunk of log) {
    const text = rest + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut > 0) yield escapeHtml(stripAnsi(text.slice(0, cut)));
  }
  yield escapeHtml(stripAnsi(rest + decoder.end()));
  yield reportTail;
}

const reportTail = '</pre>\n</body>\n</html>\n';

const reportStyle = `td.failed, td.unreachable { background: #ffebe9; font-weight: 600; }
td.changed { background: #fff8c5; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; font-size: 12px; }`;

function reportHead(run: RunRecord): string {
  const recap = run.digest.recap ?? run.digest.hosts;
  const counts = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;
  const recapRows = Object.entries(recap)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([host, hostCounts]) =>
        `<tr><th>${escapeHtml(host)}</th>${counts.map((key) => `<td class="${hostCounts[key] > 0 ? key : ''}">${hostCounts[key]}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const failures = run.digest.failures
    .map(
      (failure) =>
        `<li><strong>${escapeHtml(failure.host)}</strong> — ${escapeHtml(failure.task)} (${failure.kind}): ${escapeHtml(failureReason(failure.message))}</li>`,
    )
    .join('\n');
  const facts: [string, string | undefined][] = [
    ['Cluster', run.cluster],
    ['Playbook', run.playbook],
    ['Command line', run.commandLine],
    ['Result', `${run.state}${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Started by', run.startedBy],
    ['Deploy node', run.deployNode],
    ['Bundle digest', run.bundleDigest],
    ['Inventory digest', run.inventoryDigest],
    // The run chain (airspray runs verify): what an auditor compares with the files later.
    ['Record number', run.seal ? String(run.seal.sequence) : undefined],
    ['Log sha256', run.seal?.logSha256],
    ['Previous record sha256', run.seal?.previousRecordSha256],
  ];
  const title = `Airspray run ${run.id} — ${run.cluster} ${run.playbook}`;
  return `${pageHead(title, reportStyle)}<h1>Run ${escapeHtml(run.id)}: ${escapeHtml(run.playbook)} on ${escapeHtml(run.cluster)}</h1>
${factsTable(facts)}
<h2>Play recap</h2>
<table><tr><th>Host</th>${counts.map((key) => `<th>${key}</th>`).join('')}</tr>
${recapRows}
</table>
${failures ? `<h2>Failed tasks</h2><ul>${failures}</ul>` : ''}
<h2>Full log</h2>
<pre>`;
}
