import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportLanguage } from '../../../../electron/node/reports/report-strings';
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

const english = reportLanguage('en');

describe('the run report', () => {
  it('streams the log, colour codes and characters whole even where the chunks cut through them, and escapes HTML', async () => {
    const log = Buffer.from(
      '\u001b[0;32mok: [node1] <script>\u001b[0m\nTASK [größe & “quotes”] ***\n\u001b[0;31mfatal: [node2]\u001b[0m',
    );
    // Cut inside the first colour code, inside "ö" (two bytes) and inside the last colour code.
    const cuts = [3, log.indexOf('ö') + 1, log.length - 2];
    const pieces = [0, ...cuts].map((start, index) => log.subarray(start, [...cuts, log.length][index]));
    const { sink, text } = collector();
    await writeRunReport(run, Readable.from(pieces), sink, english);
    const pre = /<pre>([\s\S]*)<\/pre>/.exec(text())?.[1];
    expect(pre).toBe('ok: [node1] &#60;script&#62;\nTASK [größe &#38; “quotes”] ***\nfatal: [node2]');
    expect(text()).toMatch(/<\/html>\n$/);
  });

  it('writes a log of many chunks without holding it whole, every line in order', async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}\n`);
    const { sink, text } = collector();
    await writeRunReport(run, Readable.from(lines.map((line) => Buffer.from(line))), sink, english);
    expect(/<pre>([\s\S]*)<\/pre>/.exec(text())?.[1]).toBe(lines.join(''));
  });

  it('shows where the run sits in the chain of run records, for an auditor to compare later', async () => {
    const sealed = { ...run, seal: { sequence: 7, logSha256: 'a'.repeat(64), previousRecordSha256: 'b'.repeat(64) } };
    const { sink, text } = collector();
    await writeRunReport(sealed, Readable.from([]), sink, english);
    expect(text()).toContain('<tr><th>Record number</th><td>7</td></tr>');
    expect(text()).toContain(`<tr><th>Log sha256</th><td>${'a'.repeat(64)}</td></tr>`);
    expect(text()).toContain(`<tr><th>Previous record sha256</th><td>${'b'.repeat(64)}</td></tr>`);
  });

  it('is in English with lang="en", its times in UTC and how long it took', async () => {
    const { sink, text } = collector();
    await writeRunReport(run, Readable.from([]), sink, english);
    expect(text()).toContain('<html lang="en">');
    expect(text()).toContain(`<h1>Run r-1: cluster.yml on prod</h1>`);
    expect(text()).toContain('<h2>Play recap</h2>');
    expect(text()).toContain(`<tr><th>Started</th><td>${english.dateTime(run.startedAt)}</td></tr>`);
    expect(english.dateTime('2025-11-20T10:42:05.000Z')).toBe('Nov 20, 2025, 10:42:05 UTC');
    expect(english.duration('2025-11-20T10:00:00Z', '2025-11-20T11:02:05Z')).toBe('1 hr 2 min 5 sec');
  });

  it('is in Simplified Chinese when made in 简体中文: headings, labels, the result and lang="zh-CN"', async () => {
    const chinese = reportLanguage('zh-CN');
    const failed = { ...run, state: 'failed' as const, exitCode: 2 };
    const { sink, text } = collector();
    await writeRunReport(failed, Readable.from(['log\n']), sink, chinese);
    expect(text()).toContain('<html lang="zh-CN">');
    expect(text()).toContain('<h1>运行 r-1：在 prod 上执行 cluster.yml</h1>');
    for (const heading of ['Play 汇总', '完整日志']) expect(text()).toContain(`<h2>${heading}</h2>`);
    expect(text()).toContain('<tr><th>结果</th><td>失败（退出码 2）</td></tr>');
    expect(text()).toContain(`<tr><th>开始时间</th><td>${chinese.dateTime(run.startedAt)}</td></tr>`);
    expect(chinese.dateTime('2025-11-20T10:42:05.000Z')).toBe('2025年11月20日 UTC 10:42:05');
    expect(chinese.duration('2025-11-20T10:00:00Z', '2025-11-20T11:02:05Z')).toBe('1小时2分钟5秒');
    expect(chinese.bytes(4_290_000_000)).toBe('4.29 GB');
    expect(text()).not.toMatch(/Play recap|Full log|Started|Result/);
  });

  it('names the file after the cluster, the playbook and the run', () => {
    expect(runReportFileName(run)).toBe('airspray-prod-cluster-r-1.html');
  });
});
