import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAirspray } from '../../store/store-context';
import { describeError } from '../../api/describe-error';
import { OutputAcks } from './output-acks';
import { useRunReportDownload } from './use-run-report-download';
import { RunLogFeed } from './run-log-feed';
import { defaultWriterLimits, TerminalWriter } from './terminal-writer';
import { ErrorText } from '../../ui/error-text';

/**
 * Lines the terminal keeps above its screen, as GNOME Terminal does; the whole log stays in the core and the run's
 * report. A view far behind parses no more than these (jump scroll), so they bound how long it takes to catch up.
 */
const scrollback = 10_000;

interface RunTerminalProps {
  runId: string;
  /** The log length the run record reports; when it grows past what was shown (a finished run), the rest is read. */
  logBytes: number;
}

/**
 * Runs `open` with every <style> element the page creates carrying the nonce the server gave this page: xterm writes
 * its rules (colours, font, cell size) into <style> elements as it opens, and the CSP allows them only with the nonce.
 * Elements from markup never pass here, so injected <style> stays refused.
 */
function withStyleNonce(open: () => void): void {
  const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
  const createElement = document.createElement.bind(document);
  document.createElement = (tagName: string, options?: ElementCreationOptions) => {
    const element = createElement(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  };
  try {
    open();
  } finally {
    // The own property goes; Document.prototype's createElement shows through again.
    delete (document as Partial<Document>).createElement;
  }
}

/** Fits the terminal to its box at most once per animation frame, however often the box resizes. */
function fitPerFrame(fit: FitAddon): { schedule(): void; cancel(): void } {
  let frame: number | null = null;
  return {
    schedule: () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        fit.fit();
      });
    },
    cancel: () => {
      if (frame !== null) cancelAnimationFrame(frame);
    },
  };
}

/**
 * A run's log in xterm.js: the stored log replayed from byte 0, then live output, each byte once, written with
 * flow control. Read-only: the run is Ansible on the deploy node, not a shell.
 */
export function RunTerminal({ runId, logBytes }: RunTerminalProps) {
  const box = useRef<HTMLDivElement>(null);
  const feedRef = useRef<RunLogFeed | null>(null);
  const [shownBytes, setShownBytes] = useState(0);
  const [unparsedBytes, setUnparsedBytes] = useState(0);
  /** Lines have left the scrollback (scrolled out or skipped): the terminal no longer holds the whole log. */
  const [trimmed, setTrimmed] = useState(false);
  const intl = useIntl();
  const downloadReport = useRunReportDownload();
  /** Why part of the log could not be read, said in the language shown when it renders. */
  const [readFailure, setReadFailure] = useState<{ error: unknown } | null>(null);
  const locale = useAirspray((state) => state.locale);
  const readRunLog = useAirspray((state) => state.readRunLog);
  const watchRunOutput = useAirspray((state) => state.watchRunOutput);
  const acknowledgeRunOutput = useAirspray((state) => state.acknowledgeRunOutput);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const terminal = new Terminal({
      convertEol: true,
      disableStdin: true,
      cursorStyle: 'underline',
      cursorInactiveStyle: 'none',
      scrollback,
      fontFamily: "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace",
      fontSize: 11,
      theme: { background: '#0d1117', foreground: '#e6edf3' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    withStyleNonce(() => terminal.open(element));
    const fitter = fitPerFrame(fit);
    fitter.schedule();
    const resizes = new ResizeObserver(() => fitter.schedule());
    resizes.observe(element);

    let shown = 0;
    let shownUpdate: number | null = null;
    const viewId = crypto.randomUUID();
    const acks = new OutputAcks((shownBytes, toldBytes) => acknowledgeRunOutput(runId, viewId, shownBytes, toldBytes));
    const keepLines = () => scrollback + 2 * terminal.rows;
    const writer: TerminalWriter = new TerminalWriter(
      (data, inputBytes, written) =>
        terminal.write(data, () => {
          shown += inputBytes;
          // One re-render per frame for the byte count, not one per write.
          shownUpdate ??= requestAnimationFrame(() => {
            shownUpdate = null;
            setShownBytes(shown);
            setUnparsedBytes(writer.skippedBytes);
            setTrimmed(writer.skippedBytes > 0 || terminal.buffer.active.baseY >= scrollback);
          });
          written();
          acks.written(shown, writer.waitingBytes === 0 && writer.unacknowledgedBytes === 0);
        }),
      defaultWriterLimits,
      // Jump scroll: a backlog's lines that would scroll out of the scrollback before being painted go unparsed.
      { keepLines },
    );
    // Known to the core from the start, so a view that has a long log to catch up on holds the stream back.
    acks.written(0, true);
    const feed = new RunLogFeed(
      // The server leaves out what would scroll out unseen too, so a view far behind never even receives it.
      async (from) => readRunLog(runId, from, keepLines()),
      (bytes) => writer.push(bytes),
      (failure) => setReadFailure({ error: failure }),
      { skip: (count) => writer.skip(count), room: () => writer.room() },
    );
    feedRef.current = feed;
    // Listen before replaying, so output sent during the replay is held and put in order, not lost.
    const stopOutput = watchRunOutput(runId, (offset, length, data, complete) => {
      if (data) return feed.receive(offset, data);
      feed.grew(offset + length, complete);
      acks.told(offset + length);
    });
    void feed.replay();
    return () => {
      stopOutput();
      feed.stop();
      feedRef.current = null;
      writer.dispose();
      fitter.cancel();
      if (shownUpdate !== null) cancelAnimationFrame(shownUpdate);
      resizes.disconnect();
      terminal.dispose();
    };
  }, [runId, readRunLog, watchRunOutput, acknowledgeRunOutput]);

  useEffect(() => {
    feedRef.current?.catchUp(logBytes);
  }, [logBytes]);

  return (
    <div className="run-terminal">
      <div
        ref={box}
        className="run-terminal__screen"
        role="log"
        aria-label={intl.formatMessage({ id: 'run.output' })}
        data-shown-bytes={shownBytes}
        data-unparsed-bytes={unparsedBytes}
      />
      {trimmed && (
        <p className="field-hint run-terminal__trimmed">
          <FormattedMessage id="run.trimmed" values={{ lines: scrollback }} />{' '}
          <button type="button" className="btn btn--ghost btn--small" onClick={() => void downloadReport(runId)}>
            <FormattedMessage id="run.downloadReport" />
          </button>
        </p>
      )}
      <ErrorText
        message={
          readFailure &&
          intl.formatMessage({ id: 'run.logUnreadable' }, { error: describeError(readFailure.error, locale) })
        }
      />
    </div>
  );
}
