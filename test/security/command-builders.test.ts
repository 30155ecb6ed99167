import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Client, ClientCallback } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleManifestSchema, type BundleManifest } from '../../electron/common/bundle-manifest';
import { AirsprayError } from '../../electron/common/errors';
import { createAirsprayCore } from '../../electron/node/api/airspray-core';
import { dispatchApiCall } from '../../electron/node/api/dispatch-api-call';
import { generateSigningKey } from '../../electron/node/bundles/bundle-signing';
import { writeSignedManifest } from '../../electron/node/bundles/write-manifest';
import { installKeyScript } from '../../electron/node/deploy/key-bootstrap';
import { caFileStem, parseCaCertificates, trustScript } from '../../electron/node/deploy/harbor/trust-ca';
import { checkFromHost, startOfflineServices } from '../../electron/node/deploy/offline-services';
import { pushBundle } from '../../electron/node/deploy/push-bundle';
import { execAsRoot, writeFileScript } from '../../electron/node/deploy/remote-shell';
import { execCommand } from '../../electron/node/ssh/ssh-connection';
import { inventoryToPlan } from '../../electron/node/inventory/parse-inventory';
import {
  cancelRemoteRun,
  followRemoteRun,
  playbookCommand,
  readRemoteStatus,
  remoteRunDir,
  startRemoteRun,
} from '../../electron/node/runs/remote-run';
import { makeTestCa } from '../support/auth-registry';
import { testManifest } from '../support/bundle-fixtures';
import { localShellClient, overlayUpper, parseCalls, writeRemoteStandIns } from '../support/local-shell';

const run = promisify(execFile);

// Each remote command builder gets hostile values and its command runs in a real local sh (see local-shell.ts:
// only the SSH transport is replaced). Proof of no injection: every value arrives literally (as a file name, file
// content or argv) and no payload's `touch` ever ran.
let root: string;
let standIns: { bin: string; log: string };
/** Absolute marker every payload tries to create; `pwned` (relative) is the one for values that cannot hold "/". */
let marker: string;

const payloads = (target: string) => [
  `$(touch ${target})`,
  `\`touch ${target}\``,
  `; touch ${target};`,
  `' ; touch ${target}; '`,
  `" ; touch ${target}; "`,
  `| touch ${target}`,
  `&& touch ${target}`,
];
/**
 * A hostile value: every payload, quotes of both kinds (balanced, so that spliced into a command unquoted, in double
 * or in single quotes, some payload runs), expansions, globs, an option look-alike and (unless its schema refuses
 * it) a newline.
 */
const hostile = (label: string, target: string, newline = true) =>
  `${label} "x" ${payloads(target).join(' ')} $HOME \${PATH} * ~ -n${newline ? `\ntouch ${target}\n` : ''}`;

const calls = async () => parseCalls(await readFile(standIns.log, 'utf8').catch(() => ''));
const nothingRan = () => {
  expect(existsSync(marker), `${marker} exists: a payload ran`).toBe(false);
  expect(existsSync(join(root, 'pwned')), 'pwned exists: a payload ran').toBe(false);
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airspray-builders-'));
  marker = join(root, 'marker', 'pwned');
  await mkdir(dirname(marker));
  standIns = await writeRemoteStandIns(join(root, 'stand-ins'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

describe('remote command builders fed hostile values, run by a real sh', () => {
  it('the payloads are live: spliced into a command unquoted, they run', async () => {
    const client = await localShellClient({ cwd: root });
    for (const spliced of [hostile('live', marker), `"${hostile('live', marker)}"`, `'${hostile('live', marker)}'`]) {
      await execCommand(client, `echo ${spliced}`);
      expect(existsSync(marker), spliced).toBe(true);
      await rm(marker);
    }
  });

  it('execAsRoot + writeFileScript: a hostile path gets hostile content, byte for byte, the password only on stdin', async () => {
    const client = await localShellClient({ path: [standIns.bin], cwd: root });
    const path = join(root, 'write', hostile('dir', marker), hostile('file', marker));
    await mkdir(dirname(path), { recursive: true });
    const content = `${hostile('content', marker)}\n${'é✓'.repeat(10)}\0binary?`;
    const password = hostile('password', marker, false);
    const result = await execAsRoot(client, writeFileScript(path, content, '600'), password);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(content);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const sudo = (await calls()).at(-1)!;
    expect(sudo.slice(0, 6)).toEqual(['sudo', '-k', '-S', '-p', '', 'sh']);
    expect(sudo.join(' ')).not.toContain('password');
    const passwords = (await readFile(join(standIns.bin, '..', 'sudo-passwords.log'), 'utf8')).trim().split('\n');
    expect(Buffer.from(passwords.at(-1)!, 'base64').toString()).toBe(password);
    nothingRan();
  });

  it('installKeyScript: a hostile key comment lands in authorized_keys literally, once', async () => {
    const home = join(root, 'home');
    await mkdir(home);
    const client = await localShellClient({ env: { HOME: home }, cwd: root });
    const publicKey = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostileCommentTest0000000000000000000000000 ${hostile('comment', marker)}`;
    for (const expected of ['added', 'present']) {
      const { code, stdout, stderr } = await execCommand(client, installKeyScript(publicKey));
      expect(code, stderr).toBe(0);
      expect(stdout.split('\n')[0]).toBe(expected);
    }
    expect(await readFile(join(home, '.ssh', 'authorized_keys'), 'utf8')).toBe(`${publicKey}\n`);
    nothingRan();
  });

  it('checkFromHost: hostile URLs and headers reach python as data, never as code', async () => {
    const client = await localShellClient({ cwd: root });
    // 127.0.0.1:9 answers nothing (loopback only); the point is what the command line does with the values.
    const checks = [
      {
        name: 'file' as const,
        url: `http://127.0.0.1:9/${hostile('url', marker)}`,
        method: 'HEAD' as const,
        headers: { accept: hostile('header', marker, false) },
        expect: { status: 200 },
      },
      {
        name: 'repo' as const,
        url: `http://127.0.0.1:9/${encodeURIComponent(hostile('url', 'pwned'))}`,
        method: 'HEAD' as const,
        expect: { status: 200 },
      },
    ];
    const report = await checkFromHost(client, hostile('host', marker), checks);
    expect(report.checks.map((check) => check.url)).toEqual(checks.map((check) => check.url));
    expect(report.checks.every((check) => !check.ok && check.detail !== 'no answer')).toBe(true);
    nothingRan();
  });

  it('pushBundle: hostile file names and a hostile destination arrive as named, and a second push finds them all', async () => {
    const bundleDir = join(root, 'bundle');
    const names = [
      `kubespray/${hostile('role', marker, false)}/main.yml`,
      `files/${hostile('file', 'pwned', false).replaceAll('/', '_')}`,
      'kubespray/-n \'a\' "b" $(touch pwned) `touch pwned`.yml',
      'repos/*',
    ];
    for (const [index, name] of names.entries()) {
      await mkdir(dirname(join(bundleDir, name)), { recursive: true });
      await writeFile(join(bundleDir, name), `content ${index} ${name}\n`);
    }
    const manifest: BundleManifest = BundleManifestSchema.parse(
      await testManifest(bundleDir, { bundleId: 'hostile-names', networkPlugins: ['calico'] }),
    );
    expect(manifest.files.map((file) => file.path).sort()).toEqual([...names].sort());
    await writeSignedManifest(bundleDir, manifest, generateSigningKey().privateKeyPem);
    const destination = join(root, 'push', hostile('destination', marker));
    await mkdir(destination, { recursive: true });
    const push = () =>
      pushBundle({
        bundleDir,
        manifest,
        destination,
        connect: () => localShellClient({ cwd: root }),
        sudoPassword: undefined,
        reserveBytes: 0,
      });
    expect(await push()).toMatchObject({ filesSent: names.length + 2, filesSkipped: 0 });
    for (const [index, name] of names.entries())
      expect(await readFile(join(destination, name), 'utf8')).toBe(`content ${index} ${name}\n`);
    expect(await push()).toMatchObject({ filesSent: 0, filesSkipped: names.length + 2 });
    // The login starts while the bundle is listed; a folder without its manifest is refused, and that login ended.
    let ended = 0;
    const counted = async () => Object.assign(await localShellClient({ cwd: root }), { end: () => void (ended += 1) });
    await expect(
      pushBundle({
        bundleDir: join(root, 'not-a-bundle'),
        manifest,
        destination,
        connect: counted,
        sudoPassword: undefined,
      }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'bundle' });
    await expect.poll(() => ended).toBe(1);
    // A login that fails at once, while the bundle is still being listed, fails the push with its own error.
    await expect(
      pushBundle({
        bundleDir,
        manifest,
        destination,
        connect: () => Promise.reject(new AirsprayError('conflict', 'the deploy node refused')),
        sudoPassword: undefined,
      }),
    ).rejects.toThrow('the deploy node refused');
    nothingRan();
  });

  it('refuses a bundle id or file name that a deploy-node command could misread, naming the field', async () => {
    const manifest = async (bundleId: string, files: BundleManifest['files']) =>
      BundleManifestSchema.safeParse(await testManifest(root, { bundleId, files }));
    for (const bundleId of [
      '../../etc',
      'a b',
      '$(touch pwned)',
      'x\n[Service]\nExecStartPre=/bin/touch /pwned',
      '-rf',
    ]) {
      const parsed = await manifest(bundleId, []);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['bundleId']);
    }
    const file = { size: 1, sha256: '0'.repeat(64), kind: 'file' as const };
    const withNewline = await manifest('b', [{ ...file, path: 'files/a\nb' }]);
    expect(withNewline.error?.issues[0]?.path).toEqual(['files', 0, 'path']);
  });
});

// These builders write under /etc, /var/lib and /usr/local/share as root: their commands run in a private mount
// namespace with those folders overlaid (writes land in the test's folder), so root is needed; without it they are
// reported skipped.
describe.skipIf(!isRoot)(
  'root-side builders fed hostile values, run by a real sh over an overlaid /etc, /var/lib and /usr/local/share',
  () => {
    const caStore = (overlay: string) => join(overlayUpper(overlay, '/usr/local/share'), 'ca-certificates');

    it('Harbor CA trust: a hostile project name becomes a plain file name, text around the PEM never reaches the host, update-ca-certificates takes it', async () => {
      const overlay = join(root, 'overlay-ca');
      const client = await localShellClient({ path: [standIns.bin], rootOverlay: overlay, cwd: root });
      const stem = caFileStem(hostile('Project', marker));
      expect(stem).toMatch(/^airspray-harbor-[a-z0-9._-]+$/);
      expect(stem.length).toBeLessThan(200);
      expect(caFileStem(`${'a'.repeat(100)}x`)).not.toBe(caFileStem(`${'a'.repeat(100)}y`));
      const ca = await makeTestCa(join(root, 'harbor-ca'), 'Harbor');
      const certificates = parseCaCertificates(`${hostile('before', marker)}\n${ca.caPem}${hostile('after', marker)}`);
      expect(certificates).toEqual([new X509Certificate(ca.caPem).toString()]);
      for (const expected of ['installed', 'present']) {
        const result = await execAsRoot(client, trustScript(stem, certificates), hostile('sudo', marker, false));
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout.trim().split('\n').at(-1)).toBe(`airspray-ca: ${expected} debian`);
      }
      expect(await readdir(caStore(overlay))).toEqual([`${stem}.crt`]);
      expect(await readFile(join(caStore(overlay), `${stem}.crt`), 'utf8')).toBe(certificates[0]);
      nothingRan();
    });

    it('Harbor CA trust script: hostile file names and certificate text land as named, byte for byte; a dropped certificate is removed', async () => {
      // The builder must quote whatever it is given, past caFileStem and the PEM parser: the stand-in for
      // update-ca-certificates makes the bundle our files without whitespace, as the script searches it.
      const bin = join(root, 'ca-stand-in');
      await mkdir(bin);
      await writeFile(
        join(bin, 'update-ca-certificates'),
        "#!/bin/sh\ncat /usr/local/share/ca-certificates/*.crt | tr -d ' \\t\\r\\n' > /etc/ssl/certs/ca-certificates.crt\n",
        { mode: 0o755 },
      );
      const overlay = join(root, 'overlay-ca-script');
      const client = await localShellClient({ path: [bin, standIns.bin], rootOverlay: overlay, cwd: root });
      const stem = hostile('stem', 'pwned');
      const certificates = [hostile('pem one', marker), hostile('pem two', marker, false)];
      for (const expected of ['installed', 'present']) {
        const result = await execAsRoot(client, trustScript(stem, certificates), 'x');
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout.trim().split('\n').at(-1)).toBe(`airspray-ca: ${expected} debian`);
      }
      expect((await readdir(caStore(overlay))).sort()).toEqual([`${stem}--2.crt`, `${stem}.crt`].sort());
      expect(await readFile(join(caStore(overlay), `${stem}.crt`), 'utf8')).toBe(certificates[0]);
      expect(await readFile(join(caStore(overlay), `${stem}--2.crt`), 'utf8')).toBe(certificates[1]);
      const fewer = await execAsRoot(client, trustScript(stem, certificates.slice(0, 1)), 'x');
      expect(fewer.stdout.trim().split('\n').at(-1)).toBe('airspray-ca: installed debian');
      expect(await readdir(caStore(overlay))).toEqual([`${stem}.crt`]);
      nothingRan();
    });

    it('a run: every hostile option reaches ansible-playbook as one argument each, and the files on the node hold them literally', async () => {
      const overlay = join(root, 'overlay-run');
      const client = await localShellClient({ path: [standIns.bin], rootOverlay: overlay, cwd: root });
      const kubesprayDir = join(root, 'kubespray', hostile('kubespray', marker));
      await mkdir(kubesprayDir, { recursive: true });
      const h = hostile('value', marker);
      const invocation = {
        kubesprayDir,
        inventory: `inventory/${h}/hosts.yaml`,
        playbook: `${h}.yml`,
        limit: h,
        tags: h,
        skipTags: h,
        extraVars: { [h]: h, count: 3, enabled: false },
      };
      const password = hostile('sudo', marker, false);
      const knownHosts = `10.0.0.1 ssh-ed25519 AAAA ${h}\n`;
      const runId = 'r-hostile-1';
      const dir = remoteRunDir(runId);
      const passphrase = hostile('passphrase', marker, false);
      await run('ssh-keygen', [
        '-q',
        '-t',
        'ed25519',
        '-N',
        passphrase,
        '-C',
        hostile('key', marker, false),
        '-f',
        join(root, 'run_key'),
      ]);
      const key = {
        privateKey: await readFile(join(root, 'run_key'), 'utf8'),
        passphrase,
        publicKey: (await readFile(join(root, 'run_key.pub'), 'utf8')).trim(),
      };
      await startRemoteRun(client, {
        runId,
        cluster: 'c1',
        user: 'root',
        sudoPassword: password,
        key,
        invocation,
        knownHosts,
      });

      const recorded = await calls();
      const ansible = recorded.filter((call) => call[0] === 'ansible-playbook').at(-1);
      expect(ansible).toEqual([
        'ansible-playbook',
        '-i',
        invocation.inventory,
        invocation.playbook,
        '--limit',
        h,
        `--tags=${h}`,
        `--skip-tags=${h}`,
        '-e',
        JSON.stringify(invocation.extraVars),
        '-b',
        '--become-password-file',
        `${dir}/become`,
      ]);
      const systemdRun = recorded.filter((call) => call[0] === 'systemd-run').at(-1)!;
      expect(systemdRun.slice(1, 3)).toEqual([`--unit=airspray-run-${runId}`, '--uid=root']);
      expect(systemdRun.slice(-2)).toEqual(['/bin/sh', `${dir}/run.sh`]);
      const lastLine = async (file: string) =>
        Buffer.from(
          (await readFile(join(standIns.bin, '..', file), 'utf8')).trim().split('\n').at(-1)!,
          'base64',
        ).toString();
      expect(await lastLine('ansible-cwd.log')).toBe(kubesprayDir);
      expect(await lastLine('become.log')).toBe(password);

      const onNode = join(overlayUpper(overlay, '/var/lib'), dir.slice('/var/lib/'.length));
      expect(await readFile(join(onNode, 'command'), 'utf8')).toBe(`${playbookCommand(invocation, `${dir}/become`)}\n`);
      expect(await readFile(join(onNode, 'known_hosts'), 'utf8')).toBe(knownHosts);
      expect(await readFile(join(onNode, 'deploy_key.pub'), 'utf8')).toBe(`${key.publicKey}\n`);
      // The agent took the key with its hostile passphrase (else the log would say so and ansible-playbook not run).
      expect(await readFile(join(onNode, 'log'), 'utf8')).not.toContain('airspray:');
      for (const secret of ['become', 'deploy_key', 'key_passphrase'])
        expect(existsSync(join(onNode, secret)), `${secret} outlived the run`).toBe(false);
      expect(await readRemoteStatus(client, runId)).toMatchObject({ exitCode: 0, cancelled: false });
      const chunks: Buffer[] = [];
      const followCommands: string[] = [];
      const exec = client.exec;
      client.exec = ((command: string, callback: ClientCallback) => {
        followCommands.push(command);
        return exec.call(client, command, callback);
      }) as Client['exec'];
      // A run already finished: its status comes with its log, in the one command.
      expect(await followRemoteRun(client, runId, 0, (chunk) => chunks.push(chunk)).done).toMatchObject({
        exitCode: 0,
        cancelled: false,
      });
      client.exec = exec;
      expect(followCommands).toHaveLength(1);
      // A status.json that is not a status is refused by the same schema, saying what it held.
      const garbled = 'r-garbled-1';
      await mkdir(join(onNode, '..', garbled), { recursive: true });
      await writeFile(join(onNode, '..', garbled, 'status.json'), '{"exitCode": "0"}\n');
      await expect(readRemoteStatus(client, garbled)).rejects.toThrow('does not read as a status: {"exitCode": "0"}');
      expect(Buffer.concat(chunks).toString()).toBe(await readFile(join(onNode, 'log'), 'utf8'));
      expect(Buffer.concat(chunks).toString()).toContain('PLAY RECAP');

      expect(await cancelRemoteRun(client, runId, password)).toBe(true);
      expect((await calls()).at(-1)).toEqual(['systemctl', 'stop', `airspray-run-${runId}.service`]);
      nothingRan();
    });

    it('a run id or cluster name that is not a plain name is refused before any command is built', async () => {
      const client = await localShellClient({ path: [standIns.bin], cwd: root });
      const before = (await calls()).length;
      const runId = hostile('run', marker);
      const invocation = { kubesprayDir: '/k', inventory: 'i', playbook: 'cluster.yml' };
      const key = { privateKey: 'x', publicKey: 'ssh-ed25519 AAAA' };
      await expect(
        startRemoteRun(client, {
          runId,
          cluster: 'c1',
          user: 'root',
          sudoPassword: 'x',
          key,
          invocation,
          knownHosts: '',
        }),
      ).rejects.toMatchObject({ field: 'runId' });
      await expect(
        startRemoteRun(client, {
          runId: 'r-1',
          cluster: hostile('cluster', marker),
          user: 'root',
          sudoPassword: 'x',
          key,
          invocation,
          knownHosts: '',
        }),
      ).rejects.toMatchObject({ field: 'cluster' });
      await expect(readRemoteStatus(client, runId)).rejects.toBeInstanceOf(AirsprayError);
      await expect(cancelRemoteRun(client, runId, 'x')).rejects.toMatchObject({ field: 'runId' });
      expect(() => followRemoteRun(client, runId, 0, () => undefined)).toThrow(AirsprayError);
      expect((await calls()).length).toBe(before);
      nothingRan();
    });

    it('offline services: hostile entry names under files/ are linked by name; values systemd would misread are refused', async () => {
      const overlay = join(root, 'overlay-services');
      const client = await localShellClient({ path: [standIns.bin], rootOverlay: overlay, cwd: root });
      const bundleDir = '/var/lib/airspray/bundles/b1';
      const onNode = join(overlayUpper(overlay, '/var/lib'), 'airspray/bundles/b1');
      const entries = [hostile('entry', 'pwned').replaceAll('/', '_'), '-n', '*', "it's"];
      for (const entry of entries) await mkdir(join(onNode, 'files', entry), { recursive: true });
      await mkdir(join(onNode, 'tools'), { recursive: true });
      await writeFile(join(onNode, 'tools/docker-registry'), '#!/bin/sh\n', { mode: 0o755 });
      const manifest = {
        bundleId: 'b1',
        files: [{ path: 'tools/docker-registry' }],
        images: [],
      } as unknown as BundleManifest;
      const endpoints = { address: '10.231.0.11', registryPort: 5000, filesPort: 8080 };
      await startOfflineServices(client, { bundleDir, manifest, endpoints, sudoPassword: 'x' });

      const webRoot = join(overlayUpper(overlay, '/var/lib'), 'airspray/web/b1');
      expect((await readdir(webRoot)).sort()).toEqual([...entries].sort());
      for (const entry of entries) expect(await readlink(join(webRoot, entry))).toBe(`${bundleDir}/files/${entry}`);
      const unit = await readFile(join(overlayUpper(overlay, '/etc'), 'systemd/system/airspray-files.service'), 'utf8');
      expect(unit).toContain(
        `ExecStart=/usr/bin/python3 -m http.server --bind 10.231.0.11 --directory /var/lib/airspray/web/b1 8080\n`,
      );
      expect((await calls()).filter((call) => call[0] === 'systemctl').slice(-3)).toEqual([
        ['systemctl', 'daemon-reload'],
        ['systemctl', 'enable', '--quiet', 'airspray-registry.service', 'airspray-files.service'],
        ['systemctl', 'restart', 'airspray-registry.service', 'airspray-files.service'],
      ]);

      const before = (await calls()).length;
      const refusals: [string, Parameters<typeof startOfflineServices>[1]][] = [
        [
          'bundleDir',
          { bundleDir: `/var/lib/airspray/bundles/${hostile('dir', marker)}`, manifest, endpoints, sudoPassword: 'x' },
        ],
        [
          'bundleId',
          {
            bundleDir,
            manifest: { ...manifest, bundleId: 'b1\n[Service]\nExecStartPre=/bin/touch /pwned' },
            endpoints,
            sudoPassword: 'x',
          },
        ],
        [
          'endpoints.address',
          { bundleDir, manifest, endpoints: { ...endpoints, address: hostile('address', marker) }, sudoPassword: 'x' },
        ],
      ];
      for (const [field, options] of refusals)
        await expect(startOfflineServices(client, options)).rejects.toMatchObject({
          field,
          message: expect.stringContaining('systemd unit'),
        });
      expect((await calls()).length).toBe(before);
      nothingRan();
    });
  },
);

describe('the API refuses hostile values before any command builder sees them', () => {
  let core: ReturnType<typeof createAirsprayCore>;
  const call = (method: string, params: unknown) => dispatchApiCall(core.handlers, method, params, () => undefined);
  const projectId = '00000000-0000-4000-8000-000000000000';
  const attack = hostile('api', '/tmp/airspray-pwned');

  beforeAll(() => {
    core = createAirsprayCore({
      shell: 'browser',
      version: 'test',
      dataDir: { dir: join(root, 'api-data'), source: 'option' },
      bundleLocations: [],
    });
  });

  it('runs.start refuses hostile options and kubespray folder, naming each field', async () => {
    const cases: [string, object][] = [
      ['options.limit', { options: { playbook: 'cluster.yml', limit: attack } }],
      ['options.tags', { options: { playbook: 'cluster.yml', tags: attack } }],
      ['options.skipTags', { options: { playbook: 'cluster.yml', skipTags: attack } }],
      ['options.playbook', { options: { playbook: attack } }],
      [`options.extraVars.${attack}`, { options: { playbook: 'cluster.yml', extraVars: { [attack]: 1 } } }],
      ['kubesprayDir', { options: { playbook: 'cluster.yml' }, kubesprayDir: `/home/ops/${attack}` }],
    ];
    for (const [field, params] of cases) {
      const reply = await call('runs.start', { projectId, credentialId: 'c1', ...params });
      expect(reply, field).toMatchObject({ ok: false, error: { code: 'invalid_params', field } });
      expect(!reply.ok && reply.error.message).toContain(`"${field}"`);
    }
  });

  it('refuses a hostile cluster name, login user, host address and run id, naming each', async () => {
    const refusals: [string, unknown, string][] = [
      ['projects.create', { name: attack }, 'name'],
      [
        'credentials.add',
        { credential: { label: 'x', user: attack, auth: { kind: 'password', password: 'x' } }, persist: false },
        'credential.user',
      ],
      [
        'projects.setHosts',
        {
          id: projectId,
          revision: 0,
          hosts: [
            { name: 'n1', address: attack, roles: { controlPlane: true, etcd: true, worker: true, calicoRr: false } },
          ],
        },
        'hosts.0.address',
      ],
      ['runs.attach', { projectId, runId: attack, credentialId: 'c1' }, 'runId'],
      ['runs.cancel', { projectId, runId: attack, credentialId: 'c1' }, 'runId'],
    ];
    for (const [method, params, field] of refusals) {
      expect(await call(method, params), method).toMatchObject({ ok: false, error: { code: 'invalid_params', field } });
    }
  });

  it('refuses a Harbor address or project that is not host[:port] or a registry project name, naming each; the inventory import too', async () => {
    const created = await call('projects.create', { name: 'harbor-plan' });
    const project = (created as { ok: true; result: { id: string; revision: number; cluster: { settings: object } } })
      .result;
    const harbor = { kind: 'harbor', address: 'harbor.lan:443', project: 'k8s', filesPort: 8080 };
    const save = (registry: object, revision = project.revision) =>
      call('projects.savePlan', {
        id: project.id,
        revision,
        hosts: [],
        deployNode: null,
        settings: { ...project.cluster.settings, registry },
      });
    const refusals: [string, object][] = [
      ['address', { address: attack }],
      ['address', { address: 'https://harbor.lan' }],
      ['address', { address: 'harbor.lan/k8s' }],
      ['address', { address: 'harbor.lan:65536' }],
      ['address', { address: 'user@harbor.lan' }],
      ['project', { project: attack }],
      ['project', { project: '../etc' }],
      ['project', { project: 'K8S' }],
    ];
    for (const [field, change] of refusals) {
      expect(await save({ ...harbor, ...change }), JSON.stringify(change)).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_params',
          field: `settings.registry.${field}`,
          message: expect.stringContaining(`Harbor ${field}`),
        },
      });
    }
    let revision = project.revision;
    for (const accepted of [
      harbor,
      { ...harbor, address: '10.0.0.5' },
      { ...harbor, address: '[fd00::5]:8443', project: 'team/k8s-images' },
    ]) {
      const reply = await save(accepted, revision);
      expect(reply, JSON.stringify(accepted)).toMatchObject({ ok: true });
      revision += 1;
    }
    const inventory = {
      kind: 'yaml' as const,
      origin: 'hosts.yaml',
      text: 'all:\n  hosts:\n    node1:\n      ansible_host: 10.0.0.11\n',
      groupVars: { all: { registry_host: `harbor.lan/${attack}` } },
    };
    expect(() => inventoryToPlan(inventory, { clusterName: 'c' })).toThrow(
      expect.objectContaining({ field: 'registry_host', message: expect.stringContaining('Harbor project') }),
    );
  });
});
