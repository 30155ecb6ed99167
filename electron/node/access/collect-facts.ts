import type { CredentialInput } from '../../common/credentials';
import type { FactsOutcome, HostFacts, HostKeyInfo } from '../../common/host-facts';
import type { Client } from 'ssh2';
import { formatCoreMessage } from '../i18n/format-core-message';
import { mapLimited } from '../map-limited';
import type { HostKeyStore } from '../ssh/host-key-store';
import { connectSsh, execCommand, SshAccessError, type SshTarget } from '../ssh/ssh-connection';
import {
  clockCommand,
  factsProbeScript,
  firewallRulesCommand,
  parseDropRules,
  parseFactsOutput,
  parsePeerOutput,
  peerProbe,
  sudoCheckCommand,
  type Peer,
} from './facts-probe';
import type { PlanView } from './kubespray-checks';
import { planPeerProbes, type PeerProbes } from './peer-probe-plan';
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
  /** The project's plan: names and roles decide which checks apply to whom; without it every host gets every check. */
  plan?: PlanView;
}

type Gathered = { address: string; hostKey: HostKeyInfo; facts: HostFacts; client: Client };

/** One SSH session per host: the facts probe, the clock, then the sudo check and firewall rules (password on stdin). */
async function gatherHost(target: SshTarget, options: CollectOptions): Promise<Gathered> {
  const { client, hostKey } = await connectSsh(target, {
    credential: options.credential,
    hostKeys: options.hostKeys,
    ...(options.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.onPresentedKey ? { onPresentedKey: (blob: Buffer) => options.onPresentedKey!(target, blob) } : {}),
  });
  try {
    const probe = await execCommand(client, 'sh -s', factsProbeScript);
    // The clock after the probe: the first command of a session also waits for sshd to set the session up, which
    // would lengthen the round trip that brackets the clock (measured: 82-163 ms off on hosts sharing this clock).
    const sentAtMs = Date.now();
    const clock = await execCommand(client, clockCommand);
    const receivedAtMs = Date.now();
    let sudo: HostFacts['sudo'] = 'no-password-given';
    let dropRules: string[] | undefined;
    if (options.credential.sudoPassword !== undefined) {
      const check = await execCommand(client, sudoCheckCommand, `${options.credential.sudoPassword}\n`);
      sudo = check.code === 0 ? 'works' : 'refused';
      if (sudo === 'works')
        dropRules = parseDropRules(
          (await execCommand(client, firewallRulesCommand, `${options.credential.sudoPassword}\n`)).stdout,
        );
    }
    const facts = parseFactsOutput(`${clock.stdout}${probe.stdout}`, { sentAtMs, receivedAtMs }, sudo);
    return { address: target.host, hostKey, facts: dropRules ? { ...facts, dropRules } : facts, client };
  } catch (error) {
    client.end();
    throw error;
  }
}

/** The hosts by address with the names the checks know them by: the plan's, else their own hostnames. */
function namedHosts(everyHost: readonly Gathered[], plan: PlanView | undefined): Peer[] {
  return everyHost.map((host) => ({
    address: host.address,
    name: plan?.hosts.find((planned) => planned.address === host.address)?.name ?? host.facts.hostname,
  }));
}

/** From one host, the names and ports the probe plan gives it. */
async function probePeers(host: Gathered, probes: PeerProbes | undefined): Promise<HostFacts> {
  if (!probes || probes.names.length + probes.ports.length === 0) return host.facts;
  const { command, stdin } = peerProbe(probes.names, probes.ports);
  return { ...host.facts, peers: parsePeerOutput((await execCommand(host.client, command, stdin)).stdout) };
}

function failure(address: string, error: unknown): FactsOutcome {
  if (error instanceof SshAccessError) {
    return {
      state: 'failed',
      address,
      kind: error.kind,
      message: error.message,
      ...(error.i18n ? { i18n: error.i18n } : {}),
      ...(error.presentedKey ? { presentedKey: error.presentedKey } : {}),
      ...(error.knownKeys ? { knownKeys: error.knownKeys } : {}),
    };
  }
  const i18n = { id: 'ssh.probe-failed', params: { address, detail: (error as Error).message } } as const;
  return { state: 'failed', address, kind: 'probe-failed', message: formatCoreMessage(i18n.id, i18n.params), i18n };
}

/**
 * Collects facts from every host in parallel; one failing host never stops the others. Pre-flight checks run once
 * all hosts answered, so duplicates across hosts are found.
 */
export async function collectFacts(targets: readonly SshTarget[], options: CollectOptions): Promise<FactsOutcome[]> {
  const limit = options.concurrency ?? 32;
  const gathered = await mapLimited(
    targets,
    limit,
    (target) => gatherHost(target, options).catch((error: unknown) => failure(target.host, error)),
    (result, done, total) =>
      options.onOutcome?.(
        'state' in result
          ? result
          : { state: 'ok', address: result.address, hostKey: result.hostKey, facts: result.facts, checks: [] },
        done,
        total,
      ),
  );
  const reached = gathered.filter((entry): entry is Gathered => !('state' in entry));
  // Host-to-host checks need every host's answer first; the sessions stay open until then. Bounded too, and each
  // host probes only the ports the plan gives it (peer-probe-plan.ts).
  const probes = planPeerProbes(namedHosts(reached, options.plan), options.plan);
  const withPeers = await mapLimited(reached, limit, async (host): Promise<Gathered | FactsOutcome> => {
    try {
      return { ...host, facts: await probePeers(host, probes.get(host.address)) };
    } catch (error) {
      return failure(host.address, error);
    } finally {
      host.client.end();
    }
  });
  const everyHost = withPeers.filter((entry): entry is Gathered => !('state' in entry));
  const context = { platforms: options.platforms, everyHost, ...(options.plan ? { plan: options.plan } : {}) };
  return gathered.map((entry) => {
    if ('state' in entry) return entry;
    const host = withPeers[reached.indexOf(entry)]!;
    return 'state' in host
      ? host
      : {
          state: 'ok',
          address: host.address,
          hostKey: host.hostKey,
          facts: host.facts,
          checks: runPreflightChecks(host.address, host.facts, context),
        };
  });
}
