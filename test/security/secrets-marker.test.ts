import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WsServerMessage } from '../../electron/common/api';
import { connectApi, messageQueue } from '../support/api-socket';
import { startServe, type ServeProcess } from '../support/airspray-serve';
import { filesUnder } from '../support/marker-search';

const run = promisify(execFile);

// The real built server (`airspray serve`) with a temp data folder, driven over its WebSocket as the page would.
describe('secrets never reach the disk or the log', () => {
  const tag = randomBytes(6).toString('hex');
  const markers = {
    password: `MARKER-PASSWORD-${tag}`,
    sudoPassword: `MARKER-SUDO-${tag}`,
    passphrase: `MARKER-PASSPHRASE-${tag}`,
    badKey: `MARKER-NOT-A-KEY-${tag}`,
  };
  let root: string;
  let dataDir: string;
  let serve: ServeProcess;
  let socket: WebSocket;
  let next: () => Promise<WsServerMessage>;
  let privateKey: string;
  /** Lines of the private key's own body: each is key material, and none may show up anywhere. */
  let keyMaterial: string[];
  const replies: string[] = [];
  let exportedArchive = Buffer.alloc(0);
  let callId = 0;

  async function call(method: string, params: unknown): Promise<WsServerMessage> {
    const id = ++callId;
    socket.send(JSON.stringify({ id, method, params }));
    for (;;) {
      const message = await next();
      replies.push(JSON.stringify(message));
      if (message.kind === 'reply' && message.id === id) return message;
    }
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airspray-secrets-'));
    dataDir = join(root, 'data');
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      markers.passphrase,
      '-C',
      'marker',
      '-f',
      join(root, 'marker_key'),
    ]);
    privateKey = await readFile(join(root, 'marker_key'), 'utf8');
    keyMaterial = privateKey.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
    expect(keyMaterial.length).toBeGreaterThan(1);
    serve = await startServe(['--data-dir', dataDir]);
    const port = Number(new URL(serve.url).port);
    const connected = await connectApi(port, { token: serve.token });
    if (!('socket' in connected)) throw new Error(`API refused: ${connected.refusedWith}`);
    socket = connected.socket;
    next = messageQueue(socket).next;
  });

  afterAll(async () => {
    socket?.close();
    await serve?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a project, adds a password profile and a key profile, tries to persist them, collects facts, exports', async () => {
    const created = await call('projects.create', { name: 'secrets-test' });
    expect(created).toMatchObject({ kind: 'reply', ok: true });
    const project = (created as { result: { id: string; revision: number } }).result;

    const passwordProfile = await call('credentials.add', {
      credential: {
        label: 'ops password',
        user: 'ops',
        auth: { kind: 'password', password: markers.password },
        sudoPassword: markers.sudoPassword,
      },
      persist: false,
    });
    expect(passwordProfile).toMatchObject({
      ok: true,
      result: { kind: 'password', hasSudoPassword: true, persisted: false },
    });
    const keyProfile = await call('credentials.add', {
      credential: { label: 'ops key', user: 'ops', auth: { kind: 'key', privateKey, passphrase: markers.passphrase } },
      persist: false,
    });
    expect(keyProfile).toMatchObject({ ok: true, result: { kind: 'key', keyType: 'ssh-ed25519' } });
    // Browser mode has no keychain: asking to persist is refused, and must not write the secret anyway.
    expect(
      await call('credentials.add', {
        credential: { label: 'persisted', user: 'ops', auth: { kind: 'password', password: markers.password } },
        persist: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'unsupported', field: 'persist' } });
    expect(
      await call('credentials.add', {
        credential: { label: 'bad key', user: 'ops', auth: { kind: 'key', privateKey: markers.badKey } },
        persist: false,
      }),
    ).toMatchObject({ ok: false, error: { field: 'auth.privateKey' } });
    expect(await call('credentials.list', {})).toMatchObject({ ok: true });

    // Facts with each profile against a loopback port where nothing listens: the secrets go through the SSH code
    // path and fail at connect, which must not log them either.
    for (const profile of [passwordProfile, keyProfile]) {
      const credentialId = (profile as { result: { id: string } }).result.id;
      const started = await call('access.collectFacts', {
        projectId: project.id,
        credentialId,
        hosts: [{ address: '127.0.0.1', port: 1 }],
      });
      expect(started).toMatchObject({ ok: true });
      for (;;) {
        const message = await next();
        replies.push(JSON.stringify(message));
        if (
          message.kind === 'event' &&
          message.event === 'access.progress' &&
          (message.payload as { finished: boolean }).finished
        )
          break;
      }
    }

    const allRoles = { controlPlane: true, etcd: true, worker: true, calicoRr: false };
    const withHosts = await call('projects.setHosts', {
      id: project.id,
      revision: project.revision,
      hosts: [{ name: 'node1', address: '10.231.0.11', roles: allRoles }],
    });
    expect(withHosts).toMatchObject({ ok: true });
    const planned = (
      withHosts as { result: { revision: number; cluster: { hosts: unknown[]; settings: Record<string, unknown> } } }
    ).result;
    expect(
      await call('projects.savePlan', {
        id: project.id,
        revision: planned.revision,
        hosts: planned.cluster.hosts,
        deployNode: 'node1',
        settings: { ...planned.cluster.settings, kubernetesVersion: '1.27.10' },
      }),
    ).toMatchObject({ ok: true });
    expect(await call('inventory.preview', { id: project.id })).toMatchObject({ ok: true });
    const exported = await call('inventory.exportArchive', { id: project.id, format: 'tar.gz' });
    expect(exported, JSON.stringify(exported).slice(0, 400)).toMatchObject({ ok: true });
    // The export travels base64-encoded and gzipped: search what is inside it as plain bytes.
    exportedArchive = gunzipSync(Buffer.from((exported as { result: { base64: string } }).result.base64, 'base64'));
  });

  it('finds no marker in any file under the data folder, in the server log, or in any message sent to the page', async () => {
    const files = [
      ...(await filesUnder(dataDir)),
      { path: 'exported inventory archive (tar)', bytes: exportedArchive },
    ];
    expect(files.map((file) => file.path).some((path) => path.endsWith('project.json'))).toBe(true);
    const needles = [...Object.values(markers), ...keyMaterial];
    const hits: string[] = [];
    for (const file of files) {
      for (const needle of needles) if (file.bytes.includes(needle)) hits.push(`${file.path}: ${needle.slice(0, 24)}`);
    }
    const log = serve.output();
    const sentToPage = replies.join('\n');
    for (const needle of needles) {
      if (log.includes(needle)) hits.push(`server log: ${needle.slice(0, 24)}`);
      if (sentToPage.includes(needle)) hits.push(`API message: ${needle.slice(0, 24)}`);
    }
    expect(hits).toEqual([]);
    // The search is not vacuous: the same byte search finds what the flow did store and send.
    expect(files.some((file) => file.bytes.includes('secrets-test'))).toBe(true);
    expect(exportedArchive.includes('node1 ')).toBe(true);
    expect(sentToPage).toContain('secrets-test-inventory.tar.gz');
  });
});
