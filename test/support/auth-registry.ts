import { execFile, spawn } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import { dockerRegistryBinary, freePort, registryTestConfig, type RunningRegistry } from './bundle-lab';

const run = promisify(execFile);

export interface TestCa {
  dir: string;
  /** PEM of the CA, as an operator pastes it into the Settings step. */
  caPem: string;
  /** A certificate and key for the addresses asked for, signed by this CA. */
  serverCert: string;
  serverKey: string;
}

/** A new RSA key in `keyFile` and a two-day self-signed certificate for `subject` in `certFile`, made by openssl. */
async function selfSigned(keyFile: string, certFile: string, subject: string): Promise<void> {
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile];
  await run('openssl', [...args, '-days', '2', '-subj', subject]);
}

/** A throwaway CA made with openssl and a server certificate it signed for `addresses` (127.0.0.1 unless told). */
export async function makeTestCa(
  dir: string,
  name: string,
  addresses: readonly string[] = ['127.0.0.1'],
): Promise<TestCa> {
  await mkdir(dir, { recursive: true });
  const at = (file: string) => join(dir, file);
  await selfSigned(at('ca.key'), at('ca.crt'), `/CN=${name} test CA`);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
    '-subj',
    `/CN=${addresses[0]}`,
  ]);
  await writeFile(
    at('server.ext'),
    `subjectAltName=${addresses.map((address) => `IP:${address}`).join(',')}\nextendedKeyUsage=serverAuth\n`,
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.crt'),
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
  ]);
  return {
    dir,
    caPem: await readFile(at('ca.crt'), 'utf8'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
  };
}

export interface TokenService {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate whose key signs the tokens: the registry's rootcertbundle. */
  certificate: string;
  /** Every token request, for tests that look at the flow (never holds the password). */
  requests: { user: string | null; scopes: string[] }[];
  close(): Promise<void>;
}

/**
 * A token service as docker-registry's `auth.token` expects (the role Harbor's core plays): Basic login at the
 * realm, an RS256 JWT with the signing certificate in `x5c`, push and pull granted to the one user, nothing to
 * anonymous callers. Written here because Debian ships no token server.
 */
export async function startTokenService(ca: TestCa, login: { user: string; password: string }): Promise<TokenService> {
  const signingKey = join(ca.dir, 'token.key');
  const certificate = join(ca.dir, 'token.crt');
  await selfSigned(signingKey, certificate, '/CN=airspray test token signer');
  const keyPem = await readFile(signingKey, 'utf8');
  const x5c = new X509Certificate(await readFile(certificate)).raw.toString('base64');
  const service = 'airspray-test-registry';
  const issuer = 'airspray-test-issuer';
  const requests: TokenService['requests'] = [];
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const server: Server = createServer(
    { cert: await readFile(ca.serverCert), key: await readFile(ca.serverKey) },
    (request, response) => {
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
      const [user, password] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(/:(.*)/s) : [null, null];
      const scopes = url.searchParams.getAll('scope');
      requests.push({ user: user ?? null, scopes });
      if (basic && (user !== login.user || password !== login.password)) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      const access = basic
        ? scopes.flatMap((scope) => {
            const [type, name, actions] = scope.split(':');
            return type === 'repository' && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
          })
        : [];
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${base64url({ alg: 'RS256', typ: 'JWT', x5c: [x5c] })}.${base64url({ iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access })}`;
      const signature = createSign('RSA-SHA256').update(unsigned).sign(keyPem).toString('base64url');
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `${unsigned}.${signature}`, expires_in: 300 }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `https://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificate,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type RegistryAuth =
  { kind: 'htpasswd'; user: string; password: string } | { kind: 'token'; service: TokenService };

/**
 * Debian's docker-registry over TLS with the given authentication, storing in `root`: the stand-in for Harbor. It
 * listens on 127.0.0.1, or on `host` (the lab's laptop address, for tests whose lab hosts reach it).
 */
export async function startAuthRegistry(
  root: string,
  ca: TestCa,
  auth: RegistryAuth,
  host = '127.0.0.1',
): Promise<RunningRegistry & { address: string }> {
  const port = await freePort();
  const configDir = join(ca.dir, `registry-${port}`);
  await mkdir(configDir, { recursive: true });
  let authLines: string[];
  if (auth.kind === 'htpasswd') {
    // bcrypt, the only hash docker-registry accepts, from apache2-utils' htpasswd.
    const { stdout } = await run('htpasswd', ['-Bbn', auth.user, auth.password]);
    await writeFile(join(configDir, 'htpasswd'), stdout);
    authLines = [
      'auth:',
      '  htpasswd:',
      '    realm: airspray-test',
      `    path: ${JSON.stringify(join(configDir, 'htpasswd'))}`,
    ];
  } else {
    const { service } = auth;
    authLines = [
      'auth:',
      '  token:',
      `    realm: ${service.realm}`,
      `    service: ${service.service}`,
      `    issuer: ${service.issuer}`,
      `    rootcertbundle: ${JSON.stringify(service.certificate)}`,
    ];
  }
  const tls = [
    '  tls:',
    `    certificate: ${JSON.stringify(ca.serverCert)}`,
    `    key: ${JSON.stringify(ca.serverKey)}`,
  ];
  const config = registryTestConfig(root, port, { readOnly: false, auth: authLines, tls, host });
  const configPath = join(configDir, 'config.yml');
  await writeFile(configPath, config);
  const child = spawn(dockerRegistryBinary, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const address = `${host}:${port}`;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connectTls({ host, port, ca: ca.caPem }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return { url: `https://${address}`, port, address, stop };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${address}: ${output}`);
}

/** Harbor's two logins side by side for `login`: a registry with Basic auth, and one behind a token service. */
export interface HarborStandIns {
  basicRegistry: RunningRegistry & { address: string };
  tokenService: TokenService;
  tokenRegistry: RunningRegistry & { address: string };
  stop(): Promise<void>;
}

/** Starts the HarborStandIns under `workDir` (basic-store/, token-store/), both serving with `ca`'s certificate. */
export async function startHarborStandIns(
  workDir: string,
  ca: TestCa,
  login: { user: string; password: string },
): Promise<HarborStandIns> {
  const basicRegistry = await startAuthRegistry(join(workDir, 'basic-store'), ca, { kind: 'htpasswd', ...login });
  const tokenService = await startTokenService(ca, login);
  const tokenRegistry = await startAuthRegistry(join(workDir, 'token-store'), ca, {
    kind: 'token',
    service: tokenService,
  });
  const stop = async () => {
    await basicRegistry.stop();
    await tokenRegistry.stop();
    await tokenService.close();
  };
  return { basicRegistry, tokenService, tokenRegistry, stop };
}
