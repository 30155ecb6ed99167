import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real certificates made with openssl for the certificate tests: a CA and leaves signed by it, with chosen lifetimes
 * (openssl x509 -days), the way kubeadm and kubespray's make-ssl-etcd.sh make theirs.
 */
export interface TestCa {
  name: string;
  certPath: string;
  keyPath: string;
  pem: string;
}

const openssl = (dir: string, args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function pkiFolder(): string {
  return mkdtempSync(join(tmpdir(), 'pki-'));
}

/** A self-signed CA (basicConstraints CA:TRUE) valid `days` days. */
export function makeCa(dir: string, name: string, days: number): TestCa {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  openssl(dir, [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    String(days),
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { name, certPath, keyPath, pem: readFileSync(certPath, 'utf8') };
}

/**
 * A leaf certificate (no CA flag) for `subject` such as "/CN=kube-apiserver", signed by `ca`, valid `days` days;
 * `extensions` (openssl -addext values such as "subjectAltName=IP:10.0.0.1") are copied into it. Its key is
 * `<dir>/<fileName>.key`.
 */
export function makeLeaf(
  dir: string,
  fileName: string,
  subject: string,
  ca: TestCa,
  days: number,
  extensions: string[] = [],
): string {
  const csr = join(dir, `${fileName}.csr`);
  const certPath = join(dir, `${fileName}.crt`);
  const addext = extensions.flatMap((extension) => ['-addext', extension]);
  openssl(dir, [
    'req',
    '-new',
    ...ecKey,
    '-keyout',
    join(dir, `${fileName}.key`),
    '-out',
    csr,
    '-subj',
    subject,
    ...addext,
  ]);
  openssl(dir, [
    'x509',
    ...(extensions.length > 0 ? ['-copy_extensions', 'copyall'] : []),
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certPath,
    '-CAkey',
    ca.keyPath,
    '-CAcreateserial',
    '-days',
    String(days),
    '-out',
    certPath,
  ]);
  return readFileSync(certPath, 'utf8');
}

const placeholderKey = '-----BEGIN EC PRIVATE KEY-----\nnot a real key\n-----END EC PRIVATE KEY-----\n';

/**
 * A kubeconfig as kubeadm writes admin.conf: the client certificate and its key embedded as base64 PEM (a placeholder
 * key unless given: reading never needs it, renewing signs it again).
 */
export function kubeconfigWith(clientPem: string, ca: TestCa, clientKeyPem = placeholderKey): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(ca.pem)}`,
    '    server: https://127.0.0.1:6443',
    '  name: cluster.local',
    'contexts:',
    '- context: {cluster: cluster.local, user: kubernetes-admin}',
    '  name: kubernetes-admin@cluster.local',
    'current-context: kubernetes-admin@cluster.local',
    'users:',
    '- name: kubernetes-admin',
    '  user:',
    `    client-certificate-data: ${b64(clientPem)}`,
    `    client-key-data: ${b64(clientKeyPem)}`,
    '',
  ].join('\n');
}

/** The two CAs kubeadm makes on the first control plane and copies to the others. */
export interface ControlPlaneCas {
  ca: TestCa;
  frontProxyCa: TestCa;
}

export function makeControlPlaneCas(): ControlPlaneCas {
  const dir = pkiFolder();
  return { ca: makeCa(dir, 'kubernetes', 3650), frontProxyCa: makeCa(dir, 'front-proxy-ca', 3650) };
}

/** Lifetimes in days of the leaf certificates `kubeadm certs renew all` renews on a control plane (-1: expired). */
export interface KubeadmLeafDays {
  apiserver: number;
  apiserverKubeletClient: number;
  frontProxyClient: number;
  admin: number;
  controllerManager: number;
  scheduler: number;
}

/**
 * What kubeadm leaves under /etc/kubernetes on one control plane, keys included, by path under that folder: the CAs
 * (shared), this node's leaves signed by them and the kubeconfigs with their client certificate and key embedded.
 * kubespray keeps the PKI in ssl/, with pki/ a link to it (the caller makes the link).
 */
export function kubeadmControlPlaneFiles(cas: ControlPlaneCas, days: KubeadmLeafDays): Record<string, string> {
  const dir = pkiFolder();
  const key = (path: string) => readFileSync(path, 'utf8');
  const leaf = (name: string, subject: string, signer: TestCa, lifetime: number, extensions: string[] = []) => ({
    [`ssl/${name}.crt`]: makeLeaf(dir, name, subject, signer, lifetime, extensions),
    [`ssl/${name}.key`]: key(join(dir, `${name}.key`)),
  });
  const kubeconfig = (name: string, subject: string, lifetime: number) =>
    kubeconfigWith(makeLeaf(dir, name, subject, cas.ca, lifetime), cas.ca, key(join(dir, `${name}.key`)));
  return {
    'ssl/ca.crt': cas.ca.pem,
    'ssl/ca.key': key(cas.ca.keyPath),
    'ssl/front-proxy-ca.crt': cas.frontProxyCa.pem,
    'ssl/front-proxy-ca.key': key(cas.frontProxyCa.keyPath),
    ...leaf('apiserver', '/CN=kube-apiserver', cas.ca, days.apiserver, [
      'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,IP:10.233.0.1,IP:127.0.0.1',
    ]),
    ...leaf(
      'apiserver-kubelet-client',
      '/O=system:masters/CN=kube-apiserver-kubelet-client',
      cas.ca,
      days.apiserverKubeletClient,
    ),
    ...leaf('front-proxy-client', '/CN=front-proxy-client', cas.frontProxyCa, days.frontProxyClient),
    'admin.conf': kubeconfig('admin', '/O=system:masters/CN=kubernetes-admin', days.admin),
    'controller-manager.conf': kubeconfig(
      'controller-manager',
      '/CN=system:kube-controller-manager',
      days.controllerManager,
    ),
    'scheduler.conf': kubeconfig('scheduler', '/CN=system:kube-scheduler', days.scheduler),
  };
}
