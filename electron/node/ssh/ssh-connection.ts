import { Client, utils, type ClientChannel, type ConnectConfig } from 'ssh2';
import { AirsprayError } from '../../common/errors';
import { joinValues, type CoreMessage, type CoreMessageId, type CoreMessageParams } from '../../common/core-messages';
import type { CredentialInput } from '../../common/credentials';
import type { HostKeyInfo, sshFailureKinds } from '../../common/host-facts';
import { coreError, formatCoreMessage } from '../i18n/format-core-message';
import type { HostKeyStore } from './host-key-store';
import { hostKeyInfo, type HostKeyVerdict } from './known-hosts';
import { TickBatchedSocket } from './tick-batched-socket';

export type SshFailureKind = (typeof sshFailureKinds)[number];

/**
 * Why a connection failed, in the words the operator needs, with the keys involved for host-key failures. An
 * AirsprayError, so an API call that stops on it (a changed host key above all) answers with this message.
 */
export class SshAccessError extends AirsprayError {
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    readonly presentedKey?: HostKeyInfo,
    readonly knownKeys?: HostKeyInfo[],
    i18n?: CoreMessage,
  ) {
    super('conflict', message, undefined, i18n);
  }
}

/** A refusal from the core catalog: its English as the message, its id and values for the window. */
const sshRefusal = (
  kind: SshFailureKind,
  id: CoreMessageId,
  params: CoreMessageParams,
  presentedKey?: HostKeyInfo,
  knownKeys?: HostKeyInfo[],
) => new SshAccessError(kind, formatCoreMessage(id, params), presentedKey, knownKeys, { id, params });

export interface SshTarget {
  host: string;
  port: number;
}

export interface ConnectOptions {
  credential: Pick<CredentialInput, 'user' | 'auth'>;
  hostKeys: HostKeyStore;
  /** Record a key never seen before instead of refusing it (ssh's accept-new). A changed key is refused regardless. */
  acceptNewHostKeys?: boolean;
  readyTimeoutMs?: number;
  /** Sees every key a host presents, so a refused unknown key can be accepted later by its fingerprint. */
  onPresentedKey?: (blob: Buffer) => void;
}

export interface SshConnection {
  client: Client;
  hostKey: HostKeyInfo;
}

/** Checks a private key (and its passphrase) before any connection, naming the field at fault. */
export function assertUsablePrivateKey(privateKey: string, passphrase?: string): string {
  const parsed = utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) {
    const part = /passphrase|encrypted/i.test(parsed.message) ? 'passphrase' : 'privateKey';
    throw coreError('invalid_params', 'ssh.private-key-unreadable', { detail: parsed.message, part }, `auth.${part}`);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key?.type ?? 'unknown';
}

/**
 * Opens an authenticated SSH connection; ssh2 always gets a hostVerifier, so no unknown or changed key slips through.
 */
export function connectSsh(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const client = new Client();
  // Connected here rather than by ssh2, so that the packets of one turn of the event loop leave together.
  const sock = new TickBatchedSocket();
  let verdict: HostKeyVerdict | undefined;
  let presented: HostKeyInfo | undefined;
  const config: ConnectConfig = {
    sock,
    host: target.host,
    port: target.port,
    username: options.credential.user,
    readyTimeout: options.readyTimeoutMs ?? 10_000,
    keepaliveInterval: 15_000,
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      presented = hostKeyInfo(key);
      options.onPresentedKey?.(key);
      void options.hostKeys
        .judge(target.host, target.port, key)
        .then(async (judged) => {
          verdict = judged;
          if (judged.verdict === 'known') return verify(true);
          if (judged.verdict === 'unknown' && options.acceptNewHostKeys) {
            await options.hostKeys.accept(target.host, target.port, key);
            return verify(true);
          }
          verify(false);
        })
        .catch(() => verify(false));
    },
    ...(options.credential.auth.kind === 'password'
      ? { password: options.credential.auth.password, tryKeyboard: true }
      : {
          privateKey: options.credential.auth.privateKey,
          ...(options.credential.auth.passphrase ? { passphrase: options.credential.auth.passphrase } : {}),
        }),
  };
  if (options.credential.auth.kind === 'password') {
    const password = options.credential.auth.password;
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
      finish(prompts.map(() => password)),
    );
  }
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve({ client, hostKey: presented! }));
    // Listened to for the connection's whole life: ssh2 can report a failure twice (a handshake timeout, then the
    // connection lost before the handshake), and an 'error' nobody listens to ends the process. The first one before
    // ready is the failure; any one ends the connection, which its users see as 'close'.
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      client.end();
      reject(classifyFailure(target, error, verdict));
    });
    // A server that greets and then closes (sshd over MaxStartups, a host shutting down) ends the connection with
    // no error, and ssh2's ready timer stops with it: without this the caller would wait for ever.
    client.once('close', () =>
      reject(sshRefusal('unreachable', 'ssh.closed-early', { where: `${target.host}:${target.port}` })),
    );
    sock.connect({ host: target.host, port: target.port });
    client.connect(config);
  });
}

function classifyFailure(
  target: SshTarget,
  error: Error & { level?: string; code?: string },
  verdict: HostKeyVerdict | undefined,
): SshAccessError {
  const where = `${target.host}:${target.port}`;
  if (verdict && verdict.verdict !== 'known' && /verification failed/i.test(error.message)) {
    const { keyType, fingerprint } = verdict.presented;
    if (verdict.verdict === 'unknown')
      return sshRefusal('host-key-unknown', 'ssh.host-key-unknown', { where, keyType, fingerprint }, verdict.presented);
    const known = verdict.verdict === 'changed' ? verdict.known : [];
    const params = {
      where,
      fingerprint,
      knownCount: known.length,
      known: joinValues(known.map((key) => key.fingerprint)),
    };
    return sshRefusal('host-key-changed', 'ssh.host-key-changed', params, verdict.presented, known);
  }
  if (error.level === 'client-authentication') return sshRefusal('auth-refused', 'ssh.auth-refused', { where });
  if (error.level === 'client-timeout' || /timed out/i.test(error.message))
    return sshRefusal('timeout', 'ssh.timeout', { where });
  if (error.code === 'ECONNREFUSED') return sshRefusal('connection-refused', 'ssh.connection-refused', { where });
  return sshRefusal('unreachable', 'ssh.unreachable', { where, detail: error.code ?? error.message });
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command; `stdin` is written and closed, so secrets go through it and never on the command line. */
export function execCommand(client: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
      if (error) return reject(error);
      let stdout = '';
      let stderr = '';
      channel.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      channel.once('close', (code: number | null) => resolve({ code, stdout, stderr }));
      channel.end(stdin ?? '');
    });
  });
}
