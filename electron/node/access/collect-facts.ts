import type { CredentialInput } from '../../common/credentials';
import type { FactsOutcome, HostFacts, HostKeyInfo } from '../../common/host-facts';
import type { HostKeyStore } from '../ssh/host-key-store';
import { connectSsh, execCommand, SshAccessError, type SshTarget } from '../ssh/ssh-connection';
import { factsProbeScript, parseFactsOutput, sudoCheckCommand } from './facts-probe';
import { runPreflightChecks, type SupportedPlatforms } from './preflight';

export interface CollectOptions {
  credential: CredentialInput;
  hostKeys: HostKeyStore;
  platforms: SupportedPlatforms;
  acceptNewHostKeys?: boolean;
  concurrency?: number;
  readyTimeoutMs?: number;
  onPresentedKey?: (target: SshTarget, blob: Buffer) => void;
  onOutcome?: (outcome: FactsOutcome, done: number, total: number) => void;
}

type Gathered = { address: string; hostKey: HostKeyInfo; facts: HostFacts };

/** One SSH session per host: the facts probe, then the sudo check with the password on stdin. */
async function gatherHost(target: SshTarget, options: CollectOptions): Promise<Gathered> {
  const { client, hostKey } = await connectSsh(target, {
    credential: options.credential,
    hostKeys: options.hostKeys,
    ...(options.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.onPresentedKey ? { onPresentedKey: (blob: Buffer) => options.onPresentedKey!(target, blob) } : {}),
  });
  try {
    const sentAtMs = Date.now();
    const probe = await execCommand(client, 'sh -s', factsProbeScript);
    const receivedAtMs = Date.now();
    let sudo: HostFacts['sudo'] = 'no-password-given';
    if (options.credential.sudoPassword !== undefined) {
      const check = await execCommand(client, sudoCheckCommand, `${options.credential.sudoPassword}\n`);
      sudo = check.code === 0 ? 'works' : 'refused';
    }
    return { address: target.host, hostKey, facts: parseFactsOutput(probe.stdout, { sentAtMs, receivedAtMs }, sudo) };
  } finally {
    client.end();
  }
}

function failure(address: string, error: unknown): FactsOutcome {
  if (error instanceof SshAccessError) {
    return {
      state: 'failed',
      address,
      kind: error.kind,
      message: error.message,
      ...(error.presentedKey ? { presentedKey: error.presentedKey } : {}),
      ...(error.knownKeys ? { knownKeys: error.knownKeys } : {}),
    };
  }
  return { state: 'failed', address, kind: 'probe-failed', message: `${address}: the facts probe failed (${(error as Error).message}).` };
}

/**
 * Collects facts from every host in parallel; one failing host never stops the others. Pre-flight checks run once
 * all hosts answered, so duplicates across hosts are found.
 */
export async function collectFacts(targets: readonly SshTarget[], options: CollectOptions): Promise<FactsOutcome[]> {
  const gathered: (Gathered | FactsOutcome)[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next;
      next += 1;
      const target = targets[index]!;
      const result = await gatherHost(target, options).catch((error: unknown) => failure(target.host, error));
      gathered[index] = result;
      done += 1;
      if ('state' in result) options.onOutcome?.(result, done, targets.length);
      else options.onOutcome?.({ state: 'ok', address: result.address, hostKey: result.hostKey, facts: result.facts, checks: [] }, done, targets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, targets.length) }, worker));
  const everyHost = gathered.filter((entry): entry is Gathered => !('state' in entry));
  return gathered.map((entry) =>
    'state' in entry
      ? entry
      : { state: 'ok', address: entry.address, hostKey: entry.hostKey, facts: entry.facts, checks: runPreflightChecks(entry.address, entry.facts, { platforms: options.platforms, everyHost }) },
  );
}
