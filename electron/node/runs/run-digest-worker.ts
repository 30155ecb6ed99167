import { StringDecoder } from 'node:string_decoder';
import { parentPort } from 'node:worker_threads';
import { AnsibleOutputParser } from './ansible-output-parser';
import {
  lowerThisThreadsPriority,
  workerReportMs,
  type DigestWorkerReply,
  type DigestWorkerRequest,
} from './run-digester';

// A run's digest, parsed on a worker thread of the lowest priority (see run-digester.ts).
lowerThisThreadsPriority();
const port = parentPort!;
const parser = new AnsibleOutputParser();
const decoder = new StringDecoder('utf8');
let lastReport = 0;
let trailing: ReturnType<typeof setTimeout> | undefined;

const report = (final: boolean) => {
  clearTimeout(trailing);
  trailing = undefined;
  lastReport = Date.now();
  const reply: DigestWorkerReply = { kind: 'digest', digest: final ? parser.end() : parser.snapshot(), final };
  port.postMessage(reply);
};

port.on('message', (request: DigestWorkerRequest) => {
  if (request.kind === 'end') {
    parser.push(decoder.end());
    report(true);
    return;
  }
  if (request.kind === 'plan') parser.plan(request.tasksPlanned);
  else parser.push(decoder.write(Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength)));
  // At most one report per interval while output flows, and one after it stops.
  const wait = workerReportMs - (Date.now() - lastReport);
  if (wait <= 0) report(false);
  else trailing ??= setTimeout(() => report(false), wait);
});
