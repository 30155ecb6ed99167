import type { HostRoles } from '../../common/cluster-plan';

/**
 * Every certificate kubespray v2.23.3 and the kubeadm it drives leave on a cluster's hosts, with its defaults
 * (etcd_deployment_type: host, kube_cert_dir /etc/kubernetes/ssl, etcd_cert_dir /etc/ssl/etcd/ssl). Paths cite the
 * kubespray file that names them. Keys (*.key, *-key.pem, sa.key) are never read.
 */

/** pem: PEM blocks in the file (one, or a chain); kubeconfig: base64 PEM in users[].user.client-certificate-data. */
export type PkiFileFormat = 'pem' | 'kubeconfig';
/** Which hosts hold the file: a plan role, or every host with any Kubernetes role. */
export type PkiHolder = 'controlPlane' | 'etcd' | 'everyNode';

export interface PkiFile {
  label: string;
  format: PkiFileFormat;
  holders: readonly PkiHolder[];
  /** The path on a host; etcd's per-host files carry the inventory name (the plan's host name). */
  path: (hostName: string) => string;
}

// roles/kubespray-defaults/defaults/main.yaml: kube_config_dir, kube_cert_dir ("{{ kube_config_dir }}/ssl"); kubeadm
// writes its PKI there (certificatesDir in roles/kubernetes/control-plane/templates/kubeadm-config.v1beta3.yaml.j2),
// and /etc/kubernetes/pki is a link to it (kube_cert_compat_dir,
// roles/kubernetes/preinstall/tasks/0050-create_directories.yml).
const kubeConfigDir = '/etc/kubernetes';
const kubeCertDir = `${kubeConfigDir}/ssl`;
// roles/kubespray-defaults/defaults/main.yaml: etcd_config_dir /etc/ssl/etcd, etcd_cert_dir "{{ etcd_config_dir
// }}/ssl".
const etcdCertDir = '/etc/ssl/etcd/ssl';

const fixed = (path: string) => () => path;

export const kubesprayPkiFiles: readonly PkiFile[] = [
  // roles/kubernetes/kubeadm/templates/kubeadm-client.conf.v1beta3.j2 (caCertPath) on joining nodes; kubeadm init on
  // the first control plane.
  { label: 'Kubernetes CA', format: 'pem', holders: ['everyNode'], path: fixed(`${kubeCertDir}/ca.crt`) },
  // roles/kubernetes/control-plane/tasks/kubeadm-backup.yml: the leaf certificates kubespray backs up before kubeadm
  // renews them.
  { label: 'API server', format: 'pem', holders: ['controlPlane'], path: fixed(`${kubeCertDir}/apiserver.crt`) },
  {
    label: 'API server to kubelet client',
    format: 'pem',
    holders: ['controlPlane'],
    path: fixed(`${kubeCertDir}/apiserver-kubelet-client.crt`),
  },
  // kubeadm's front proxy pair under certificatesDir (the CA signs front-proxy-client, backed up in
  // kubeadm-backup.yml).
  {
    label: 'Front proxy CA',
    format: 'pem',
    holders: ['controlPlane'],
    path: fixed(`${kubeCertDir}/front-proxy-ca.crt`),
  },
  {
    label: 'Front proxy client',
    format: 'pem',
    holders: ['controlPlane'],
    path: fixed(`${kubeCertDir}/front-proxy-client.crt`),
  },
  // roles/kubernetes/control-plane/tasks/kubeadm-backup.yml, "Backup old confs": kubeconfigs with embedded client
  // certificates.
  {
    label: 'Admin kubeconfig',
    format: 'kubeconfig',
    holders: ['controlPlane'],
    path: fixed(`${kubeConfigDir}/admin.conf`),
  },
  {
    label: 'Controller manager kubeconfig',
    format: 'kubeconfig',
    holders: ['controlPlane'],
    path: fixed(`${kubeConfigDir}/controller-manager.conf`),
  },
  {
    label: 'Scheduler kubeconfig',
    format: 'kubeconfig',
    holders: ['controlPlane'],
    path: fixed(`${kubeConfigDir}/scheduler.conf`),
  },
  // roles/kubernetes/control-plane/tasks/kubelet-fix-client-cert-rotation.yml: kubelet.conf points at the rotated
  // client certificate.
  {
    label: 'Kubelet client',
    format: 'pem',
    holders: ['everyNode'],
    path: fixed('/var/lib/kubelet/pki/kubelet-client-current.pem'),
  },
  // roles/etcd/tasks/check_certs.yml: ca.pem, member-<host>.pem and admin-<host>.pem on etcd hosts; ca.pem also on
  // control planes, copied with node-<host>.pem (roles/etcd/tasks/gen_nodes_certs_script.yml).
  { label: 'etcd CA', format: 'pem', holders: ['etcd', 'controlPlane'], path: fixed(`${etcdCertDir}/ca.pem`) },
  { label: 'etcd member', format: 'pem', holders: ['etcd'], path: (host) => `${etcdCertDir}/member-${host}.pem` },
  { label: 'etcd admin', format: 'pem', holders: ['etcd'], path: (host) => `${etcdCertDir}/admin-${host}.pem` },
  // roles/kubernetes/control-plane/defaults/main/main.yml: kube_etcd_cert_file node-<host>.pem, the API server's etcd
  // client.
  {
    label: 'etcd client of the API server',
    format: 'pem',
    holders: ['controlPlane'],
    path: (host) => `${etcdCertDir}/node-${host}.pem`,
  },
];

function holds(holder: PkiHolder, roles: HostRoles): boolean {
  if (holder === 'everyNode') return roles.controlPlane || roles.worker;
  return roles[holder];
}

export interface HostPkiFile {
  label: string;
  format: PkiFileFormat;
  path: string;
}

/**
 * The files a host of the plan should hold, by its roles; none for a host without a Kubernetes role (the deploy node).
 */
export function pkiFilesFor(host: { name: string; roles: HostRoles }): HostPkiFile[] {
  return kubesprayPkiFiles
    .filter((file) => file.holders.some((holder) => holds(holder, host.roles)))
    .map((file) => ({ label: file.label, format: file.format, path: file.path(host.name) }));
}
