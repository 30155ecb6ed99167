import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRenewal, CertificateReport } from '../../../electron/common/certs-api';
import { cutLink, execOnHost, restoreLink, writeFileOnHost } from '../../lab/lab';
import { hostAddress } from '../../lab/lab-network';
import { repoRoot } from '../../support/airspray-serve';
import { buildAirsprayCli, type BundleCli } from '../../support/bundle-cli';
import { serveFixtureCluster, writeOpsPasswordFile, type ServedFixtureCluster } from '../../support/fixture-cluster';
import { requireLab } from '../../support/lab';
import { kubeadmControlPlaneFiles, makeControlPlaneCas, type KubeadmLeafDays } from '../../support/test-pki';

/**
 * Certificate renewal on two control planes, lab2 and lab5, through the CLI. A stand-in where Kubernetes cannot run:
 * the lab's containers have no kubelet or container runtime and kubeadm cannot be downloaded here, so each control
 * plane gets kubeadm's files under /etc/kubernetes (real certificates made here with openssl, short lifetimes, one CA
 * for both) and three stand-ins from test/fixtures/certs-renewal: `kubeadm` (openssl re-signing the leaves with the
 * existing CA, as `kubeadm certs renew all` does to the files), `crictl` (its pod removal restarts the next one) and
 * kube-apiserver-stand-in.service (a listener on 6443 that comes back two seconds after a restart). Real: the deploy
 * key, SSH, sudo, renew-certificates.sh, the order node by node, the wait for the port, and the table read again.
 */
const keyPassphrase = 'renewal-lab-passphrase';
const controlPlanes = ['lab2', 'lab5'];
const standIns = join(repoRoot, 'test/fixtures/certs-renewal');
const renewedByKubeadm = [
  'API server',
  'API server to kubelet client',
  'Front proxy client',
  'Admin kubeconfig',
  'Controller manager kubeconfig',
  'Scheduler kubeconfig',
];
const caFiles = '/etc/kubernetes/ssl/ca.crt /etc/kubernetes/ssl/ca.key /etc/kubernetes/ssl/front-proxy-ca.*';
const leafDays: Record<string, KubeadmLeafDays> = {
  // lab2's API server certificate expired yesterday, its admin client has 20 days; lab5's kubelet client has 5.
  lab2: {
    apiserver: -1,
    apiserverKubeletClient: 365,
    frontProxyClient: 365,
    admin: 20,
    controllerManager: 365,
    scheduler: 365,
  },
  lab5: {
    apiserver: 365,
    apiserverKubeletClient: 5,
    frontProxyClient: 365,
    admin: 365,
    controllerManager: 365,
    scheduler: 365,
  },
};

let lab: ServedFixtureCluster;
let cli: BundleCli;
let credentials: string[];

async function installControlPlane(host: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) await writeFileOnHost(host, `/etc/kubernetes/${path}`, content);
  for (const name of ['kubeadm', 'crictl'])
    await writeFileOnHost(host, `/usr/local/bin/${name}`, await readFile(join(standIns, name)));
  await writeFileOnHost(
    host,
    '/etc/systemd/system/kube-apiserver-stand-in.service',
    await readFile(join(standIns, 'kube-apiserver-stand-in.service')),
  );
  // Root only, as kubeadm leaves them; pki/ is kubespray's link to ssl/ (kube_cert_compat_dir).
  await execOnHost(
    host,
    'chmod 600 /etc/kubernetes/ssl/* /etc/kubernetes/*.conf && ln -sfn ssl /etc/kubernetes/pki && ' +
      'chmod 755 /usr/local/bin/kubeadm /usr/local/bin/crictl && systemctl daemon-reload && ' +
      'systemctl start kube-apiserver-stand-in',
  );
}

beforeAll(async () => {
  await requireLab();
  const root = await mkdtemp(join(tmpdir(), 'airspray-renewal-'));
  const dataDir = join(root, 'data');
  const cas = makeControlPlaneCas();
  for (const host of controlPlanes) await installControlPlane(host, kubeadmControlPlaneFiles(cas, leafDays[host]!));
  lab = await serveFixtureCluster(dataDir, 'renewal', {
    workers: [],
    controlPlanes: [5],
    trusted: [1, 2, 5],
    keyPassphrase,
  });
  cli = await buildAirsprayCli(root);
  process.env.AIRSPRAY_DEPLOY_KEY_PASSPHRASE = keyPassphrase;
  credentials = ['--project', 'renewal', '--data-dir', dataDir, '--user', 'ops'];
  credentials.push('--password-file', await writeOpsPasswordFile(root));
}, 240_000);

afterAll(async () => {
  await lab?.close();
  await restoreLink('lab5');
  for (const host of controlPlanes)
    await execOnHost(
      host,
      'systemctl stop kube-apiserver-stand-in; rm -rf /etc/kubernetes /root/.kube /usr/local/bin/kubeadm /usr/local/bin/crictl ' +
        '/etc/systemd/system/kube-apiserver-stand-in.service /var/log/*-stand-in.log',
    );
});

interface CliJson<T> {
  code: number;
  result: T;
  stderr: string;
}

async function certs<T>(...args: string[]): Promise<CliJson<T>> {
  const { code, stdout, stderr } = await cli('certs', ...args, ...credentials, '--json');
  return { code, result: JSON.parse(stdout) as T, stderr };
}

/** host → label → days left of the file's first certificate, for the files kubeadm renews and the two CAs. */
function daysLeft(report: CertificateReport): Record<string, Record<string, number | undefined>> {
  const labels = [...renewedByKubeadm, 'Kubernetes CA', 'Front proxy CA'];
  return Object.fromEntries(
    report.hosts.map((host) => [
      host.name,
      Object.fromEntries(
        labels.map((label) => [label, host.files.find((file) => file.label === label)?.certificates[0]?.daysLeft]),
      ),
    ]),
  );
}

const hostDays = (renewed: number, near: Partial<Record<string, number>> = {}) => ({
  ...Object.fromEntries(renewedByKubeadm.map((label) => [label, near[label] ?? renewed])),
  'Kubernetes CA': 3649,
  'Front proxy CA': 3649,
});

/** Each line of a stand-in's log on `host`: [time in nanoseconds, what was done]. */
async function standInLog(host: string, name: string): Promise<[bigint, string][]> {
  const text = await execOnHost(host, `cat /var/log/${name}-stand-in.log 2>/dev/null || true`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [time, ...rest] = line.split(' ');
      return [BigInt(time!), rest.join(' ')];
    });
}

describe('airspray certs renew on two control planes (stand-in kubeadm, crictl and API server)', () => {
  it('renews the expired and near leaves node by node, the CAs untouched, and shows the table read again', async () => {
    const before = await certs<CertificateReport>('check');
    expect(daysLeft(before.result)).toEqual({
      lab2: hostDays(364, { 'API server': -2, 'Admin kubeconfig': 19 }),
      lab5: hostDays(364, { 'API server to kubelet client': 4 }),
    });
    const caSums = await Promise.all(controlPlanes.map((host) => execOnHost(host, `sha256sum ${caFiles}`)));

    const { code, result, stderr } = await certs<CertificateRenewal>('renew');
    expect(code, stderr).toBe(0);
    expect(result.renewed.map((node) => [node.name, node.address])).toEqual([
      ['lab2', hostAddress(2)],
      ['lab5', hostAddress(5)],
    ]);
    expect(result.stopped).toBeUndefined();
    expect(result.remaining).toEqual([]);
    expect(daysLeft(result.report)).toEqual({ lab2: hostDays(364), lab5: hostDays(364) });
    expect(await Promise.all(controlPlanes.map((host) => execOnHost(host, `sha256sum ${caFiles}`)))).toEqual(caSums);

    for (const host of controlPlanes) {
      expect((await standInLog(host, 'crictl')).map(([, words]) => words)).toEqual([
        'pods --namespace kube-system --name kube-scheduler-*|kube-controller-manager-*|kube-apiserver-*|etcd-* -q',
        `rmp -f kube-apiserver-${host}`,
      ]);
      await execOnHost(host, 'cmp /etc/kubernetes/admin.conf /root/.kube/config');
    }
    // One node at a time: lab5's pods were listed only after lab2's API server had started again.
    const lab2Restarted = (await standInLog('lab2', 'kube-apiserver')).at(-1)![0];
    const lab5Began = (await standInLog('lab5', 'crictl'))[0]![0];
    expect(lab5Began > lab2Restarted).toBe(true);
  }, 180_000);

  it('stops at a control plane that is down, keeps the nodes done, and finishes with --hosts', async () => {
    const restarts = async (host: string) => (await standInLog(host, 'crictl')).length;
    const lab2Calls = await restarts('lab2');
    await cutLink('lab5');
    let stopped: CliJson<CertificateRenewal>;
    try {
      stopped = await certs<CertificateRenewal>('renew');
    } finally {
      await restoreLink('lab5');
    }
    expect(stopped.code).toBe(1);
    expect(stopped.result.renewed.map((node) => node.name)).toEqual(['lab2']);
    expect(stopped.result.stopped).toMatchObject({ name: 'lab5', address: hostAddress(5) });
    expect(stopped.result.stopped!.reason).toMatch(/^cannot log in to lab5 \(10\.231\.0\.15\): /);
    expect(stopped.result.remaining).toEqual(['lab5']);
    expect(stopped.result.report.hosts.find((host) => host.name === 'lab5')).toMatchObject({ ok: false });
    expect(await restarts('lab2')).toBe(lab2Calls + 2);

    const finished = await certs<CertificateRenewal>('renew', '--hosts', 'lab5');
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.result.renewed.map((node) => node.name)).toEqual(['lab5']);
    expect(await restarts('lab2')).toBe(lab2Calls + 2);
    expect(daysLeft(finished.result.report)).toEqual({ lab2: hostDays(364), lab5: hostDays(364) });
  }, 180_000);
});
