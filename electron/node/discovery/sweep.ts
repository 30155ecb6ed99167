import { lookup } from 'node:dns/promises';
import { Socket } from 'node:net';
import { defaultConnectsPerSecond, type SweepClass, type SweepResult } from '../../common/discovery';
import { ConnectPacer } from './connect-pacer';
import type { SweepTarget } from './parse-targets';
import { SilenceCutoff } from './silence-cutoff';

export interface SweepOptions {
  ports: readonly number[];
  /** Connections open at once: the memory bound, whatever the size of the range. */
  concurrency?: number;
  /** Connect attempts started per second at most: what the LAN sees. */
  connectsPerSecond?: number;
  /** The longest an address may stay silent before it counts as silent, until the LAN's answer times are known. */
  connectTimeoutMs?: number;
  /** Once addresses answer, silence past max(this, 8 x the slowest answer) counts as silent. */
  minSilenceMs?: number;
  /** How long an open port may take to send its greeting; SSH servers greet at once. */
  bannerTimeoutMs?: number;
  signal?: AbortSignal;
  /** Each address as it is classified, in the order they finish; `inFlight` counts the connections still open. */
  onResult?: (result: SweepResult, progress: SweepCounts) => void;
}

export interface SweepCounts {
  scanned: number;
  inFlight: number;
}

/**
 * Enough connections for the default rate while the full connect timeout applies (2,000/s x 1.5 s), well under
 * the open-file limits Node starts with on Linux.
 */
export const defaultSweepConcurrency = 4096;

const classRank: Record<SweepClass, number> = { ssh: 3, 'open-not-ssh': 2, closed: 1, silent: 0 };

interface PortProbe {
  class: SweepClass;
  banner?: string;
  detail?: string;
}

/** What every probe of one sweep shares: the learned silence, the pace, and the open connections with their ends. */
interface SweepContext {
  ports: readonly number[];
  silence: SilenceCutoff<Socket>;
  pacer: ConnectPacer;
  bannerTimeoutMs: number;
  open: Map<Socket, (probe: PortProbe) => void>;
}

/**
 * Connects, reads the first line the service sends, and classifies the port. Never throws. Thousands run a second,
 * nearly all silent: a silent one costs its socket, one closure and one listener; the rest is added on connect.
 */
function probePort(address: string, port: number, context: SweepContext): Promise<PortProbe> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const socket = new Socket();
    const finish = (probe: PortProbe) => {
      if (!context.open.delete(socket)) return;
      context.silence.unwatch(socket);
      socket.destroy();
      resolve(probe);
    };
    context.open.set(socket, finish);
    context.silence.watch(socket, startedAt);
    socket.on('connect', () => {
      context.silence.recordAnswer(startedAt);
      context.silence.unwatch(socket);
      readGreeting(socket, context.bannerTimeoutMs, finish);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        context.silence.recordAnswer(startedAt);
        finish({ class: 'closed', detail: 'connection refused' });
      } else finish({ class: 'silent', detail: error.code ?? error.message });
    });
    socket.connect(port, address);
  });
}

/** Classifies a connected port by the first line it sends. */
function readGreeting(socket: Socket, bannerTimeoutMs: number, finish: (probe: PortProbe) => void): void {
  let received = '';
  const bannerTimer = setTimeout(
    () => finish({ class: 'open-not-ssh', detail: 'open, sent no greeting' }),
    bannerTimeoutMs,
  );
  const end = (probe: PortProbe) => {
    clearTimeout(bannerTimer);
    finish(probe);
  };
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    const lineEnd = received.indexOf('\n');
    if (lineEnd === -1 && received.length < 255) return;
    const line = (lineEnd === -1 ? received : received.slice(0, lineEnd)).replace(/\r$/, '').slice(0, 255);
    end(line.startsWith('SSH-') ? { class: 'ssh', banner: line } : { class: 'open-not-ssh', banner: printable(line) });
  });
  socket.on('close', () =>
    end(
      received
        ? { class: 'open-not-ssh', banner: printable(received.slice(0, 255)) }
        : { class: 'closed', detail: 'closed without a greeting' },
    ),
  );
}

const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

async function probeTarget(target: SweepTarget, context: SweepContext, signal?: AbortSignal): Promise<SweepResult> {
  let address = target.address;
  if (!address) {
    try {
      address = (await lookup(target.hostName!)).address;
    } catch {
      return { address: target.hostName!, hostName: target.hostName, class: 'silent', detail: 'name does not resolve' };
    }
  }
  let best: SweepResult | undefined;
  for (const port of context.ports) {
    await context.pacer.next();
    if (signal?.aborted) break;
    const probe = await probePort(address, port, context);
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
  if (!best) return { address, class: 'silent', detail: 'cancelled' };
  if (best.class === 'silent') delete best.port;
  return best;
}

/**
 * Sweeps the targets, taken one at a time from the iterable, with at most `concurrency` connections open and at
 * most `connectsPerSecond` started, reporting each address as it is classified. Keeps no results: memory stays
 * the same for a /16 as for a /24. A cancelled sweep reports nothing more and resolves with `cancelled`.
 */
export async function sweep(
  targets: Iterable<SweepTarget>,
  options: SweepOptions,
): Promise<{ scanned: number; cancelled: boolean }> {
  const { signal } = options;
  const context: SweepContext = {
    ports: options.ports,
    silence: new SilenceCutoff(options.connectTimeoutMs ?? 1500, options.minSilenceMs ?? 400, (socket, cutoffMs) =>
      context.open.get(socket)?.({ class: 'silent', detail: `no answer within ${Math.round(cutoffMs)} ms` }),
    ),
    pacer: new ConnectPacer(options.connectsPerSecond ?? defaultConnectsPerSecond),
    bannerTimeoutMs: options.bannerTimeoutMs ?? 2000,
    open: new Map(),
  };
  const cancelAll = () => {
    context.pacer.releaseAll();
    [...context.open.values()].forEach((finish) => finish({ class: 'silent', detail: 'cancelled' }));
  };
  signal?.addEventListener('abort', cancelAll, { once: true });
  const pending = targets[Symbol.iterator]();
  let scanned = 0;
  const worker = async () => {
    for (let next = pending.next(); !next.done && !signal?.aborted; next = pending.next()) {
      const result = await probeTarget(next.value, context, signal);
      if (signal?.aborted) return;
      scanned += 1;
      options.onResult?.(result, { scanned, inFlight: context.open.size });
    }
  };
  try {
    const workers = Array.from({ length: options.concurrency ?? defaultSweepConcurrency }, worker);
    await Promise.all(workers);
  } finally {
    signal?.removeEventListener('abort', cancelAll);
    context.silence.stop();
  }
  return { scanned, cancelled: signal?.aborted === true };
}
