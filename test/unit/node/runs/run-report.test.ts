import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReportFileName, writeRunReport } from '../../../../electron/node/runs/run-report';
import { finishedRun } from '../../../support/run-record';

/** Collects what the report writes. */
function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

const run = finishedRun(
  { playbook: 'cluster.yml' },
  { cluster: 'prod', digest: { tasksStarted: 2, hosts: {}, failures: [] } },
);

describe('the run report', () => {
  it('streams the log, colour codes and characters whole even where the chunks cut through them, and escapes HTML', async () => {
    const log = Buffer.from(
      '\u001b[0;32mok: [node1] <script>\u001b[0m\nTASK [größe & “quotes”] ***\n\u001b[0;31mfatal: [node2]\u001b[0m',
    );
    // Cut inside the first colour code, inside "ö" (two bytes) and inside the last colour code.
    const cuts = [3, log.indexOf('ö') + 1, log.length - 2];
    const pieces = [0, ...cuts].map((start, index) => log.subarray(start, [...cuts, log.length][index]));
    const { sink, text } = collector();
    await writeRunReport(run, Readable.from(pieces), sink);
    const pre = /<pre>([\s\S]*)<\/pre>/.exec(text())?.[1];
    expect(pre).toBe('ok: [node1] &#60;script&#62;\nTASK [größe &#38; “quotes”] ***\nfatal: [node2]');
    expect(text()).toMatch(/<\/html>\n$/);
  });

  it('writes a log of many chunks without holding it whole, every line in order', async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}\n`);
    const { sink, text } = collector();
    await writeRunReport(run, Readable.from(lines.map((line) => Buffer.from(line))), sink);
    expect(/<pre>([\s\S]*)<\/pre>/.exec(text())?.[1]).toBe(lines.join(''));
  });

  it('shows where the run sits in the chain of run records, for an auditor to compare later', async () => {
    const sealed = { ...run, seal: { sequence: 7, logSha256: 'a'.repeat(64), previousRecordSha256: 'b'.repeat(64) } };
    const { sink, text } = collector();
    await writeRunReport(sealed, Readable.from([]), sink);
    expect(text()).toContain('<tr><th>Record number</th><td>7</td></tr>');
    expect(text()).toContain(`<tr><th>Log sha256</th><td>${'a'.repeat(64)}</td></tr>`);
    expect(text()).toContain(`<tr><th>Previous record sha256</th><td>${'b'.repeat(64)}</td></tr>`);
  });

  it('names the file after the cluster, the playbook and the run', () => {
    expect(runReportFileName(run)).toBe('airspray-prod-cluster-r-1.html');
  });
});
