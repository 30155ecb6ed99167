import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { CoreLog } from '../core-log';
import { writeFileAtomic } from '../fs/write-file-atomic';
import type { PushItem } from './bundle-source';
import { frameBytes, type Range, type Transfer } from './push-plan';

/** Files of more than one frame are journaled across pushes; a one-frame file is simply sent again. */
const journalFromBytes = frameBytes + 1;

const JournalSchema = z.object({
  formatVersion: z.literal(1),
  destination: z.string(),
  files: z.record(
    z.string(),
    z.object({ sha256: z.string(), size: z.number(), ranges: z.array(z.tuple([z.number(), z.number(), z.number()])) }),
  ),
});
type JournalFiles = z.infer<typeof JournalSchema>['files'];

/**
 * A local file keeping each large file's acknowledged ranges, so a push that gave up (or an app that closed) resumes
 * them in the next push instead of starting the file again. Without a path it keeps nothing.
 */
export class PushJournal {
  private journaled = '';
  private journaling = Promise.resolve();
  private failureNoted = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly destination: string,
    private readonly kept: JournalFiles,
    private readonly log: CoreLog,
  ) {}

  /** The journal an earlier push to this destination left; one for another destination, or torn, is ignored. */
  static async open(path: string | undefined, destination: string, log: CoreLog): Promise<PushJournal> {
    let kept: JournalFiles = {};
    if (path) {
      try {
        const parsed = JournalSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
        if (parsed.success && parsed.data.destination === destination) kept = parsed.data.files;
      } catch {
        // No journal, or a torn one: every file starts from its first byte.
      }
    }
    return new PushJournal(path, destination, kept, log);
  }

  /** An earlier push of this very file stopped part way. */
  unfinished(item: PushItem): boolean {
    const kept = this.kept[item.path];
    return kept !== undefined && kept.sha256 === item.sha256 && kept.ranges.some(([, end, acked]) => acked < end);
  }

  /**
   * Ranges acknowledged by an earlier push of the same file, to go on from where they stopped (the final sha256
   * check catches a file changed on the node in between); undefined when the file starts afresh.
   */
  resumableRanges(item: PushItem, onNode: boolean): Range[] | undefined {
    const kept = this.kept[item.path];
    if (!kept || kept.sha256 !== item.sha256 || kept.size !== item.size || !onNode) return undefined;
    return kept.ranges.map(([start, end, acked]) => ({ start, end, acked }));
  }

  /**
   * Written atomically, and only when an acknowledgement moved since the last time; one write at a time, each with
   * the ranges as they are when it starts (`transfers` is read then), so an older write never lands after a newer one.
   */
  save(transfers: () => readonly Transfer[]): Promise<void> {
    const write = async () => {
      if (!this.path) return;
      const files: JournalFiles = {};
      for (const { item, ranges } of transfers()) {
        if (item.size >= journalFromBytes)
          files[item.path] = {
            sha256: item.sha256,
            size: item.size,
            ranges: ranges.map((range) => [range.start, range.end, range.acked]),
          };
      }
      const text = JSON.stringify({ formatVersion: 1, destination: this.destination, files });
      if (text === this.journaled) return;
      await writeFileAtomic(this.path, text);
      this.journaled = text;
    };
    this.journaling = this.journaling.then(write, write);
    return this.journaling;
  }

  /**
   * A save whose failure is logged, not thrown: the push goes on without a journal (only a resume after it gives up
   * loses ground).
   */
  saveInBackground(transfers: () => readonly Transfer[]): void {
    void this.save(transfers).catch((error: unknown) => {
      // Said once, not every beat.
      if (this.failureNoted) return;
      this.failureNoted = true;
      this.log.failed(`Saving the push journal ${this.path}`, error);
    });
  }

  /** A completed push needs no journal. */
  async remove(): Promise<void> {
    // A write still under way lands first, or it would bring the journal back. Its failure, if any, was noted already.
    await this.journaling.catch(() => undefined);
    if (this.path) await rm(this.path, { force: true });
  }
}
