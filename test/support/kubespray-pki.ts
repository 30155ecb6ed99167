import { execOnHost, writeFileOnHost } from '../lab/lab';
import { kubeconfigWith, makeCa, makeLeaf, pkiFolder } from './test-pki';

/** Where kubeadm and kubespray keep the certificates the check reads; a test's cleanup removes these. */
export const pkiPaths = '/etc/kubernetes/ssl /etc/kubernetes/*.conf /etc/ssl/etcd /var/lib/kubelet/pki';

/**
 * What kubespray and kubeadm leave on lab2 (control plane and etcd) and lab3 (worker), with chosen lifetimes: lab2's
 * admin client 20 days, lab3's kubelet client 5. `etcd: false` leaves out etcd's, for a host where a real etcd's PKI
 * is there already (test/support/lab-etcd.ts).
 */
export function kubesprayShapedPki({ etcd }: { etcd: boolean }): Record<string, Record<string, string>> {
  const dir = pkiFolder();
  const ca = makeCa(dir, 'kubernetes', 3650);
  const frontProxyCa = makeCa(dir, 'front-proxy-ca', 3650);
  const leaf = (name: string, subject: string, signer = ca, days = 365) => makeLeaf(dir, name, subject, signer, days);
  const kubeletClient = (host: string, days: number) =>
    `${leaf(`kubelet-${host}`, `/O=system:nodes/CN=system:node:${host}`, ca, days)}-----BEGIN EC PRIVATE KEY-----\nnot read\n-----END EC PRIVATE KEY-----\n`;
  const etcdCa = etcd ? makeCa(dir, 'etcd-ca', 36500) : undefined;
  const etcdFiles: Record<string, string> = etcdCa
    ? {
        '/etc/ssl/etcd/ssl/ca.pem': etcdCa.pem,
        '/etc/ssl/etcd/ssl/member-lab2.pem': leaf('member-lab2', '/CN=etcd-member-lab2', etcdCa),
        '/etc/ssl/etcd/ssl/admin-lab2.pem': leaf('admin-lab2', '/CN=etcd-admin-lab2', etcdCa),
        '/etc/ssl/etcd/ssl/node-lab2.pem': leaf('node-lab2', '/CN=etcd-node-lab2', etcdCa),
      }
    : {};
  return {
    lab2: {
      '/etc/kubernetes/ssl/ca.crt': ca.pem,
      '/etc/kubernetes/ssl/apiserver.crt': leaf('apiserver', '/CN=kube-apiserver'),
      '/etc/kubernetes/ssl/apiserver-kubelet-client.crt': leaf(
        'apiserver-kubelet-client',
        '/O=system:masters/CN=kube-apiserver-kubelet-client',
      ),
      '/etc/kubernetes/ssl/front-proxy-ca.crt': frontProxyCa.pem,
      '/etc/kubernetes/ssl/front-proxy-client.crt': leaf('front-proxy-client', '/CN=front-proxy-client', frontProxyCa),
      '/etc/kubernetes/admin.conf': kubeconfigWith(leaf('admin', '/O=system:masters/CN=kubernetes-admin', ca, 20), ca),
      '/etc/kubernetes/controller-manager.conf': kubeconfigWith(
        leaf('controller-manager', '/CN=system:kube-controller-manager'),
        ca,
      ),
      // scheduler.conf left out: reported as missing, not as an error.
      '/var/lib/kubelet/pki/kubelet-client-current.pem': kubeletClient('lab2', 365),
      ...etcdFiles,
    },
    lab3: {
      '/etc/kubernetes/ssl/ca.crt': ca.pem,
      '/var/lib/kubelet/pki/kubelet-client-current.pem': kubeletClient('lab3', 5),
    },
  };
}

/** Writes the files of kubesprayShapedPki on their hosts, root only as kubeadm leaves its PKI (read through sudo). */
export async function writeKubesprayShapedPki(options: { etcd: boolean }): Promise<void> {
  for (const [host, files] of Object.entries(kubesprayShapedPki(options))) {
    for (const [path, content] of Object.entries(files)) await writeFileOnHost(host, path, content);
    await execOnHost(host, `chmod 600 ${Object.keys(files).join(' ')}`);
  }
}
