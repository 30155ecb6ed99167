import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import type { SweepClass, SweepResult } from '../../common/discovery';
import type { SweepTarget } from './parse-targets';

export interface SweepOptions {
  ports: readonly number[];
  /** Connections open at once. */
  concurrency?: number;
  /** The longest an address may stay silent before it counts as silent, until the LAN's answer times are known. */
  connectTimeoutMs?: number;
  /** Once addresses answer, silence past max(this, 8 x the slowest answer) counts as silent. */
  minSilenceMs?: number;
  /** How long an open port may take to send its greeting; SSH servers greet at once. */
  bannerTimeoutMs?: number;
  signal?: AbortSignal;
  onResult?: (result: SweepResult, scanned: number) => void;
}

const silenceRecheckMs = 50;
const classRank: Record<SweepClass, number> = { ssh: 3, 'open-not-ssh': 2, closed: 1, silent: 0 };

/**
 * Learns how fast this LAN answers, so silence can be called early, as nmap does with its round-trip estimates:
 * before any answer the full timeout applies, after it a multiple of the slowest answer seen.
 */
export class SilenceCutoff {
  private slowestAnswerMs: number | undefined;
  constructor(
    private readonly connectTimeoutMs: number,
    private readonly minSilenceMs: number,
  ) {}

  recordAnswer(elapsedMs: number): void {
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs ?? 0, elapsedMs);
  }

  get cutoffMs(): number {
    if (this.slowestAnswerMs === undefined) return this.connectTimeoutMs;
    return Math.min(this.connectTimeoutMs, Math.max(this.minSilenceMs, 8 * this.slowestAnswerMs));
  }
}

interface PortProbe {
  class: SweepClass;
  banner?: string;
  detail?: string;
}

/** Connects, reads the first line the service sends, and classifies the port. Never throws. */
export function probePort(
  address: string,
  port: number,
  silence: SilenceCutoff,
  bannerTimeoutMs: number,
  signal?: AbortSignal,
): Promise<PortProbe> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let settled = false;
    let received = '';
    const socket = connect({ host: address, port });
    const finish = (probe: PortProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(probe);
    };
    const onAbort = () => finish({ class: 'silent', detail: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });
    const checkSilence = () => {
      const elapsed = performance.now() - startedAt;
      const cutoff = silence.cutoffMs;
      if (elapsed >= cutoff) finish({ class: 'silent', detail: `no answer within ${Math.round(cutoff)} ms` });
      // Re-check often: the cutoff shrinks as soon as the first address answers.
      else timer = setTimeout(checkSilence, Math.min(cutoff - elapsed, silenceRecheckMs));
    };
    let timer = setTimeout(checkSilence, Math.min(silence.cutoffMs, silenceRecheckMs));
    socket.once('connect', () => {
      silence.recordAnswer(performance.now() - startedAt);
      clearTimeout(timer);
      timer = setTimeout(() => finish({ class: 'open-not-ssh', detail: 'open, sent no greeting' }), bannerTimeoutMs);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const lineEnd = received.indexOf('\n');
      if (lineEnd === -1 && received.length < 255) return;
      const line = (lineEnd === -1 ? received : received.slice(0, lineEnd)).replace(/\r$/, '').slice(0, 255);
      finish(
        line.startsWith('SSH-') ? { class: 'ssh', banner: line } : { class: 'open-not-ssh', banner: printable(line) },
      );
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        silence.recordAnswer(performance.now() - startedAt);
        finish({ class: 'closed', detail: 'connection refused' });
      } else finish({ class: 'silent', detail: error.code ?? error.message });
    });
    socket.once('close', () =>
      finish(
        received
          ? { class: 'open-not-ssh', banner: printable(received.slice(0, 255)) }
          : { class: 'closed', detail: 'closed without a greeting' },
      ),
    );
  });
}

const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

interface SweepSettings {
  ports: readonly number[];
  silence: SilenceCutoff;
  bannerTimeoutMs: number;
  signal?: AbortSignal;
}

async function probeTarget(target: SweepTarget, options: SweepSettings): Promise<SweepResult> {
  let address = target.address;
  if (!address) {
    try {
      address = (await lookup(target.hostName!)).address;
    } catch {
      return { address: target.hostName!, hostName: target.hostName, class: 'silent', detail: 'name does not resolve' };
    }
  }
  let best: SweepResult | undefined;
  for (const port of options.ports) {
    const probe = await probePort(address, port, options.silence, options.bannerTimeoutMs, options.signal);
    const result: SweepResult = {
      address,
      ...(target.hostName ? { hostName: target.hostName } : {}),
      class: probe.class,
      port,
      ...(probe.banner ? { banner: probe.banner } : {}),
      ...(probe.detail ? { detail: probe.detail } : {}),
    };
    if (!best || classRank[result.class] > classRank[best.class]) best = result;
    if (result.class === 'ssh') break;
  }
  if (best!.class === 'silent') delete best!.port;
  return best!;
}

/**
 * Sweeps the targets with at most `concurrency` connections in flight, reporting each address as it is classified.
 * Resolves with every result in target order; a cancelled sweep resolves with what it had.
 */
export async function sweep(targets: readonly SweepTarget[], options: SweepOptions): Promise<SweepResult[]> {
  const concurrency = options.concurrency ?? 256;
  const settings: SweepSettings = {
    ports: options.ports,
    silence: new SilenceCutoff(options.connectTimeoutMs ?? 1500, options.minSilenceMs ?? 400),
    bannerTimeoutMs: options.bannerTimeoutMs ?? 2000,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const results: (SweepResult | undefined)[] = new Array(targets.length);
  let next = 0;
  let scanned = 0;
  const worker = async () => {
    while (next < targets.length && !options.signal?.aborted) {
      const index = next;
      next += 1;
      const result = await probeTarget(targets[index]!, settings);
      if (options.signal?.aborted) return;
      results[index] = result;
      scanned += 1;
      options.onResult?.(result, scanned);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return results.filter((result): result is SweepResult => result !== undefined);
}
