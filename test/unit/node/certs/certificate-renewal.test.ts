import { X509Certificate } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noRoles, type ClusterHost } from '../../../../electron/common/cluster-plan';
import { AirsprayError } from '../../../../electron/common/errors';
import { renewalLines } from '../../../../electron/node/cli/certs-commands';
import { certificatesIn } from '../../../../electron/node/certs/parse-certificates';
import { renewalTargets, renewOnNode, type RenewSettings } from '../../../../electron/node/certs/renew-certificates';
import { repoRoot } from '../../../support/airspray-serve';
import { localShellClient, parseCalls, writeRemoteStandIns } from '../../../support/local-shell';
import { kubeadmControlPlaneFiles, makeControlPlaneCas } from '../../../support/test-pki';

const host = (name: string, controlPlane: boolean, worker = !controlPlane): ClusterHost => ({
  name,
  address: `10.0.0.${name.slice(-1)}`,
  roles: { ...noRoles, controlPlane, etcd: controlPlane, worker },
});
const plan = [host('node1', true), host('node2', true), host('node3', true), host('node4', false)];

function refusal(work: () => unknown): AirsprayError {
  try {
    work();
  } catch (error) {
    return error as AirsprayError;
  }
  throw new Error('not refused');
}

describe('which nodes a renewal goes through', () => {
  it('takes every control plane in the plan order, workers and the deploy node left out', () => {
    expect(renewalTargets([host('deploy', false, false), ...plan]).map((target) => target.name)).toEqual([
      'node1',
      'node2',
      'node3',
    ]);
  });

  it('refuses a plan without a control plane, naming the hosts field', () => {
    const error = refusal(() => renewalTargets([host('node4', false), host('node5', false)]));
    expect(error).toBeInstanceOf(AirsprayError);
    expect(error).toMatchObject({ code: 'invalid_params', field: 'hosts' });
    expect(error.i18n).toEqual({ id: 'certs.no-control-plane', params: {} });
  });

  it('finishes a stopped renewal on the named control planes only, still in plan order', () => {
    expect(renewalTargets(plan, ['node3', 'node2']).map((target) => target.name)).toEqual(['node2', 'node3']);
  });

  it('refuses a named host that is not a control plane, listing the ones there are', () => {
    const error = refusal(() => renewalTargets(plan, ['node2', 'node4', 'ghost']));
    expect(error).toMatchObject({ code: 'invalid_params', field: 'hosts' });
    expect(error.i18n).toEqual({
      id: 'certs.not-control-plane',
      params: { hosts: 'node4, ghost', controlPlanes: 'node1, node2, node3' },
    });
  });

  it('tells the operator how to finish a stopped renewal', () => {
    const lines = renewalLines({
      renewed: [{ name: 'node1', address: '10.0.0.1', renewedAt: '2026-12-06T08:00:00.000Z' }],
      stopped: { name: 'node2', address: '10.0.0.2', reason: 'cannot log in to node2 (10.0.0.2): timed out' },
      remaining: ['node2', 'node3'],
      report: { checkedAt: '2026-12-06T08:01:00.000Z', hosts: [] },
    });
    expect(lines).toEqual([
      'renewed node1 (10.0.0.1) at 2026-12-06T08:00:00.000Z',
      'STOPPED at node2 (10.0.0.2): cannot log in to node2 (10.0.0.2): timed out',
      'Not renewed: node2, node3. Fix that, then finish with --hosts node2,node3.',
    ]);
  });
});

/**
 * The host-side script run here by a real sh, as root runs it on a control plane: sudo, crictl and the API server
 * are stand-ins (a recording sudo, a recording crictl, a TCP listener), kubeadm is the lab's stand-in
 * (test/fixtures/certs-renewal/kubeadm, openssl re-signing the files in a folder laid out as /etc/kubernetes).
 */
describe('renewing one control plane (renew-certificates.sh)', () => {
  /** Made once (openssl is slow on a shared machine), written afresh for each test. */
  let files: Record<string, string>;
  let root: string;
  let standIns: { bin: string; log: string };
  let listener: Server | undefined;
  const days = {
    apiserver: -1,
    apiserverKubeletClient: 5,
    frontProxyClient: 365,
    admin: 20,
    controllerManager: 365,
    scheduler: 365,
  };

  beforeAll(() => {
    files = kubeadmControlPlaneFiles(makeControlPlaneCas(), days);
  });
  afterEach(() => listener?.close());

  /** A control plane laid out in a fresh folder; the settings point the script at it. */
  async function controlPlane(options: { kubeadm?: boolean; listening?: boolean } = {}) {
    root = await mkdtemp(join(tmpdir(), 'airspray-renew-'));
    standIns = await writeRemoteStandIns(join(root, 'stand-ins'));
    const kubeConfigDir = join(root, 'etc-kubernetes');
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(kubeConfigDir, path)), { recursive: true });
      await writeFile(join(kubeConfigDir, path), text, { mode: 0o600 });
    }
    await symlink('ssl', join(kubeConfigDir, 'pki'));
    const binDir = join(root, 'usr-local-bin');
    await mkdir(binDir);
    if (options.kubeadm ?? true) {
      await copyFile(join(repoRoot, 'test/fixtures/certs-renewal/kubeadm'), join(binDir, 'kubeadm'));
      await chmod(join(binDir, 'kubeadm'), 0o755);
    }
    // Records its words as the sudo stand-in does, lists one pod, and removes it.
    await writeFile(
      join(binDir, 'crictl'),
      `#!/bin/sh\necho "$*" >> '${join(root, 'crictl.log')}'\n[ "$1" = pods ] && echo pod-apiserver-1\nexit 0\n`,
      { mode: 0o755 },
    );
    const port = await freePort(options.listening ?? true);
    const settings: RenewSettings = {
      binDir,
      kubeConfigDir,
      rootKubeconfig: join(root, 'root-home', '.kube', 'config'),
      port,
      waitSeconds: 1,
    };
    const client = await localShellClient({
      path: [standIns.bin],
      cwd: root,
      env: { KUBEADM_STANDIN_CONFIG_DIR: kubeConfigDir },
    });
    return { client, settings, kubeConfigDir };
  }

  /** A port on loopback: taken by a listener standing in for the API server, or free (nothing answers). */
  function freePort(listening: boolean): Promise<number> {
    return new Promise((resolve) => {
      const server = createServer((socket) => socket.end());
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        if (listening) {
          listener = server;
          resolve(port);
        } else server.close(() => resolve(port));
      });
    });
  }

  const read = async (dir: string, path: string, format: 'pem' | 'kubeconfig' = 'pem') =>
    certificatesIn(await readFile(join(dir, path), 'utf8'), format, new Date());

  it('renews the leaves with the same CA, restarts the control-plane pods, copies admin.conf and waits for the API', async () => {
    const { client, settings, kubeConfigDir } = await controlPlane();
    const caBefore = await readFile(join(kubeConfigDir, 'ssl/ca.crt'), 'utf8');
    const apiserverBefore = (await read(kubeConfigDir, 'ssl/apiserver.crt'))[0]!;
    expect(apiserverBefore.daysLeft).toBeLessThan(0);

    await renewOnNode(client, 'sudo-secret', settings);

    for (const path of ['ssl/apiserver.crt', 'ssl/apiserver-kubelet-client.crt', 'ssl/front-proxy-client.crt'])
      expect((await read(kubeConfigDir, path))[0]!.daysLeft, path).toBe(364);
    for (const path of ['admin.conf', 'controller-manager.conf', 'scheduler.conf'])
      expect((await read(kubeConfigDir, path, 'kubeconfig'))[0]!.daysLeft, path).toBe(364);
    const apiserver = (await read(kubeConfigDir, 'ssl/apiserver.crt'))[0]!;
    expect(apiserver).toMatchObject({ subject: apiserverBefore.subject, issuer: 'CN=kubernetes', isCa: false });
    expect((await read(kubeConfigDir, 'ssl/front-proxy-client.crt'))[0]!.issuer).toBe('CN=front-proxy-ca');
    expect(await readFile(join(kubeConfigDir, 'ssl/ca.crt'), 'utf8')).toBe(caBefore);
    expect(await readFile(settings.rootKubeconfig, 'utf8')).toBe(
      await readFile(join(kubeConfigDir, 'admin.conf'), 'utf8'),
    );
    expect((await readFile(join(root, 'crictl.log'), 'utf8')).trim().split('\n')).toEqual([
      'pods --namespace kube-system --name kube-scheduler-*|kube-controller-manager-*|kube-apiserver-*|etcd-* -q',
      'rmp -f pod-apiserver-1',
    ]);
    const sudo = parseCalls(await readFile(standIns.log, 'utf8')).at(-1)!;
    expect(sudo.slice(0, 6)).toEqual(['sudo', '-k', '-S', '-p', '', 'sh']);
    expect(sudo.join(' ')).not.toContain('sudo-secret');
  });

  it('keeps the SANs of the API server certificate', async () => {
    const { client, settings, kubeConfigDir } = await controlPlane();
    await renewOnNode(client, 'pw', settings);
    const renewed = new X509Certificate(await readFile(join(kubeConfigDir, 'ssl/apiserver.crt')));
    expect(renewed.subjectAltName).toBe(
      'DNS:kubernetes, DNS:kubernetes.default, IP Address:10.233.0.1, IP Address:127.0.0.1',
    );
  });

  it('says why when the API server does not answer again, after the restart', async () => {
    const { client, settings } = await controlPlane({ listening: false });
    await expect(renewOnNode(client, 'pw', settings)).rejects.toThrow(
      new RegExp(`did not answer on 127\\.0\\.0\\.1:${settings.port} within 1s of its pods' restart.*\\(exit 7\\)`),
    );
    expect(await readFile(join(root, 'crictl.log'), 'utf8')).toContain('rmp -f pod-apiserver-1');
  });

  it('stops before anything changes on a host without kubespray kubeadm', async () => {
    const { client, settings } = await controlPlane({ kubeadm: false });
    await expect(renewOnNode(client, 'pw', settings)).rejects.toThrow(
      /usr-local-bin\/kubeadm is not there.*\(exit 3\)/,
    );
    await expect(readFile(join(root, 'crictl.log'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('names sudo and its fix when sudo refuses the password', async () => {
    const { settings } = await controlPlane();
    const refusing = join(root, 'refusing-sudo');
    await mkdir(refusing);
    await writeFile(
      join(refusing, 'sudo'),
      '#!/bin/sh\necho "Sorry, try again." >&2\necho "sudo: 1 incorrect password attempt" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const client = await localShellClient({ path: [refusing], cwd: root });
    await expect(renewOnNode(client, 'wrong', settings)).rejects.toThrow(
      /^sudo refused the profile's password \(.*incorrect password attempt\): set the profile's sudo password on the Access step\.$/,
    );
  });
});
