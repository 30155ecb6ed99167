import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AirsprayError } from '../../../common/errors';
import { coreError } from '../../i18n/format-core-message';

/** The Harbor (or any Distribution registry) the images go to, and who pushes. */
export interface RegistryTarget {
  /** host[:port]; always spoken to over HTTPS. */
  address: string;
  /** PEM of the CA that signed the registry's certificate, trusted beside the system's roots. */
  caCertificate?: string | undefined;
  username?: string | undefined;
  /** Asked for at push time, never stored or logged. */
  password?: string | undefined;
}

/** Parameter and settings names the errors point at, so the UI can mark the field to fix. */
export const targetFields = {
  address: 'settings.registry.address',
  project: 'settings.registry.project',
  caCertificate: 'settings.registry.caCertificate',
  username: 'settings.registry.username',
  password: 'harborPassword',
} as const;

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

interface RequestOptions {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string | number>;
  body?: Buffer | Readable;
  /** The repository scope the request needs (`repository:<name>:pull,push`); drives bearer tokens. */
  scope?: string;
}

const untrustedCertificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(
  header: string | undefined,
): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header ?? '');
  if (!match) return undefined;
  const params = Object.fromEntries(
    [...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1]!.toLowerCase(), pair[2]!]),
  );
  return { scheme: match[1]!.toLowerCase(), params };
}

const TokenAnswerSchema = z.object({ token: z.string().optional(), access_token: z.string().optional() });

/**
 * One HTTPS conversation with a registry: trusts the given CA, answers Basic and Bearer challenges as
 * docker-registry and Harbor send them (a token per repository scope), and turns TLS and login failures into
 * errors naming the setting to fix. The password stays in this object and goes out only in Authorization headers.
 */
export class RegistrySession {
  private readonly agent: Agent;
  private scheme: 'anonymous' | 'basic' | 'bearer' | undefined;
  private bearer: { realm: URL; service: string | undefined } | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly target: RegistryTarget,
    private readonly signal?: AbortSignal,
  ) {
    const ca = target.caCertificate ? [...rootCertificates, target.caCertificate] : undefined;
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ...(ca ? { ca } : {}) });
  }

  get origin(): string {
    return `https://${this.target.address}`;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Learns how the registry wants to be spoken to (GET /v2/) and checks the credentials once, up front. */
  async login(): Promise<void> {
    const ping = await this.raw(new URL('/v2/', this.origin), { method: 'GET' });
    await drain(ping);
    if (ping.status === 200) {
      this.scheme = 'anonymous';
      return;
    }
    if (ping.status !== 401) throw this.unexpected('GET /v2/', ping.status, targetFields.address, 'address');
    const challenge = parseChallenge(first(ping.headers['www-authenticate']));
    if (challenge?.scheme === 'basic') {
      this.scheme = 'basic';
      this.requirePassword();
      const check = await this.raw(new URL('/v2/', this.origin), {
        method: 'GET',
        headers: { authorization: this.basicHeader() },
      });
      await drain(check);
      if (check.status === 401 || check.status === 403) throw this.refusedLogin();
      if (check.status !== 200) throw this.unexpected('GET /v2/', check.status, targetFields.address, 'registry');
      return;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      const realm = new URL(challenge.params.realm, this.origin);
      if (realm.protocol !== 'https:') {
        const params = { address: this.target.address, realm: realm.origin };
        throw coreError('unsupported', 'deploy.registry-token-http', params, targetFields.address);
      }
      this.scheme = 'bearer';
      this.bearer = { realm, service: challenge.params.service };
      // A token for no repository proves the password (Harbor and docker-registry's token servers refuse a wrong one).
      if (this.target.username) await this.token('');
      return;
    }
    const params = { address: this.target.address, scheme: challenge?.scheme ?? 'none' };
    throw coreError('unsupported', 'deploy.registry-auth-unsupported', params, targetFields.address);
  }

  /**
   * A request with the credentials the registry asked for; a bearer token refused once is renewed for the scope the
   * registry names.
   */
  async request(url: URL, options: RequestOptions): Promise<RegistryResponse> {
    if (!this.scheme) await this.login();
    const send = async (): Promise<RegistryResponse> =>
      this.raw(url, { ...options, headers: { ...options.headers, ...(await this.authorization(options.scope)) } });
    const response = await send();
    if (
      response.status !== 401 ||
      this.scheme !== 'bearer' ||
      (options.body !== undefined && !Buffer.isBuffer(options.body))
    )
      return response;
    const challenge = parseChallenge(first(response.headers['www-authenticate']));
    await drain(response);
    const scope = challenge?.params.scope ?? options.scope ?? '';
    this.tokens.delete(scope);
    await this.token(scope);
    return this.raw(url, {
      ...options,
      headers: { ...options.headers, authorization: `Bearer ${this.tokens.get(scope)}` },
    });
  }

  /** What an unauthenticated client (a cluster node's containerd) sees: whether it may pull this manifest. */
  async anonymousPull(url: URL, scope: string, accept: string): Promise<boolean> {
    const headers: Record<string, string> = { accept };
    if (this.scheme === 'bearer' && this.bearer) {
      const tokenUrl = this.tokenUrl(scope);
      const answer = await this.raw(tokenUrl, { method: 'GET' });
      if (answer.status !== 200) {
        await drain(answer);
        return false;
      }
      const body = TokenAnswerSchema.parse(JSON.parse(await readText(answer)));
      const token = body.token ?? body.access_token;
      if (token) headers.authorization = `Bearer ${token}`;
    }
    const response = await this.raw(url, { method: 'HEAD', headers });
    await drain(response);
    return response.status === 200;
  }

  private async authorization(scope: string | undefined): Promise<Record<string, string>> {
    if (this.scheme === 'basic') return { authorization: this.basicHeader() };
    if (this.scheme !== 'bearer' || scope === undefined) return {};
    if (!this.tokens.has(scope)) await this.token(scope);
    return { authorization: `Bearer ${this.tokens.get(scope)}` };
  }

  private tokenUrl(scope: string): URL {
    const url = new URL(this.bearer!.realm);
    if (this.bearer!.service) url.searchParams.set('service', this.bearer!.service);
    for (const part of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', part);
    return url;
  }

  private async token(scope: string): Promise<void> {
    const url = this.tokenUrl(scope);
    const answer = await this.raw(url, {
      method: 'GET',
      headers: this.target.username ? { authorization: this.basicHeader() } : {},
    });
    if (answer.status === 401 || answer.status === 403) {
      await drain(answer);
      throw this.target.username ? this.refusedLogin() : this.missingLogin();
    }
    if (answer.status !== 200) {
      await drain(answer);
      throw this.unexpected(`GET ${url.origin}${url.pathname}`, answer.status, targetFields.address, 'registry');
    }
    const body = TokenAnswerSchema.parse(JSON.parse(await readText(answer)));
    const token = body.token ?? body.access_token;
    if (!token)
      throw coreError(
        'conflict',
        'deploy.registry-token-empty',
        { address: this.target.address },
        targetFields.address,
      );
    this.tokens.set(scope, token);
  }

  private requirePassword(): void {
    if (!this.target.username) throw this.missingLogin();
    if (!this.target.password) {
      const params = { address: this.target.address, username: this.target.username ?? '' };
      throw coreError('invalid_params', 'deploy.registry-password-missing', params, targetFields.password);
    }
  }

  private basicHeader(): string {
    this.requirePassword();
    return `Basic ${Buffer.from(`${this.target.username}:${this.target.password}`).toString('base64')}`;
  }

  private missingLogin(): AirsprayError {
    const params = { address: this.target.address };
    return coreError('invalid_params', 'deploy.registry-username-missing', params, targetFields.username);
  }

  private refusedLogin(): AirsprayError {
    const params = { address: this.target.address, username: this.target.username ?? '' };
    return coreError('invalid_params', 'deploy.registry-login-refused', params, targetFields.password);
  }

  /** A status the registry should not answer `request` with; `fix`: doubt the address, or the registry. */
  unexpected(request: string, status: number, field: string, fix: 'address' | 'registry'): AirsprayError {
    const params = { request, address: this.target.address, status, fix };
    return coreError('conflict', 'deploy.registry-unexpected', params, field);
  }

  private raw(url: URL, options: RequestOptions): Promise<RegistryResponse> {
    return new Promise<RegistryResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...options.headers };
      if (Buffer.isBuffer(options.body)) headers['content-length'] = options.body.length;
      const outgoing = httpsRequest(
        url,
        { method: options.method, agent: this.agent, headers, ...(this.signal ? { signal: this.signal } : {}) },
        (response) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response }),
      );
      outgoing.once('error', (error) => reject(this.networkError(error as NodeJS.ErrnoException)));
      if (options.body === undefined || Buffer.isBuffer(options.body)) outgoing.end(options.body);
      // The response may come before the body is all sent (a refusal); the pipeline's error then stays the request's.
      else
        pipeline(options.body, outgoing).catch((error: unknown) =>
          reject(error instanceof AirsprayError ? error : this.networkError(error as NodeJS.ErrnoException)),
        );
    });
  }

  private networkError(error: NodeJS.ErrnoException): Error {
    if (this.signal?.aborted) return coreError('cancelled', 'deploy.image-push-cancelled', {}, 'pushId');
    const code = error.code ?? '';
    if (untrustedCertificateCodes.has(code)) {
      const params = { address: this.target.address, code };
      return coreError('conflict', 'deploy.registry-ca-untrusted', params, targetFields.caCertificate);
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const params = { address: this.target.address, detail: error.message };
      return coreError('conflict', 'deploy.registry-name-mismatch', params, targetFields.address);
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      const params = { address: this.target.address, code };
      return coreError('conflict', 'deploy.registry-certificate-expired', params, targetFields.caCertificate);
    }
    if (
      code === 'ECONNREFUSED' ||
      code === 'EHOSTUNREACH' ||
      code === 'ENOTFOUND' ||
      code === 'ETIMEDOUT' ||
      code === 'ECONNRESET' ||
      code === 'EPROTO'
    ) {
      return coreError(
        'conflict',
        'deploy.registry-unreachable',
        { address: this.target.address, code },
        targetFields.address,
      );
    }
    return error;
  }
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function drain(response: RegistryResponse): Promise<void> {
  response.body.resume();
  await new Promise<void>((resolve) => {
    if (response.body.readableEnded) resolve();
    else
      response.body
        .once('end', resolve)
        .once('close', resolve)
        .once('error', () => resolve());
  });
}

/** A response body as text, capped: registry answers worth reading are small JSON. */
export async function readText(response: RegistryResponse, limit = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      throw coreError('conflict', 'deploy.registry-answer-too-large', { limit }, targetFields.address);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
