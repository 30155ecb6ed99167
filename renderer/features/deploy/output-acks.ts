/**
 * A view's flow-control acknowledgements to the core: how far its terminal has written the log, and how far the log
 * grew while the view was far behind (it reads that from the core's copy: it holds nothing back for it). At most one
 * is in flight; the next goes once `everyBytes` more were written or told of, or at once when the terminal has caught
 * up (so the core never waits on a view that is idle).
 */
export class OutputAcks {
  private acknowledged = -1;
  private acknowledgedTold = 0;
  private latest = 0;
  private latestTold = 0;
  private sending = false;
  private idle = false;

  constructor(
    private readonly send: (shownBytes: number, toldBytes: number) => Promise<unknown>,
    private readonly everyBytes = 256 * 1024,
  ) {}

  /** The terminal has written the log up to `shownBytes`; `idle` when nothing more is waiting to be written. */
  written(shownBytes: number, idle: boolean): void {
    this.latest = shownBytes;
    this.idle = idle;
    this.flush();
  }

  /** The log grew to `logBytes` while this view was far behind: it reads that far from the core's copy itself. */
  told(logBytes: number): void {
    this.latestTold = Math.max(this.latestTold, logBytes);
    this.flush();
  }

  private flush(): void {
    if (this.sending) return;
    const shownDue =
      this.latest > this.acknowledged && (this.idle || this.latest - this.acknowledged >= this.everyBytes);
    const toldDue = this.latestTold - this.acknowledgedTold >= this.everyBytes;
    if (!shownDue && !toldDue) return;
    const [shown, told] = [this.latest, this.latestTold];
    this.sending = true;
    // A lost acknowledgement costs nothing: the next one carries later offsets.
    void this.send(shown, told)
      .catch(() => undefined)
      .finally(() => {
        this.acknowledged = shown;
        this.acknowledgedTold = told;
        this.sending = false;
        this.flush();
      });
  }
}
