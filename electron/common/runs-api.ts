import { z } from 'zod';
import { cancelMethod } from './cancel-result';
import { CredentialIdSchema, KeyPassphraseSchema, keySessionMethod } from './cluster-api';
import { ProjectIdSchema } from './project';
import { RunChainCheckSchema, RunOptionsSchema, RunRecordSchema } from './run';

export const RunIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Run ids are lowercase letters, digits and "-".');
export const RunRef = { projectId: ProjectIdSchema, runId: RunIdSchema };

/** Where kubespray lies on the deploy node, when not in the pushed bundle (runs.start, nodes.change). */
export const KubesprayDirSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9_./-]+$/, 'Give an absolute path on the deploy node.')
  .max(500)
  .optional();

/** Deploy and operate runs: the Deploy and Operate steps' part of the API contract (spread into api.ts). */
export const runsApiMethods = {
  'runs.start': keySessionMethod(
    'startRun',
    {
      options: RunOptionsSchema,
      kubesprayDir: KubesprayDirSchema,
    },
    RunRecordSchema,
  ),
  'runs.list': {
    exposeAs: 'listRuns',
    params: z.strictObject({ projectId: ProjectIdSchema }),
    result: z.array(RunRecordSchema),
  },
  'runs.get': { exposeAs: 'getRun', params: z.strictObject(RunRef), result: RunRecordSchema },
  /** Whether any ended run's record or log was changed since it was sealed into the project's chain. */
  'runs.verify': {
    exposeAs: 'verifyRuns',
    params: z.strictObject({ projectId: ProjectIdSchema }),
    result: RunChainCheckSchema,
  },
  'runs.log': {
    exposeAs: 'readRunLog',
    params: z.strictObject({
      ...RunRef,
      from: z.number().int().nonnegative(),
      /**
       * How many lines the view's terminal keeps (scrollback and screen): lines from `from` on that would scroll out
       * of it unseen may be left out (jump scroll, see `skip`).
       */
      keepLines: z.number().int().positive().max(10_000_000).optional(),
    }),
    /**
     * Up to 8 MiB of the local copy of the log from `from`, base64 (the log is bytes, colours included). With `skip`,
     * `data` is the log from `offset` to `skip.at`, then from `skip.to` on: the lines between scroll out unseen, and
     * the terminal ends as if it had parsed them once it resets its colours there.
     */
    result: z.object({
      offset: z.number().int(),
      data: z.base64(),
      logBytes: z.number().int(),
      skip: z.object({ at: z.number().int().nonnegative(), to: z.number().int().nonnegative() }).optional(),
    }),
  },
  'runs.attach': {
    exposeAs: 'attachRun',
    params: z.strictObject({ ...RunRef, credentialId: CredentialIdSchema, keyPassphrase: KeyPassphraseSchema }),
    result: RunRecordSchema,
  },
  'runs.cancel': cancelMethod('cancelRun', {
    ...RunRef,
    credentialId: CredentialIdSchema,
    keyPassphrase: KeyPassphraseSchema,
  }),
  'runs.ack': {
    exposeAs: 'acknowledgeRunOutput',
    /**
     * Flow control: this view's terminal has written the log up to `shownBytes`, and it reads the log up to
     * `toldBytes` (the length runs.output told it of without the bytes) from the core's copy itself. A view whose
     * acknowledgements fall far behind what was sent pauses the stream.
     */
    params: z.strictObject({
      ...RunRef,
      viewId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'A view id is 8 to 64 letters, digits and "-".'),
      shownBytes: z.number().int().nonnegative(),
      toldBytes: z.number().int().nonnegative().optional(),
    }),
    /** Whether the run's stream now waits for views to catch up. */
    result: z.object({ paused: z.boolean() }),
  },
} as const;

export const runsApiEvents = {
  'runs.output': {
    subscribeAs: 'onRunOutput',
    /**
     * The log grew by `length` bytes at `offset`. They come as `data` while every view keeps up; a view far behind
     * gets no data (it reads the log, `runs.log`, skipping what would scroll out unseen). `complete`: the run ended
     * and its whole log, up to offset + length, is in the server's copy.
     */
    payload: z.object({
      projectId: z.string(),
      runId: z.string(),
      offset: z.number().int().nonnegative(),
      length: z.number().int().nonnegative(),
      data: z.base64().optional(),
      complete: z.literal(true).optional(),
    }),
  },
  'runs.updated': { subscribeAs: 'onRunUpdated', payload: RunRecordSchema },
} as const;
