/**
 * A view's flow-control acknowledgements to the core: how far its terminal has written the log. At most one is in
 * flight; the next goes once `everyBytes` more were written, or at once when the terminal has caught up (so the core
 * never waits on a view that is idle).
 */
export class OutputAcks {
  private acknowledged = -1;
  private latest = 0;
  private sending = false;
  private idle = false;

  constructor(
    private readonly send: (shownBytes: number) => Promise<unknown>,
    private readonly everyBytes = 256 * 1024,
  ) {}

  /** The terminal has written the log up to `shownBytes`; `idle` when nothing more is waiting to be written. */
  written(shownBytes: number, idle: boolean): void {
    this.latest = shownBytes;
    this.idle = idle;
    this.flush();
  }

  private flush(): void {
    if (this.sending || this.latest <= this.acknowledged) return;
    if (!this.idle && this.latest - this.acknowledged < this.everyBytes) return;
    const shown = this.latest;
    this.sending = true;
    // A lost acknowledgement costs nothing: the next one carries a later offset.
    void this.send(shown)
      .catch(() => undefined)
      .finally(() => {
        this.acknowledged = shown;
        this.sending = false;
        this.flush();
      });
  }
}
