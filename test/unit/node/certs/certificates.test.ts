import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expiryTone, type CertificateReport } from '../../../../electron/common/certs-api';
import { noRoles } from '../../../../electron/common/cluster-plan';
import { certificateTable, certsExitCode } from '../../../../electron/node/cli/certs-commands';
import { pkiFilesFor } from '../../../../electron/node/certs/kubespray-pki';
import { certificatesIn } from '../../../../electron/node/certs/parse-certificates';
import { hostCertificates, parseReadOutput } from '../../../../electron/node/certs/read-certificates';
import { kubeconfigWith, makeCa, makeLeaf, pkiFolder, type TestCa } from '../../../support/test-pki';

const dayMs = 24 * 60 * 60 * 1000;
let dir: string;
let ca: TestCa;
let apiserver: string;
let adminClient: string;
/** The moment the certificates were signed (openssl keeps whole seconds): days left are counted from here. */
let signedAt: Date;

beforeAll(() => {
  dir = pkiFolder();
  ca = makeCa(dir, 'kubernetes', 3650);
  apiserver = makeLeaf(dir, 'apiserver', '/CN=kube-apiserver', ca, 365);
  adminClient = makeLeaf(dir, 'admin', '/O=system:masters/CN=kubernetes-admin', ca, 20);
  signedAt = new Date(certificatesIn(apiserver, 'pem', new Date())[0]!.notBefore);
});

const hoursAfterSigning = (hours: number) => new Date(signedAt.getTime() + hours * 60 * 60 * 1000);

describe('reading certificates', () => {
  it('reads every certificate of a chain with its days left, rounded down, and which is a CA', () => {
    const [leaf, root] = certificatesIn(`${apiserver}${ca.pem}`, 'pem', hoursAfterSigning(12));
    expect(leaf).toMatchObject({ subject: 'CN=kube-apiserver', issuer: 'CN=kubernetes', isCa: false, daysLeft: 364 });
    expect(root).toMatchObject({ subject: 'CN=kubernetes', isCa: true, daysLeft: 3649 });
    expect(new Date(leaf!.notAfter).getTime() - new Date(leaf!.notBefore).getTime()).toBe(365 * dayMs);
  });

  it('counts an expired certificate in negative days', () => {
    expect(certificatesIn(adminClient, 'pem', new Date(signedAt.getTime() + 25 * dayMs))[0]!.daysLeft).toBe(-5);
  });

  it('finds the certificate beside the key in one file, as kubelet-client-current.pem holds them', () => {
    const key = readFileSync(join(dir, 'admin.key'), 'utf8');
    expect(certificatesIn(`${key}${adminClient}`, 'pem', signedAt).map((entry) => entry.subject)).toEqual([
      'O=system:masters, CN=kubernetes-admin',
    ]);
  });

  it('reads the client certificate embedded in a kubeconfig, not its CA', () => {
    const [client, ...rest] = certificatesIn(kubeconfigWith(adminClient, ca), 'kubeconfig', signedAt);
    expect(rest).toEqual([]);
    expect(client).toMatchObject({ subject: 'O=system:masters, CN=kubernetes-admin', isCa: false, daysLeft: 20 });
  });

  it('says what it expected when a file holds no certificate', () => {
    expect(() => certificatesIn('garbage', 'pem', signedAt)).toThrow(/no BEGIN CERTIFICATE block/);
    expect(() =>
      certificatesIn(
        'users:\n- name: a\n  user:\n    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n',
        'kubeconfig',
        signedAt,
      ),
    ).toThrow(/client-certificate-data/);
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    expect(() => certificatesIn(broken, 'pem', signedAt)).toThrow(/certificate 1 is not readable X.509/);
  });
});

describe('the files a host should hold', () => {
  const paths = (roles: Partial<typeof noRoles>) =>
    pkiFilesFor({ name: 'cp1', roles: { ...noRoles, ...roles } }).map((file) => file.path);

  it("gives a control plane with etcd kubeadm's PKI, the kubeconfigs, its etcd files and the kubelet client", () => {
    expect(paths({ controlPlane: true, etcd: true })).toEqual([
      '/etc/kubernetes/ssl/ca.crt',
      '/etc/kubernetes/ssl/apiserver.crt',
      '/etc/kubernetes/ssl/apiserver-kubelet-client.crt',
      '/etc/kubernetes/ssl/front-proxy-ca.crt',
      '/etc/kubernetes/ssl/front-proxy-client.crt',
      '/etc/kubernetes/admin.conf',
      '/etc/kubernetes/controller-manager.conf',
      '/etc/kubernetes/scheduler.conf',
      '/var/lib/kubelet/pki/kubelet-client-current.pem',
      '/etc/ssl/etcd/ssl/ca.pem',
      '/etc/ssl/etcd/ssl/member-cp1.pem',
      '/etc/ssl/etcd/ssl/admin-cp1.pem',
      '/etc/ssl/etcd/ssl/node-cp1.pem',
    ]);
  });

  it('gives a worker the CA and its kubelet client only, an etcd-only host its etcd files, the deploy node nothing', () => {
    expect(paths({ worker: true })).toEqual([
      '/etc/kubernetes/ssl/ca.crt',
      '/var/lib/kubelet/pki/kubelet-client-current.pem',
    ]);
    expect(paths({ etcd: true })).toEqual([
      '/etc/ssl/etcd/ssl/ca.pem',
      '/etc/ssl/etcd/ssl/member-cp1.pem',
      '/etc/ssl/etcd/ssl/admin-cp1.pem',
    ]);
    expect(paths({})).toEqual([]);
  });
});

/** Runs the real read-files.sh here, as root would run it on a host, over `paths`. */
function runReadScript(paths: string[]): string {
  const program = readFileSync(join(__dirname, '../../../../electron/node/certs/read-files.sh'), 'utf8');
  return execFileSync('sh', ['-c', program, 'sh', ...paths], { encoding: 'utf8' });
}

describe("a host's table", () => {
  const host = { name: 'cp1', address: '10.0.0.11' };
  const files = [
    { label: 'Kubernetes CA', format: 'pem' as const, path: join('pki', 'ca.crt') },
    { label: 'Admin kubeconfig', format: 'kubeconfig' as const, path: join('pki', 'admin.conf') },
    { label: 'Kubelet client', format: 'pem' as const, path: join('pki', 'kubelet-client-current.pem') },
    { label: 'API server', format: 'pem' as const, path: join('pki', 'apiserver.crt') },
  ];

  it('reads found files through the script, reports a missing one as missing and an empty one as unreadable', () => {
    const root = pkiFolder();
    mkdirSync(join(root, 'pki'));
    writeFileSync(join(root, 'pki', 'ca.crt'), ca.pem);
    writeFileSync(join(root, 'pki', 'admin.conf'), kubeconfigWith(adminClient, ca));
    writeFileSync(join(root, 'pki', 'apiserver.crt'), '');
    const located = files.map((file) => ({ ...file, path: join(root, file.path) }));
    const table = hostCertificates(
      host,
      located,
      runReadScript(located.map((file) => file.path)),
      hoursAfterSigning(12),
    );
    expect(table.ok).toBe(true);
    expect(
      table.files.map((file) => [file.label, file.state, file.certificates.map((entry) => entry.daysLeft)]),
    ).toEqual([
      ['Kubernetes CA', 'found', [3649]],
      ['Admin kubeconfig', 'found', [19]],
      ['Kubelet client', 'missing', []],
      ['API server', 'unreadable', []],
    ]);
    expect(table.files[3]!.message).toMatch(/no BEGIN CERTIFICATE/);
  });

  it("follows the kubelet's symlink to the rotated certificate, and reads a dangling one as missing", () => {
    const root = pkiFolder();
    writeFileSync(join(root, 'kubelet-client-2026.pem'), adminClient);
    symlinkSync(join(root, 'kubelet-client-2026.pem'), join(root, 'current.pem'));
    symlinkSync(join(root, 'gone.pem'), join(root, 'dangling.pem'));
    expect(parseReadOutput(runReadScript([join(root, 'current.pem'), join(root, 'dangling.pem')]), 2)).toEqual([
      adminClient,
      undefined,
    ]);
  });

  it('is not ok when none of the files is there, and says what to check', () => {
    const table = hostCertificates(
      host,
      files,
      runReadScript(files.map((file) => join('/nonexistent', file.path))),
      signedAt,
    );
    expect(table.ok).toBe(false);
    expect(table.message).toMatch(/None of the 4 certificate files .* deploy the cluster first/);
    expect(table.files.every((file) => file.state === 'missing')).toBe(true);
  });

  it('refuses output cut short rather than reporting the rest as missing', () => {
    expect(() => parseReadOutput('missing 0\n', 2)).toThrow(/answered for 1 of 2 files/);
  });
});

describe('thresholds', () => {
  it('is amber under 30 days and red under 7, at the day', () => {
    expect([31, 30, 29, 8, 7, 6, 0, -3].map((days) => expiryTone(days))).toEqual([
      'ok',
      'ok',
      'warn',
      'warn',
      'warn',
      'fail',
      'fail',
      'fail',
    ]);
    expect(expiryTone(50, { warnDays: 60, failDays: 40 })).toBe('warn');
  });

  function reportAt(now: Date): CertificateReport {
    const files = [
      {
        path: '/etc/kubernetes/ssl/ca.crt',
        label: 'Kubernetes CA',
        state: 'found' as const,
        certificates: certificatesIn(ca.pem, 'pem', now),
      },
      {
        path: '/etc/kubernetes/admin.conf',
        label: 'Admin kubeconfig',
        state: 'found' as const,
        certificates: certificatesIn(kubeconfigWith(adminClient, ca), 'kubeconfig', now),
      },
      { path: '/etc/kubernetes/ssl/apiserver.crt', label: 'API server', state: 'missing' as const, certificates: [] },
    ];
    return { checkedAt: now.toISOString(), hosts: [{ name: 'cp1', address: '10.0.0.11', ok: true, files }] };
  }

  it('prints the soonest first, CAs marked, and exits 1 only under --fail-days', () => {
    const report = reportAt(hoursAfterSigning(12));
    const table = certificateTable(report, { warnDays: 30, failDays: 7 });
    expect(table.map((row) => [row[0], row[1], row[3], row[4]])).toEqual([
      ['HOST', 'CERTIFICATE', 'DAYS LEFT', 'STATUS'],
      ['cp1', 'Admin kubeconfig', '19', 'WARN'],
      ['cp1', 'Kubernetes CA (CA)', '3649', 'ok'],
      ['cp1', 'API server', '-', 'missing'],
    ]);
    expect(certsExitCode(report, { warnDays: 30, failDays: 7 })).toBe(0);
    expect(certsExitCode(report, { warnDays: 30, failDays: 20 })).toBe(1);
    expect(certsExitCode(report, { warnDays: 30, failDays: 19 })).toBe(0);
    expect(certsExitCode(reportAt(new Date(signedAt.getTime() + 14 * dayMs)), { warnDays: 30, failDays: 7 })).toBe(1);
  });

  it('exits 1 when a host could not be read', () => {
    const report = reportAt(signedAt);
    report.hosts.push({
      name: 'w1',
      address: '10.0.0.12',
      ok: false,
      message: 'Could not read w1: timed out',
      files: [],
    });
    expect(certsExitCode(report, { warnDays: 30, failDays: 7 })).toBe(1);
    expect(certificateTable(report, { warnDays: 30, failDays: 7 }).at(-1)).toEqual([
      'w1',
      '-',
      '-',
      '-',
      'FAILED',
      'Could not read w1: timed out',
    ]);
  });
});
