import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { RunRecord } from '../../common/run';
import { escapeHtml, factsTable, pageHead } from '../reports/html-page';
import type { ReportLanguage } from '../reports/report-strings';
import { failureReason, stripAnsi } from './ansible-output-parser';

/** airspray-<cluster>-<playbook>-<run>.html */
export const runReportFileName = (run: RunRecord): string =>
  `airspray-${run.cluster}-${run.playbook.replace(/\.yml$/, '')}-${run.id}.html`;

/**
 * A self-contained HTML page (no scripts, no external resources) for change control: what ran, how it ended, and the
 * full log, in `language`. The log is streamed through: a long kubespray run never sits in memory whole.
 */
export async function writeRunReport(
  run: RunRecord,
  log: Readable,
  sink: Writable,
  language: ReportLanguage,
): Promise<void> {
  await pipeline(reportParts(run, log, language), sink);
}

async function* reportParts(run: RunRecord, log: Readable, language: ReportLanguage): AsyncGenerator<string> {
  yield reportHead(run, language);
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

function reportHead(run: RunRecord, language: ReportLanguage): string {
  const { run: words } = language.text;
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
  const title = words.title(run.id, run.cluster, run.playbook);
  return `${pageHead(title, reportStyle, language.locale)}<h1>${escapeHtml(words.heading(run.id, run.playbook, run.cluster))}</h1>
${factsTable(runFacts(run, language))}
<h2>${escapeHtml(words.recap)}</h2>
<table><tr><th>${escapeHtml(words.host)}</th>${counts.map((key) => `<th>${key}</th>`).join('')}</tr>
${recapRows}
</table>
${failures ? `<h2>${escapeHtml(words.failedTasks)}</h2><ul>${failures}</ul>` : ''}
<h2>${escapeHtml(words.fullLog)}</h2>
<pre>`;
}

function runFacts(run: RunRecord, { text, dateTime, duration }: ReportLanguage): [string, string | undefined][] {
  const words = text.run;
  return [
    [words.cluster, run.cluster],
    [words.playbook, run.playbook],
    [words.commandLine, run.commandLine],
    [words.result, text.result(text.state[run.state], run.exitCode)],
    [words.started, dateTime(run.startedAt)],
    [words.finished, run.finishedAt && dateTime(run.finishedAt)],
    [words.duration, run.finishedAt && duration(run.startedAt, run.finishedAt)],
    [words.startedBy, run.startedBy],
    [words.deployNode, run.deployNode],
    [words.bundleDigest, run.bundleDigest],
    [words.inventoryDigest, run.inventoryDigest],
    // The run chain (airspray runs verify): what an auditor compares with the files later.
    [words.recordNumber, run.seal ? String(run.seal.sequence) : undefined],
    [words.logSha256, run.seal?.logSha256],
    [words.previousRecordSha256, run.seal?.previousRecordSha256],
  ];
}
