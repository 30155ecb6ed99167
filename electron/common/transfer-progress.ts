import { z } from 'zod';

/** How far a pass over a bundle's files has come (verifying it here, pushing it to the deploy node). */
export const fileTransferCounts = {
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
};

/** Seconds left at the current rate; null until the rate is known. */
export const EtaSecondsSchema = z.number().nonnegative().nullable();
